/**
 * Desired state + actual state -> the ordered actions that close the gap. Deterministic and
 * pure: "nothing to do" is an empty plan; "not ours" is an explicit decision, never a skip.
 */
import { ConflictError, UnsupportedUpdateError } from '../errors';
import { Property } from '../contract';
import type { Action, Actual, Desired, KeyArnRef, ObservedKey, ObservedParameter, Owner, Plan } from './model';
import { belongsToRepository, isOwnedBy, samePolicy, tagChanges } from './ownership';
import { lifecyclePolicyChange } from './lifecycle-policy';
import { repositoryPolicyChange } from './repository-policy';
import { orphanedKey, withStaleParametersRemoved } from './leftovers';

/**
 * Create on the fast path: nothing is read first. The repository is created with its
 * ownership tags in one call, so it is the lock that proves the name is ours. Nothing anyone
 * else can see is written before it: the key (whose ARN CreateRepository needs) is invisible
 * to others until aliased, so the alias, the policies and every parameter wait for the lock.
 * A conflict is found by the create call itself, and the caller then observes and either
 * converges (ours: a duplicate delivery) or fails, removing only its own key.
 *
 * Round trips: key -> repository (+ the key's rotation) -> alias, policies and parameters.
 */
export function planCreate(desired: Desired): Plan {
  const steps: Action[][] = [];
  if (desired.key) {
    steps.push([
      { kind: 'kms.createKey', description: desired.key.description, policy: desired.key.policy, tags: desired.childTags },
    ]);
  }
  const second: Action[] = [
    createRepository(desired, desired.key ? { created: true } : undefined),
  ];
  // New keys start with rotation off; turning it on touches only our own, unaliased key.
  if (desired.key?.rotation) second.push({ kind: 'kms.enableKeyRotation', key: { created: true } });
  steps.push(second);
  const third: Action[] = [];
  if (desired.key) third.push({ kind: 'kms.createAlias', aliasName: desired.key.aliasName, key: { created: true } });
  third.push(...freshRepositoryPolicies(desired));
  if (desired.key && desired.parameters.kmsKeyArn) {
    third.push({ kind: 'ssm.putParameter', name: desired.parameters.kmsKeyArn.name, value: { createdKeyArn: true }, tags: desired.childTags });
  }
  for (const parameter of [desired.parameters.arn, desired.parameters.name]) {
    third.push({ kind: 'ssm.putParameter', name: parameter.name, value: { text: parameter.value ?? '' }, tags: desired.childTags });
  }
  steps.push(third);
  return steps;
}

/**
 * The key that this repository's alias names when that key is not ours (another team's alias
 * under our name): never taken over or repointed. `undefined` when there is no such alias, or
 * it names the repository's own key or a key carrying this resource's ownership tags.
 */
export function foreignAliasKey(desired: Desired, actual: Actual, owner: Owner): ObservedKey | undefined {
  const aliasKey = actual.aliasKey;
  if (!desired.key || !aliasKey || aliasKey.arn === actual.repository?.kmsKeyArn) return undefined;
  return isOwnedBy(aliasKey.tags, owner) ? undefined : aliasKey;
}

/** Why an alias naming someone else's key stops a Create, and what to do. */
export function foreignAliasMessage(aliasName: string, keyArn: string, owner: Owner): string {
  return (
    `KMS alias ${aliasName} already exists and names key ${keyArn}, which is not managed by this resource (stack ${owner.stackId}, logical id ${owner.logicalId}); ` +
    `the provider never takes over or repoints an alias it did not create. Remove the alias, or choose another ${Property.RepositoryBaseName} or ${Property.ApplicationName}.`
  );
}

/** Why `UseKmsKey` cannot flip in place, and how to get there instead. */
export function unsupportedKeyChangeMessage(repositoryName: string, wantsKey: boolean): string {
  return (
    `${Property.UseKmsKey} cannot change while the repository name stays ${repositoryName}: ECR fixes encryption when a repository is created, ` +
    `and replacing it under the same name would delete its images. To move to ${wantsKey ? 'a customer-managed key' : 'AES256'}, ` +
    `change ${Property.RepositoryBaseName} (or ${Property.ApplicationName}) in the same update: CloudFormation then creates the new repository and deletes the old one. Nothing was changed.`
  );
}

