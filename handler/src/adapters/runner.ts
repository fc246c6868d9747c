/**
 * Executes one planned action with the SDK. Deletes treat "already gone" as success; every
 * other failure becomes an AwsCallError naming the action and the resource, with `cause`.
 */
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  type ImageTagMutability,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import {
  AddTagsToResourceCommand,
  DeleteParametersCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-ssm';
import { targetOf } from '../core/describe';
import type { Action, KeyArnRef } from '../core/model';
import { AwsCallError, awsErrorCode } from '../errors';
import type { ActionResult, ActionRunner, RunState } from '../provider/execute';
import { type Clients, keyIdOf } from './clients';
import { isTooManyUpdates, NOT_FOUND_CODES, retrying } from './retry';
import { toKeyValue, toKmsTags } from './tags';
import { watchUnanswered } from './unanswered';


export class AwsActionRunner implements ActionRunner {
  constructor(private readonly clients: Clients) {}

  async run(action: Action, state: Readonly<RunState>, signal: AbortSignal): Promise<ActionResult | void> {
    try {
      return await this.dispatch(action, state, signal);
    } catch (error) {
      if (error instanceof AwsCallError) throw error;
      throw new AwsCallError(action.kind, targetOf(action), error);
    }
  }

  private async dispatch(action: Action, state: Readonly<RunState>, signal: AbortSignal): Promise<ActionResult | void> {
    const { ecr, ssm } = this.clients;
    const options = { abortSignal: signal };
    switch (action.kind) {
      case 'ecr.createRepository': {
        const keyArn = action.key ? resolveKey(action.key, state) : undefined;
        const send = () =>
          ecr.send(
            new CreateRepositoryCommand({
              repositoryName: action.repositoryName,
              imageScanningConfiguration: { scanOnPush: true },
              encryptionConfiguration: keyArn ? { encryptionType: 'KMS', kmsKey: keyArn } : { encryptionType: 'AES256' },
              ...tagMutability(action),
              tags: toKeyValue(action.tags),
            }),
            options,
          );
        // A key created a moment ago may not be visible to ECR yet (KMS is eventually consistent).
        await (action.key && 'created' in action.key ? retrying(send, (code) => code === 'KmsException', signal) : send());
        return;
      }
      case 'ecr.putImageScanningConfiguration':
        await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: action.repositoryName, imageScanningConfiguration: { scanOnPush: true } }), options);
        return;
      case 'ecr.putImageTagMutability':
        await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: action.repositoryName, imageTagMutability: action.imageTagMutability, ...tagMutability(action) }), options);
        return;
      case 'ecr.putLifecyclePolicy':
        await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: action.repositoryName, lifecyclePolicyText: action.policy }), options);
        return;
      case 'ecr.deleteLifecyclePolicy':
        return ignoreGone(ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: action.repositoryName }), options));
      case 'ecr.setRepositoryPolicy':
        await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: action.repositoryName, policyText: action.policy }), options);
        return;
      case 'ecr.deleteRepositoryPolicy':
        return ignoreGone(ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: action.repositoryName }), options));
      case 'ecr.tagResource':
        await ecr.send(new TagResourceCommand({ resourceArn: action.repositoryArn, tags: toKeyValue(action.tags) }), options);
        return;
      case 'ecr.untagResource':
        await ecr.send(new UntagResourceCommand({ resourceArn: action.repositoryArn, tagKeys: [...action.tagKeys] }), options);
        return;
      case 'ecr.deleteRepository':
        // force: empty on delete, as the seed promises; only ever called on a repository of ours.
        return ignoreGone(ecr.send(new DeleteRepositoryCommand({ repositoryName: action.repositoryName, force: true }), options));

      case 'ssm.putParameter': {
        const value = 'text' in action.value ? action.value.text : resolveKey({ created: true }, state);
        // SSM refuses Tags together with Overwrite: create with tags, or overwrite without.
        const input = action.tags
          ? { Name: action.name, Value: value, Type: 'String' as const, Overwrite: false, Tags: toKeyValue(action.tags) }
          : { Name: action.name, Value: value, Overwrite: true };
        await retrying(() => ssm.send(new PutParameterCommand(input), options), isTooManyUpdates, signal);
        return;
      }
      case 'ssm.addTagsToResource':
        await retrying(
          () => ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: action.name, Tags: toKeyValue(action.tags) }), options),
          isTooManyUpdates,
          signal,
        );
        return;
      case 'ssm.removeTagsFromResource':
        await retrying(
          () => ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: action.name, TagKeys: [...action.tagKeys] }), options),
          isTooManyUpdates,
          signal,
        );
        return;
      case 'ssm.deleteParameters':
        // Names that do not exist come back as InvalidParameters, not as an error: already gone.
        await retrying(() => ssm.send(new DeleteParametersCommand({ Names: [...action.names] }), options), isTooManyUpdates, signal);
        return;

      default:
        return this.runKms(action, state, signal);
    }
  }

  private async runKms(action: Action, state: Readonly<RunState>, signal: AbortSignal): Promise<ActionResult | void> {
    const { client, sdk } = await this.clients.kms();
    const options = { abortSignal: signal };
    // Calls right after CreateKey may not see the key yet: retry NotFound for a created key only.
    const onCreated = <T>(ref: KeyArnRef, send: () => Promise<T>) =>
      'created' in ref ? retrying(send, (code) => code === 'NotFoundException', signal) : send();
    switch (action.kind) {
      case 'kms.createKey': {
        const command = new sdk.CreateKeyCommand({
          Description: action.description,
          Policy: action.policy,
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
          Tags: toKmsTags(action.tags),
        });
        // CreateKey is not idempotent: an attempt the SDK retried because its answer was lost
        // may have made a key too. Counted here, looked for by the provider (retried-keys.ts).
        const attempts = watchUnanswered(command);
        const created = await client.send(command, options).catch((error: unknown) => {
          throw new AwsCallError(action.kind, targetOf(action), error, attempts.unanswered > 0);
        });
        const keyArn = created.KeyMetadata?.Arn;
        if (!keyArn) throw new Error('CreateKey returned no key ARN');
        return attempts.unanswered > 0 ? { keyArn, unansweredAttempts: attempts.unanswered } : { keyArn };
      }
      case 'kms.enableKeyRotation':
        await onCreated(action.key, () => client.send(new sdk.EnableKeyRotationCommand({ KeyId: keyIdOf(resolveKey(action.key, state)) }), options));
        return;
      case 'kms.disableKeyRotation':
        await onCreated(action.key, () => client.send(new sdk.DisableKeyRotationCommand({ KeyId: keyIdOf(resolveKey(action.key, state)) }), options));
        return;
      case 'kms.createAlias':
        await onCreated(action.key, () => client.send(new sdk.CreateAliasCommand({ AliasName: action.aliasName, TargetKeyId: keyIdOf(resolveKey(action.key, state)) }), options));
        return;
      case 'kms.updateAlias':
        await client.send(new sdk.UpdateAliasCommand({ AliasName: action.aliasName, TargetKeyId: keyIdOf(action.keyArn) }), options);
        return;
      case 'kms.deleteAlias':
        return ignoreGone(client.send(new sdk.DeleteAliasCommand({ AliasName: action.aliasName }), options));
      case 'kms.putKeyPolicy':
        await client.send(new sdk.PutKeyPolicyCommand({ KeyId: keyIdOf(action.keyArn), PolicyName: 'default', Policy: action.policy }), options);
        return;
      case 'kms.cancelKeyDeletion':
        await client.send(new sdk.CancelKeyDeletionCommand({ KeyId: keyIdOf(action.keyArn) }), options);
        return;
      case 'kms.enableKey':
        await client.send(new sdk.EnableKeyCommand({ KeyId: keyIdOf(action.keyArn) }), options);
        return;
      case 'kms.tagResource':
        await client.send(new sdk.TagResourceCommand({ KeyId: keyIdOf(action.keyArn), Tags: toKmsTags(action.tags) }), options);
        return;
      case 'kms.untagResource':
        await client.send(new sdk.UntagResourceCommand({ KeyId: keyIdOf(action.keyArn), TagKeys: [...action.tagKeys] }), options);
        return;
      case 'kms.scheduleKeyDeletion':
        try {
          await client.send(new sdk.ScheduleKeyDeletionCommand({ KeyId: keyIdOf(action.keyArn), PendingWindowInDays: action.pendingWindowInDays }), options);
        } catch (error) {
          // Already pending deletion (KMSInvalidStateException) or gone: the goal is reached.
          const code = awsErrorCode(error);
          if (code !== 'KMSInvalidStateException' && code !== 'NotFoundException') throw error;
        }
        return;
      default:
        throw new Error(`Unknown action ${(action as Action).kind}`);
    }
  }
}

/** ECR's mutability fields; filters only where ECR takes them (it refuses an empty list elsewhere). */
function tagMutability(action: { readonly imageTagMutability?: string; readonly exclusionFilters?: readonly string[] }) {
  if (action.imageTagMutability === undefined) return {};
  const imageTagMutability = action.imageTagMutability as ImageTagMutability;
  if (action.exclusionFilters === undefined || action.exclusionFilters.length === 0) return { imageTagMutability };
  return { imageTagMutability, imageTagMutabilityExclusionFilters: action.exclusionFilters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })) };
}

function resolveKey(ref: KeyArnRef, state: Readonly<RunState>): string {
  if ('arn' in ref) return ref.arn;
  if (!state.createdKeyArn) throw new Error('The plan refers to a created key before creating it');
  return state.createdKeyArn;
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!NOT_FOUND_CODES.has(awsErrorCode(error) ?? '')) throw error;
  }
}
