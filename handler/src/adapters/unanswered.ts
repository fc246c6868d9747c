/**
 * Counts the attempts of one SDK call that got no answer from AWS (a dropped connection, a
 * timeout, a server error) and that the SDK then retried. For an idempotent call that is
 * harmless; KMS CreateKey makes a new key on every attempt that reaches KMS, so each such
 * attempt may have left a key nobody references. The caller looks for those afterwards
 * (provider/retried-keys.ts) instead of turning the SDK's retries off, which also absorb
 * throttling when a stack creates many repositories at once.
 */
import type { CreateKeyCommand } from '@aws-sdk/client-kms';
import { isUncertain } from '../errors';

/** What the watch saw: attempts whose answer never came (0 on the happy path). */
export interface UnansweredAttempts {
  unanswered: number;
}

/** The SDK's retry loop, by the name its middleware registers; the watch runs inside it, once per attempt. */
const RETRY_MIDDLEWARE = 'retryMiddleware';

/**
 * The middleware: passes every attempt through and counts the ones that failed without an
 * answer from AWS (no HTTP status, or 5xx: {@link isUncertain}). A 4xx (throttling included) is
 * AWS saying no: nothing was made.
 */
export function countUnanswered(seen: UnansweredAttempts) {
  return <A, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      try {
        return await next(args);
      } catch (error) {
        if (isUncertain(error)) seen.unanswered += 1;
        throw error;
      }
    };
}

/** Watches the attempts of `command` (this instance only). No extra call, on any path. */
export function watchUnanswered(command: CreateKeyCommand): UnansweredAttempts {
  const seen: UnansweredAttempts = { unanswered: 0 };
  command.middlewareStack.addRelativeTo(countUnanswered(seen), { name: 'orgEcrCountUnansweredAttempts', relation: 'after', toMiddleware: RETRY_MIDDLEWARE, override: true });
  return seen;
}