/**
 * Makes what exists look like what is desired: Update, adoption after a retried Create, and
 * drift repair. Everything is re-asserted; the actual state decides what needs a call.
 *
 * @throws ConflictError when the repository or a parameter exists and is not ours.
 * @throws UnsupportedUpdateError when the repository's encryption differs from the desired one.
 */
export function planConverge(desired: Desired, actual: Actual, owner: Owner): Plan {
  const repository = actual.repository;
  if (repository && !isOwnedBy(repository.tags, owner)) {
    throw new ConflictError(
      `Repository ${repository.name} already exists and is not managed by this resource (stack ${owner.stackId}, logical id ${owner.logicalId}); ` +
        `the provider never takes over a repository it did not create. Choose another ${Property.RepositoryBaseName} or ${Property.ApplicationName}, or remove the existing repository.`,
    );
  }
  const parameterConflicts = desiredParameters(desired)
    .map((parameter) => actual.parameters[parameter.name])
    .filter((found): found is ObservedParameter => found !== undefined && !isOwnedBy(found.tags, owner));
  if (parameterConflicts.length > 0) {
    throw new ConflictError(
      `SSM parameter ${parameterConflicts.map((parameter) => parameter.name).join(', ')} already exists and is not managed by this resource; ` +
        `another repository with the same ${Property.RepositoryBaseName} owns it (parameter names follow the base name, per account and Region). Choose another ${Property.RepositoryBaseName}.`,
    );
  }
  if (!repository) return withStaleParametersRemoved(planRecreate(desired, actual, owner), desired, actual);

  const wantsKey = desired.key !== undefined;
  const hasKey = repository.encryptionType !== 'AES256';
  if (wantsKey !== hasKey) {
    throw new UnsupportedUpdateError(unsupportedKeyChangeMessage(repository.name, wantsKey));
  }

  const first: Action[] = [];
  const name = desired.repositoryName;
  if (!repository.scanOnPush) first.push({ kind: 'ecr.putImageScanningConfiguration', repositoryName: name });
  // DescribeRepositories, already read, holds the mutability: changing it costs no round trip.
  if (repository.imageTagMutability !== desired.imageTagMutability || !sameFilters(repository.exclusionFilters, desired.exclusionFilters)) {
    first.push({ kind: 'ecr.putImageTagMutability', repositoryName: name, imageTagMutability: desired.imageTagMutability, exclusionFilters: desired.exclusionFilters });
  }
  // Only our rules are ours: a team's own lifecycle rules stay as they are.
  const lifecycle = lifecyclePolicyChange(repository.lifecyclePolicy, desired.lifecyclePolicy);
  if (lifecycle.kind === 'delete') first.push({ kind: 'ecr.deleteLifecyclePolicy', repositoryName: name });
  if (lifecycle.kind === 'put') first.push({ kind: 'ecr.putLifecyclePolicy', repositoryName: name, policy: lifecycle.policy });
  // Only our statement is ours: Lambda's and the teams' own statements stay as they are.
  const policy = repositoryPolicyChange(repository.repositoryPolicy, desired.repositoryPolicy);
  if (policy.kind === 'delete') first.push({ kind: 'ecr.deleteRepositoryPolicy', repositoryName: name });
  if (policy.kind === 'set') first.push({ kind: 'ecr.setRepositoryPolicy', repositoryName: name, policy: policy.policy });
  const repositoryTags = tagChanges(repository.tags, desired.repositoryTags);
  if (Object.keys(repositoryTags.set).length > 0) first.push({ kind: 'ecr.tagResource', repositoryArn: repository.arn, tags: repositoryTags.set });
  if (repositoryTags.remove.length > 0) first.push({ kind: 'ecr.untagResource', repositoryArn: repository.arn, tagKeys: repositoryTags.remove });

  let keyArn: string | undefined;
  // Actions on the repository's key wait until the key is enabled: a key pending deletion
  // refuses aliases, tags and rotation, a disabled key refuses rotation.
  const onKey: Action[] = [];
  const afterKey: Action[] = [];
  const enabling: Action[][] = [];
  if (desired.key && repository.kmsKeyArn) {
    keyArn = repository.kmsKeyArn;
    const key = ownKeyOf(actual, keyArn);
    const aliasKey = actual.aliasKey;
    if (!aliasKey) {
      onKey.push({ kind: 'kms.createAlias', aliasName: desired.key.aliasName, key: { arn: keyArn } });
    } else if (aliasKey.arn !== keyArn && belongsToRepository(aliasKey.tags, owner, name)) {
      // The alias names a key of ours the repository does not use (left by an interrupted
      // Create): point the alias at the repository's key and retire the stray one.
      onKey.push({ kind: 'kms.updateAlias', aliasName: desired.key.aliasName, keyArn });
      if (aliasKey.state !== 'PendingDeletion') afterKey.push({ kind: 'kms.scheduleKeyDeletion', keyArn: aliasKey.arn, pendingWindowInDays: desired.key.deletionWindowDays });
    }
    enabling.push(...enableKey(keyArn, key?.state));
    onKey.push(...convergeKey(keyArn, key, desired, repositoryTags.remove));
  }

  const onParameters: Action[] = [];
  for (const parameter of desiredParameters(desired)) {
    const value = parameter.value ?? keyArn;
    if (value === undefined) continue;
    onParameters.push(...convergeParameter(parameter.name, value, actual.parameters[parameter.name], desired.childTags));
  }
  const [firstEnabling = [], ...laterEnabling] = enabling;
  const steps = firstEnabling.length === 0
    ? [[...first, ...onKey, ...onParameters], afterKey]
    : [[...first, ...firstEnabling, ...onParameters], ...laterEnabling, [...onKey, ...afterKey]];
  return withStaleParametersRemoved(steps.filter((step) => step.length > 0), desired, actual);
}

