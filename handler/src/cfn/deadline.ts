/**
 * The time budget of one invocation. Lambda kills a function at its timeout without a word,
 * and CloudFormation then waits `ServiceTimeout` (up to an hour) for an answer that never
 * comes. So the wrapper splits the remaining time:
 *
 * ```
 * start ──── business handler ──── soft ── compensate ── hard ── PUT + retries ── send-by ─ end
 *                                   │                     │                          │
 *                        signal aborted        FAILED sent even if the     no new PUT attempt
 *                                              handler never settles       starts after this
 * ```
 *
 * With a 15-minute Lambda: soft at remaining − 20 s, hard at remaining − 5 s, send-by at
 * remaining − 1 s. Short budgets (tests, a misconfigured 3 s function) scale down: the reserve
 * is at most a fifth of the budget and the soft deadline never comes before half of it.
 */
import { DeadlineError } from '../errors';

/** Time kept after the hard deadline for the final PUT and its retries. */
export const DEFAULT_RESERVE_MS = 5_000;

/** Time between the soft deadline (signal aborted) and the end of the budget. */
export const DEFAULT_SOFT_RESERVE_MS = 20_000;

/** Time kept after the last PUT attempt may start, so the process answers before Lambda kills it. */
export const MAX_FINAL_MARGIN_MS = 1_000;

/** The budget used when the context reports no usable remaining time. */
export const FALLBACK_REMAINING_MS = 60_000;

/** Offsets from the start of the invocation, in milliseconds. */
export interface DeadlinePlan {
  /** What `getRemainingTimeInMillis()` reported at the start. */
  readonly remainingMs: number;
  /** The handler's signal is aborted here, so it can stop and compensate. */
  readonly softMs: number;
  /** FAILED is sent here if the handler has not settled. */
  readonly hardMs: number;
  /** No PUT attempt starts after this. */
  readonly sendByMs: number;
}

/** Reserves of {@link planDeadlines}. */
export interface DeadlineOptions {
  /** @default DEFAULT_RESERVE_MS (5 s), capped at a fifth of the budget */
  readonly reserveMs?: number;
  /** @default DEFAULT_SOFT_RESERVE_MS (20 s), capped at half of the budget */
  readonly softReserveMs?: number;
}

/** Splits the remaining time into soft, hard and send-by deadlines (see the module comment). */
export function planDeadlines(remainingMs: number, options: DeadlineOptions = {}): DeadlinePlan {
  const budget = Number.isFinite(remainingMs) ? Math.max(0, remainingMs) : FALLBACK_REMAINING_MS;
  const reserve = Math.min(nonNegative(options.reserveMs, DEFAULT_RESERVE_MS), budget / 5);
  const hardMs = Math.floor(budget - reserve);
  const softMs = Math.floor(Math.min(hardMs, Math.max(budget - nonNegative(options.softReserveMs, DEFAULT_SOFT_RESERVE_MS), budget / 2)));
  const sendByMs = Math.floor(budget - Math.min(MAX_FINAL_MARGIN_MS, reserve / 2));
  return { remainingMs: budget, softMs, hardMs, sendByMs };
}

/** A running guard: the handler's signal and the hard deadline as a promise. */
export interface DeadlineGuard {
  /** Aborted at the soft deadline (or at the hard one, whichever fires first) with a DeadlineError. */
  readonly signal: AbortSignal;
  /** Resolves with the error to report when the hard deadline passes; never if stopped first. */
  readonly hardDeadline: Promise<DeadlineError>;
  /** Clears both timers, so nothing keeps the process alive. */
  stop(): void;
}

/** Starts the soft and hard timers of `plan`. Call `stop()` as soon as the handler settles. */
export function startDeadlineGuard(plan: DeadlinePlan): DeadlineGuard {
  const controller = new AbortController();
  let hardTimer: NodeJS.Timeout | undefined;
  const softTimer = setTimeout(() => controller.abort(softDeadlineError(plan)), plan.softMs);
  const hardDeadline = new Promise<DeadlineError>((resolve) => {
    hardTimer = setTimeout(() => {
      const error = hardDeadlineError(plan);
      if (!controller.signal.aborted) controller.abort(error);
      resolve(error);
    }, plan.hardMs);
  });
  return {
    signal: controller.signal,
    hardDeadline,
    stop: () => {
      clearTimeout(softTimer);
      clearTimeout(hardTimer);
    },
  };
}

/** The error the handler's signal carries: rethrown as is, it makes a readable `Reason`. */
export function softDeadlineError(plan: DeadlinePlan): DeadlineError {
  return new DeadlineError(
    `The provider stopped its work ${formatMs(plan.remainingMs - plan.softMs)} before its time budget of ${formatMs(plan.remainingMs)} ` +
      '(the Lambda timeout) ran out, to answer CloudFormation in time; what was created stays tagged for the Delete that follows. ' +
      'Raise the provider function timeout if this repeats',
  );
}

/** The error reported when the handler did not settle by the hard deadline. */
export function hardDeadlineError(plan: DeadlinePlan): DeadlineError {
  return new DeadlineError(
    `The provider ran out of time: it did not finish within its time budget of ${formatMs(plan.remainingMs)} ` +
      `(the Lambda timeout) less the ${formatMs(plan.remainingMs - plan.hardMs)} kept to answer CloudFormation; ` +
      'what was created stays tagged for the Delete that follows. Raise the provider function timeout if this repeats',
  );
}

/** `850 ms`, `12.5 s`, `15 min`: the unit a reader expects for the size. */
export function formatMs(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 10_000) return `${rounded} ms`;
  if (rounded < 120_000) return `${Number((rounded / 1000).toFixed(1))} s`;
  return `${Number((rounded / 60_000).toFixed(1))} min`;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}
