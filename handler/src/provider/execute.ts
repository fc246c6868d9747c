/**
 * Runs a plan: steps one after another, the actions of a step concurrently. Records what it
 * created, so a failure can remove exactly that and nothing that existed before.
 */
import type { Action, Plan } from '../core/model';

/** Values produced by earlier actions of the same plan. */
export interface RunState {
  createdKeyArn?: string;
}

/** What an action produced, when it produced something. */
export interface ActionResult {
  readonly keyArn?: string;
}

/** The one seam to AWS for writes: the adapters implement it, tests fake it. */
export interface ActionRunner {
  run(action: Action, state: Readonly<RunState>, signal: AbortSignal): Promise<ActionResult | void>;
}

export type Created =
  | { readonly type: 'key'; readonly arn: string }
  | { readonly type: 'alias'; readonly name: string }
  | { readonly type: 'repository'; readonly name: string }
  | { readonly type: 'parameter'; readonly name: string };

/** What this request created, in order. */
export class Journal {
  readonly created: Created[] = [];

  record(action: Action, result: ActionResult | void): void {
    switch (action.kind) {
      case 'kms.createKey':
        if (result?.keyArn) this.created.push({ type: 'key', arn: result.keyArn });
        break;
      case 'kms.createAlias':
        this.created.push({ type: 'alias', name: action.aliasName });
        break;
      case 'ecr.createRepository':
        this.created.push({ type: 'repository', name: action.repositoryName });
        break;
      case 'ssm.putParameter':
        // Written with tags means created; without, an existing parameter was overwritten.
        if (action.tags) this.created.push({ type: 'parameter', name: action.name });
        break;
      default:
        break;
    }
  }

  has(type: Created['type'], id: string): boolean {
    return this.created.some((entry) => entry.type === type && ('arn' in entry ? entry.arn : entry.name) === id);
  }

  get isEmpty(): boolean {
    return this.created.length === 0;
  }
}

/**
 * Runs every step. All actions of a step settle before a failure is reported, so the journal
 * is complete when compensation starts.
 *
 * @throws the first failed action's error (the others are in `failures` for the log).
 */
export async function execute(
  plan: Plan,
  runner: ActionRunner,
  signal: AbortSignal,
  journal: Journal,
  state: RunState = {},
  onAction?: (action: Action, outcome: 'ok' | 'failed', error?: unknown) => void,
): Promise<RunState> {
  for (const step of plan) {
    signal.throwIfAborted();
    const outcomes = await Promise.allSettled(
      step.map(async (action) => {
        try {
          const result = await runner.run(action, state, signal);
          if (action.kind === 'kms.createKey' && result?.keyArn) state.createdKeyArn = result.keyArn;
          journal.record(action, result);
          onAction?.(action, 'ok');
        } catch (error) {
          onAction?.(action, 'failed', error);
          throw error;
        }
      }),
    );
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (failures.length > 0) throw failures[0];
  }
  return state;
}

/**
 * The plan that removes what a failed request created: repository, alias and parameters
 * first, then the keys (a key outlives the repository it encrypts).
 */
export function compensationPlan(created: readonly Created[], deletionWindowDays: number, keep: (entry: Created) => boolean = () => false): Plan {
  const remove = created.filter((entry) => !keep(entry));
  const first: Action[] = [];
  const parameters: string[] = [];
  for (const entry of remove) {
    if (entry.type === 'repository') first.push({ kind: 'ecr.deleteRepository', repositoryName: entry.name });
    if (entry.type === 'alias') first.push({ kind: 'kms.deleteAlias', aliasName: entry.name });
    if (entry.type === 'parameter') parameters.push(entry.name);
  }
  if (parameters.length > 0) first.push({ kind: 'ssm.deleteParameters', names: parameters });
  const keys: Action[] = remove.flatMap((entry): Action[] =>
    entry.type === 'key' ? [{ kind: 'kms.scheduleKeyDeletion', keyArn: entry.arn, pendingWindowInDays: deletionWindowDays }] : [],
  );
  return [first, keys].filter((step) => step.length > 0);
}
