/**
 * Runs a plan: steps one after another, the actions of a step concurrently. Records what it
 * created, so a failure can remove exactly that and nothing that existed before.
 */
import type { Action, Plan } from '../core/model';
import { isUncertain } from '../errors';

/** Values produced by earlier actions of the same plan. */
export interface RunState {
  createdKeyArn?: string;
}

/** What an action produced, when it produced something. */
export interface ActionResult {
  readonly keyArn?: string;
  /**
   * Attempts of a create the SDK retried after their answer was lost: each may have made a
   * thing of its own (for CreateKey, a key besides `keyArn`). @default 0
   */
  readonly unansweredAttempts?: number;
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

/** A create call whose answer never came: what it was for, for the log. */
export interface Uncertain {
  readonly type: Created['type'];
  /** The name it would have; `undefined` for a key (its id is in the lost answer). */
  readonly name?: string;
}

/** What this request created, in order, and which creates it cannot be sure about. */
export class Journal {
  private entries: Created[] = [];
  private unsure: Uncertain[] = [];

  /** What was created, oldest first. */
  get created(): readonly Created[] {
    return this.entries;
  }

  record(action: Action, result: ActionResult | void): void {
    switch (action.kind) {
      case 'kms.createKey':
        if (result?.keyArn) this.entries.push({ type: 'key', arn: result.keyArn });
        // Retried after a lost answer: keys this journal cannot name may exist besides it.
        for (let attempt = 0; attempt < (result?.unansweredAttempts ?? 0); attempt++) this.recordUncertain(action);
        break;
      case 'kms.createAlias':
        this.entries.push({ type: 'alias', name: action.aliasName });
        break;
      case 'ecr.createRepository':
        this.entries.push({ type: 'repository', name: action.repositoryName });
        break;
      case 'ssm.putParameter':
        // Written with tags means created; without, an existing parameter was overwritten.
        if (action.tags) this.entries.push({ type: 'parameter', name: action.name });
        break;
      default:
        break;
    }
  }

  /**
   * Notes a create whose answer never came (a timeout, a lost connection, a server error): AWS
   * may have made it anyway, and it would carry our ownership tags.
   */
  recordUncertain(action: Action): void {
    if (action.kind === 'ecr.createRepository') this.unsure.push({ type: 'repository', name: action.repositoryName });
    if (action.kind === 'kms.createKey') this.unsure.push({ type: 'key' });
    if (action.kind === 'kms.createAlias') this.unsure.push({ type: 'alias', name: action.aliasName });
    if (action.kind === 'ssm.putParameter' && action.tags) this.unsure.push({ type: 'parameter', name: action.name });
  }

  /** Something of ours may exist without this journal knowing it (or, for a key, its id). */
  get mayHaveCreatedUnseen(): boolean {
    return this.unsure.length > 0;
  }

  /** The creates whose answers were lost, in order. */
  get uncertain(): readonly Uncertain[] {
    return this.unsure;
  }

  /**
   * Records something this request turns out to have made although its answer said otherwise
   * (a retried call finding the result of its own first, unanswered attempt).
   */
  claim(entry: Created): void {
    if (!this.entries.includes(entry)) this.entries.push(entry);
  }

  has(type: Created['type'], id: string): boolean {
    return this.entries.some((entry) => entry.type === type && ('arn' in entry ? entry.arn : entry.name) === id);
  }

  /** Drops entries that were removed (compensated) or are no longer this request's to remove. */
  forget(gone: readonly Created[]): void {
    this.entries = this.entries.filter((entry) => !gone.includes(entry));
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
          if (isUncertain(error)) journal.recordUncertain(action);
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
export function compensationPlan(created: readonly Created[], deletionWindowDays: number): Plan {
  const first: Action[] = [];
  const parameters: string[] = [];
  for (const entry of created) {
    if (entry.type === 'repository') first.push({ kind: 'ecr.deleteRepository', repositoryName: entry.name });
    if (entry.type === 'alias') first.push({ kind: 'kms.deleteAlias', aliasName: entry.name });
    if (entry.type === 'parameter') parameters.push(entry.name);
  }
  if (parameters.length > 0) first.push({ kind: 'ssm.deleteParameters', names: parameters });
  const keys: Action[] = created.flatMap((entry): Action[] =>
    entry.type === 'key' ? [{ kind: 'kms.scheduleKeyDeletion', keyArn: entry.arn, pendingWindowInDays: deletionWindowDays }] : [],
  );
  return [first, keys].filter((step) => step.length > 0);
}
