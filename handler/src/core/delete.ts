/**
 * Delete: remove only what carries this resource's ownership tags and belongs to the
 * repository named by the physical id. Anything already gone is success; a physical id that
 * names no repository of ours touches nothing.
 */
import type { Action, Actual, Owner, Plan } from './model';
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
  for (const [keyArn, { alias }] of keys) {
    if (alias) first.push({ kind: 'kms.deleteAlias', aliasName });
    const state = [actual.aliasKey, actual.repositoryKey].find((key) => key?.arn === keyArn)?.state;
    // The key outlives the repository: ECR retires its grants when the repository goes, and
    // a repository that failed to delete must never be left with a key on its way out.
    if (state !== 'PendingDeletion') last.push({ kind: 'kms.scheduleKeyDeletion', keyArn, pendingWindowInDays: deletionWindowDays });
  }

  const parameters = Object.values(actual.parameters)
    .filter((parameter) => belongsToRepository(parameter.tags, owner, repositoryName))
    .map((parameter) => parameter.name)
    .sort();
  if (parameters.length > 0) first.push({ kind: 'ssm.deleteParameters', names: parameters });

  const plan = [first, last].filter((step) => step.length > 0);
  return plan.length === 0 ? { plan, skipped: `nothing managed by this resource exists for ${repositoryName}` } : { plan };
}
