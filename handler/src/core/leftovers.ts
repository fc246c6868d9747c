/**
 * What an Update or Delete finds of this resource under names it no longer computes: its
 * parameters under an earlier parameter prefix or base-name spelling, and its key when the
 * repository and the alias that named it were deleted by hand. Pure.
 */
import type { Action, Actual, Desired, ObservedKey, Owner, Plan } from './model';
import { belongsToRepository } from './ownership';

/**
 * This resource's parameters for the repository that the desired state no longer names (AWS
 * listed them by all three ownership tags, so they are ours), sorted.
 */
export function staleParameters(desired: Desired, actual: Actual): string[] {
  const wanted = new Set([desired.parameters.arn.name, desired.parameters.name.name, ...(desired.parameters.kmsKeyArn ? [desired.parameters.kmsKeyArn.name] : [])]);
  return (actual.ownedParameterNames ?? []).filter((name) => !wanted.has(name)).sort();
}

/**
 * Adds the removal of stale parameters to the plan's last step, next to the writes of the
 * parameters under their new names: no round trip more.
 */
export function withStaleParametersRemoved(plan: Plan, desired: Desired, actual: Actual): Plan {
  const stale = staleParameters(desired, actual);
  if (stale.length === 0) return plan;
  const removal: Action = { kind: 'ssm.deleteParameters', names: stale };
  if (plan.length === 0) return [[removal]];
  return [...plan.slice(0, -1), [...(plan[plan.length - 1] ?? []), removal]];
}

/**
 * The key the `_kms_key_arn` parameter names, when it carries this resource's ownership tags
 * for this repository: the one to reuse (Update) or schedule for deletion (Delete) after the
 * repository and its alias were deleted by hand. Anything else is not ours to touch.
 */
export function orphanedKey(actual: Actual, owner: Owner, repositoryName: string): ObservedKey | undefined {
  const key = actual.parameterKey;
  return key && belongsToRepository(key.tags, owner, repositoryName) ? key : undefined;
}