/**
 * The repository does not exist while the resource does (deleted by hand, or a Create being
 * retried): create it again. A customer key that the alias still names, and that is ours, is
 * reused, brought back from a scheduled deletion if needed, rather than a second key made.
 */
function planRecreate(desired: Desired, actual: Actual, owner: Owner): Plan {
  const aliasKey = actual.aliasKey;
  // Without the alias, the key the `_kms_key_arn` parameter still names is reused when it is
  // ours (the repository and the alias were deleted by hand), rather than orphaned.
  const orphan = desired.key && !aliasKey ? orphanedKey(actual, owner, desired.repositoryName) : undefined;
  if (!desired.key || (!aliasKey && !orphan)) return withExistingParameters(planCreate(desired), actual, desired);
  if (aliasKey && (!aliasKey.tags || !isOwnedBy(aliasKey.tags, owner))) {
    throw new ConflictError(
      `KMS alias ${desired.key.aliasName} already exists and names a key not managed by this resource; the provider never takes over a key it did not create. ` +
        `Choose another ${Property.RepositoryBaseName} or ${Property.ApplicationName}, or remove the alias.`,
    );
  }
  const key = (aliasKey ?? orphan) as ObservedKey;
  const keyArn = key.arn;
  const steps: Action[][] = [...enableKey(keyArn, key.state)];
  const alias: Action[] = aliasKey ? [] : [{ kind: 'kms.createAlias', aliasName: desired.key.aliasName, key: { arn: keyArn } }];
  steps.push([createRepository(desired, { arn: keyArn }), ...alias, ...convergeKey(keyArn, key, desired)]);
  const last: Action[] = freshRepositoryPolicies(desired);
  for (const parameter of desiredParameters(desired)) {
    last.push(...convergeParameter(parameter.name, parameter.value ?? keyArn, actual.parameters[parameter.name], desired.childTags));
  }
  steps.push(last);
  return steps.filter((step) => step.length > 0);
}

/**
 * Brings a key of ours back into service first: a key pending deletion refuses aliases, tags
 * and rotation, a disabled one refuses rotation. Each inner list is one step.
 */
function enableKey(keyArn: string, state: string | undefined): Action[][] {
  // Someone scheduled our key for deletion by hand: the repository would lose its images.
  if (state === 'PendingDeletion') return [[{ kind: 'kms.cancelKeyDeletion', keyArn }], [{ kind: 'kms.enableKey', keyArn }]];
  if (state === 'Disabled') return [[{ kind: 'kms.enableKey', keyArn }]];
  return [];
}

/**
 * A key's policy, rotation and tags as desired. What was not observed (undefined) is asserted;
 * with its tags unknown, `knownRemovals` are the keys removed from the repository's tags.
 */
