/**
 * Actual states for the core's tables: what AWS would report for a resource that matches its
 * desired state, and small edits that describe one drift each.
 */
import type { Actual, Desired, ObservedKey, ObservedParameter, ObservedRepository } from '../../handler/src/core/model';

/** The repository's own key in the tables. */
export const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-1111-4111-8111-111111111111';
/** A second key: left by an interrupted Create, or someone else's. */
export const STRAY_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/22222222-2222-4222-8222-222222222222';

/** What AWS reports for a repository that is exactly as desired (its key fully read). */
export function convergedActual(desired: Desired, keyArn: string = KEY_ARN): Actual {
  const repository: ObservedRepository = {
    name: desired.repositoryName,
    arn: desired.repositoryArn,
    uri: desired.repositoryUri,
    encryptionType: desired.key ? 'KMS' : 'AES256',
    ...(desired.key ? { kmsKeyArn: keyArn } : {}),
    scanOnPush: true,
    imageTagMutability: desired.imageTagMutability,
    exclusionFilters: [...desired.exclusionFilters],
    tags: { ...desired.repositoryTags },
    lifecyclePolicy: desired.lifecyclePolicy ?? null,
    repositoryPolicy: desired.repositoryPolicy ?? null,
  };
  const parameters: Record<string, ObservedParameter> = {};
  for (const parameter of [desired.parameters.arn, desired.parameters.name, desired.parameters.kmsKeyArn]) {
    if (parameter) parameters[parameter.name] = { name: parameter.name, value: parameter.value ?? keyArn, tags: { ...desired.childTags } };
  }
  return {
    repository,
    ...(desired.key
      ? { aliasKey: { keyId: keyArn.split('/')[1] ?? keyArn, arn: keyArn, state: 'Enabled', policy: desired.key.policy, rotation: desired.key.rotation, tags: { ...desired.childTags } } }
      : {}),
    parameters,
  };
}

/** The same state with the repository changed as `patch` says. */
export function withRepository(actual: Actual, patch: Partial<ObservedRepository>): Actual {
  if (!actual.repository) throw new Error('no repository to patch');
  return { ...actual, repository: { ...actual.repository, ...patch } };
}

/** The same state with the repository gone (deleted by hand). */
export function withoutRepository(actual: Actual): Actual {
  const { repository: _gone, ...rest } = actual;
  return rest;
}

/** The same state with the alias's key changed, or the alias gone when `patch` is undefined. */
export function withAliasKey(actual: Actual, patch: Partial<ObservedKey> | undefined): Actual {
  const { aliasKey, ...rest } = actual;
  if (patch === undefined) return rest;
  return { ...rest, aliasKey: { ...(aliasKey ?? { keyId: 'k', arn: KEY_ARN, state: 'Enabled' }), ...patch } };
}

/** The same state with one parameter changed, or gone when `patch` is undefined. */
export function withParameter(actual: Actual, name: string, patch: Partial<ObservedParameter> | undefined): Actual {
  const parameters = { ...actual.parameters };
  if (patch === undefined) delete parameters[name];
  else parameters[name] = { name, value: '', tags: {}, ...parameters[name], ...patch };
  return { ...actual, parameters };
}

/** Only what exists under the desired names: nothing. */
export const NOTHING: Actual = { parameters: {} };
