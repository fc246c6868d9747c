/**
 * Reads the actual state of a repository and everything around it, in one round of
 * concurrent calls; a second, rarer round only when the alias and the repository disagree
 * about the key. "Not found" answers become absent fields, never errors.
 */
import {
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ecr';
import { DescribeParametersCommand, GetParametersCommand, ListTagsForResourceCommand as ListParameterTagsCommand } from '@aws-sdk/client-ssm';
import { OwnershipTag } from '../contract';
import type { Actual, ObservedKey, ObservedParameter, ObservedRepository } from '../core/model';
import { AwsCallError, awsErrorCode } from '../errors';
import type { ObservationQuery, Observer } from '../provider/ports';
import { type Clients, keyIdOf } from './clients';
import { isTooManyUpdates, NOT_FOUND_CODES, retrying } from './retry';
import { fromKeyValue, fromKmsTags } from './tags';

/** A key ARN, as the `_kms_key_arn` parameter holds it. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const MAX_PARAMETER_PAGES = 10;

export class AwsObserver implements Observer {
  constructor(private readonly clients: Clients) {}

  async observe(query: ObservationQuery, signal: AbortSignal): Promise<Actual> {
    const options = { abortSignal: signal };
    const { ecr } = this.clients;
    const name = query.repositoryName;
    const policies = query.includePolicies ?? true;
    const [described, tags, lifecycle, policy, aliasKey, parameters, ownedParameterNames] = await Promise.all([
      read('ecr.describeRepositories', name, () => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }), options)),
      read('ecr.listTagsForResource', name, () => ecr.send(new ListTagsForResourceCommand({ resourceArn: query.repositoryArn }), options)),
      policies ? read('ecr.getLifecyclePolicy', name, () => ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }), options)) : Promise.resolve(undefined),
      policies ? read('ecr.getRepositoryPolicy', name, () => ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }), options)) : Promise.resolve(undefined),
      query.includeKey ? this.describeKey(query.aliasName, signal) : Promise.resolve(undefined),
      this.parameters(query.parameterNames, signal),
      query.ownedParametersOf ? this.ownedParameters(query.ownedParametersOf, signal) : Promise.resolve(undefined),
    ]);
    const found = described?.repositories?.find((repository) => repository.repositoryName === name);
    const repository: ObservedRepository | undefined = found
      ? {
          name,
          arn: found.repositoryArn ?? query.repositoryArn,
          ...(found.repositoryUri ? { uri: found.repositoryUri } : {}),
          encryptionType: found.encryptionConfiguration?.encryptionType ?? 'AES256',
          ...(found.encryptionConfiguration?.kmsKey ? { kmsKeyArn: found.encryptionConfiguration.kmsKey } : {}),
          scanOnPush: found.imageScanningConfiguration?.scanOnPush === true,
          imageTagMutability: found.imageTagMutability ?? 'MUTABLE',
          exclusionFilters: (found.imageTagMutabilityExclusionFilters ?? []).flatMap((filter) => (filter.filter ? [filter.filter] : [])),
          tags: fromKeyValue(tags?.tags),
          lifecyclePolicy: lifecycle?.lifecyclePolicyText ?? null,
          repositoryPolicy: policy?.policyText ?? null,
        }
      : undefined;

    // Rare second round: whose key does the alias name, and which key does the repository use?
    const repositoryKeyArn = repository?.kmsKeyArn;
    const needAliasTags = aliasKey !== undefined && (repository === undefined || aliasKey.arn !== repositoryKeyArn);
    const needRepositoryKey = repositoryKeyArn !== undefined && aliasKey?.arn !== repositoryKeyArn;
    // Neither the repository nor the alias names a key (both deleted by hand): the key parameter may.
    const parameterKeyArn = query.keyParameterName === undefined ? undefined : parameters[query.keyParameterName]?.value;
    const needParameterKey = parameterKeyArn !== undefined && KEY_ARN.test(parameterKeyArn) && aliasKey === undefined && repositoryKeyArn === undefined;
    const [aliasTags, repositoryKey, parameterKey] = await Promise.all([
      needAliasTags ? this.keyTags(aliasKey.arn, signal) : Promise.resolve(undefined),
      needRepositoryKey ? this.describeKey(repositoryKeyArn, signal, true) : Promise.resolve(undefined),
      needParameterKey ? this.describeKey(parameterKeyArn, signal, true) : Promise.resolve(undefined),
    ]);

    return {
      ...(repository ? { repository } : {}),
      ...(aliasKey ? { aliasKey: aliasTags ? { ...aliasKey, tags: aliasTags } : aliasKey } : {}),
      ...(repositoryKey ? { repositoryKey } : {}),
      ...(parameterKey ? { parameterKey } : {}),
      parameters,
      ...(ownedParameterNames ? { ownedParameterNames } : {}),
    };
  }

  private async describeKey(keyId: string, signal: AbortSignal, withTags = false): Promise<ObservedKey | undefined> {
    const { client, sdk } = await this.clients.kms();
    const described = await read('kms.describeKey', keyId, () => client.send(new sdk.DescribeKeyCommand({ KeyId: keyId }), { abortSignal: signal }));
    const metadata = described?.KeyMetadata;
    if (!metadata?.Arn || !metadata.KeyId) return undefined;
    const key: ObservedKey = { keyId: metadata.KeyId, arn: metadata.Arn, state: metadata.KeyState ?? 'Unknown' };
    if (!withTags) return key;
    const tags = await this.keyTags(metadata.Arn, signal);
    return tags ? { ...key, tags } : key;
  }

  private async keyTags(keyArn: string, signal: AbortSignal): Promise<Record<string, string> | undefined> {
    const { client, sdk } = await this.clients.kms();
    // At most 50 tags per key: one page.
    const listed = await read('kms.listResourceTags', keyArn, () => client.send(new sdk.ListResourceTagsCommand({ KeyId: keyIdOf(keyArn), Limit: 50 }), { abortSignal: signal }));
    return listed ? fromKmsTags(listed.Tags) : undefined;
  }

  /**
   * The names of the parameters tagged as this resource's for `repositoryName`: AWS filters by
   * all three ownership tags, so nothing else is ever listed.
   */
  private async ownedParameters(of: NonNullable<ObservationQuery['ownedParametersOf']>, signal: AbortSignal): Promise<string[]> {
    const { ssm } = this.clients;
    const filter = (key: string, value: string) => ({ Key: `tag:${key}`, Option: 'Equals', Values: [value] });
    const ParameterFilters = [
      filter(OwnershipTag.StackId, of.owner.stackId),
      filter(OwnershipTag.LogicalId, of.owner.logicalId),
      filter(OwnershipTag.Repository, of.repositoryName),
    ];
    const names: string[] = [];
    let nextToken: string | undefined;
    // Results come "on a best-effort basis": a page may be short and still carry a token.
    for (let page = 0; page < MAX_PARAMETER_PAGES; page++) {
      const input = { ParameterFilters, MaxResults: 50, ...(nextToken ? { NextToken: nextToken } : {}) };
      const answer = await read('ssm.describeParameters', of.repositoryName, () => ssm.send(new DescribeParametersCommand(input), { abortSignal: signal }));
      for (const parameter of answer?.Parameters ?? []) if (parameter.Name) names.push(parameter.Name);
      nextToken = answer?.NextToken;
      if (!nextToken) break;
    }
    return [...new Set(names)].sort();
  }

  private async parameters(names: readonly string[], signal: AbortSignal): Promise<Record<string, ObservedParameter>> {
    if (names.length === 0) return {};
    const { ssm } = this.clients;
    const options = { abortSignal: signal };
    const [values, ...tagLists] = await Promise.all([
      read('ssm.getParameters', names.join(','), () => ssm.send(new GetParametersCommand({ Names: [...names] }), options)),
      ...names.map((name) =>
        read('ssm.listTagsForResource', name, () =>
          retrying(
            () => ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: name }), options),
            isTooManyUpdates,
            signal,
          ),
        ),
      ),
    ]);
    const result: Record<string, ObservedParameter> = {};
    names.forEach((name, index) => {
      const value = values?.Parameters?.find((parameter) => parameter.Name === name)?.Value;
      const tags = tagLists[index];
      if (value !== undefined && tags) result[name] = { name, value, tags: fromKeyValue(tags.TagList) };
    });
    return result;
  }
}

/** Runs a read; "not found" is `undefined`, anything else an AwsCallError naming the call. */
async function read<T>(action: string, resource: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (NOT_FOUND_CODES.has(awsErrorCode(error) ?? '')) return undefined;
    throw new AwsCallError(action, resource, error);
  }
}
