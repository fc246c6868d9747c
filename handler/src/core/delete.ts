/**
 * Delete: remove only what carries this resource's ownership tags and belongs to the
 * repository named by the physical id. Anything already gone is success; a physical id that
 * names no repository of ours touches nothing.
 */
import type { Action, Actual, Owner, Plan } from './model';
import { orphanedKey } from './leftovers';
import { belongsToRepository, isOwnedBy } from './ownership';

export interface DeleteDecision {
  readonly plan: Plan;
  /** Why nothing is done, when nothing is; for the log. */
  readonly skipped?: string;
}

export function planDelete(repositoryName: string, aliasName: string, actual: Actual, owner: Owner, deletionWindowDays: number): DeleteDecision {
  const repository = actual.repository;
  if (repository && !isOwnedBy(repository.tags, owner)) {
    return { plan: [], skipped: `repository ${repositoryName} exists but is not managed by this resource: left untouched` };
  }
  const first: Action[] = [];
  const last: Action[] = [];
  if (repository) first.push({ kind: 'ecr.deleteRepository', repositoryName });

  // Keys: the repository's own key (ours, since the repository is ours and we only ever
  // encrypt it with a key we created) and the alias's key when it is tagged for this repository.
  const keys = new Map<string, { alias: boolean }>();
  if (repository?.kmsKeyArn) {
    const repositoryKey = [actual.aliasKey, actual.repositoryKey].find((key) => key?.arn === repository.kmsKeyArn);
    if (!repositoryKey?.tags || belongsToRepository(repositoryKey.tags, owner, repositoryName)) {
      keys.set(repository.kmsKeyArn, { alias: actual.aliasKey?.arn === repository.kmsKeyArn });
    }
  }
  if (actual.aliasKey && belongsToRepository(actual.aliasKey.tags, owner, repositoryName)) {
    keys.set(actual.aliasKey.arn, { alias: true });
  }
  // The repository and the alias were deleted by hand: the key parameter still names the key.
  const orphan = orphanedKey(actual, owner, repositoryName);
  if (orphan && !keys.has(orphan.arn)) keys.set(orphan.arn, { alias: false });
  for (const [keyArn, { alias }] of keys) {
    if (alias) first.push({ kind: 'kms.deleteAlias', aliasName });
    const state = [actual.aliasKey, actual.repositoryKey, actual.parameterKey].find((key) => key?.arn === keyArn)?.state;
    // The key outlives the repository: ECR retires its grants when the repository goes, and
    // a repository that failed to delete must never be left with a key on its way out.
    if (state !== 'PendingDeletion') last.push({ kind: 'kms.scheduleKeyDeletion', keyArn, pendingWindowInDays: deletionWindowDays });
  }

  // By name (today's names), and by ownership tags under any earlier name (AWS filtered those).
  const byName = Object.values(actual.parameters)
    .filter((parameter) => belongsToRepository(parameter.tags, owner, repositoryName))
    .map((parameter) => parameter.name);
  const parameters = [...new Set([...byName, ...(actual.ownedParameterNames ?? [])])].sort();
  if (parameters.length > 0) first.push({ kind: 'ssm.deleteParameters', names: parameters });

  const plan = [first, last].filter((step) => step.length > 0);
  return plan.length === 0 ? { plan, skipped: `nothing managed by this resource exists for ${repositoryName}` } : { plan };
}