function convergeKey(keyArn: string, key: ObservedKey | undefined, desired: Desired, knownRemovals: readonly string[] = []): Action[] {
  const wanted = desired.key;
  if (!wanted) return [];
  const actions: Action[] = [];
  if (key?.policy === undefined || !samePolicy(key.policy, wanted.policy)) actions.push({ kind: 'kms.putKeyPolicy', keyArn, policy: wanted.policy });
  if (key?.rotation !== wanted.rotation) actions.push({ kind: wanted.rotation ? 'kms.enableKeyRotation' : 'kms.disableKeyRotation', key: { arn: keyArn } });
  const tags = tagChanges(key?.tags, desired.childTags, knownRemovals);
  if (Object.keys(tags.set).length > 0) actions.push({ kind: 'kms.tagResource', keyArn, tags: tags.set });
  if (tags.remove.length > 0) actions.push({ kind: 'kms.untagResource', keyArn, tagKeys: tags.remove });
  return actions;
}

/** The repository, with its ownership tags, scanning and tag mutability in the one call. */
function createRepository(desired: Desired, key: KeyArnRef | undefined): Action {
  return {
    kind: 'ecr.createRepository',
    repositoryName: desired.repositoryName,
    ...(key ? { key } : {}),
    tags: desired.repositoryTags,
    imageTagMutability: desired.imageTagMutability,
    exclusionFilters: desired.exclusionFilters,
  };
}

/** Same filters in any order (ECR does not promise to keep ours). */
function sameFilters(actual: readonly string[], desired: readonly string[]): boolean {
  const sorted = (filters: readonly string[]) => JSON.stringify([...new Set(filters)].sort());
  return sorted(actual) === sorted(desired);
}

/** The lifecycle and repository policies of a repository created by this plan (it has none yet). */
function freshRepositoryPolicies(desired: Desired): Action[] {
  const actions: Action[] = [];
  if (desired.lifecyclePolicy) actions.push({ kind: 'ecr.putLifecyclePolicy', repositoryName: desired.repositoryName, policy: desired.lifecyclePolicy });
  if (desired.repositoryPolicy) actions.push({ kind: 'ecr.setRepositoryPolicy', repositoryName: desired.repositoryName, policy: desired.repositoryPolicy });
  return actions;
}

/** A fresh create plan whose parameter writes respect parameters that already exist (ours). */
function withExistingParameters(plan: Plan, actual: Actual, desired: Desired): Plan {
  return plan.map((step) =>
    step.flatMap((action): Action[] => {
      if (action.kind !== 'ssm.putParameter') return [action];
      const existing = actual.parameters[action.name];
      if (!existing) return [action];
      if ('createdKeyArn' in action.value) return [{ kind: 'ssm.putParameter', name: action.name, value: action.value }, ...tagsFor(action.name, existing, desired.childTags)];
      return convergeParameter(action.name, action.value.text, existing, desired.childTags);
    }),
  );
}

function convergeParameter(name: string, value: string, existing: ObservedParameter | undefined, tags: Readonly<Record<string, string>>): Action[] {
  if (!existing) return [{ kind: 'ssm.putParameter', name, value: { text: value }, tags }];
  const actions: Action[] = [];
  if (existing.value !== value) actions.push({ kind: 'ssm.putParameter', name, value: { text: value } });
  actions.push(...tagsFor(name, existing, tags));
  return actions;
}

function tagsFor(name: string, existing: ObservedParameter, tags: Readonly<Record<string, string>>): Action[] {
  const changes = tagChanges(existing.tags, tags);
  const actions: Action[] = [];
  if (Object.keys(changes.set).length > 0) actions.push({ kind: 'ssm.addTagsToResource', name, tags: changes.set });
  if (changes.remove.length > 0) actions.push({ kind: 'ssm.removeTagsFromResource', name, tagKeys: changes.remove });
  return actions;
}

function desiredParameters(desired: Desired) {
  return [desired.parameters.arn, desired.parameters.name, ...(desired.parameters.kmsKeyArn ? [desired.parameters.kmsKeyArn] : [])];
}

/** The observation of the repository's key, whichever way it was found. */
function ownKeyOf(actual: Actual, keyArn: string): ObservedKey | undefined {
  if (actual.aliasKey?.arn === keyArn) return actual.aliasKey;
  if (actual.repositoryKey?.arn === keyArn) return actual.repositoryKey;
  return undefined;
}
