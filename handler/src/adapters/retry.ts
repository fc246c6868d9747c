/**
 * A bounded retry for the few AWS answers the SDK does not retry itself but that clear up on
 * their own: SSM `TooManyUpdates`, and a brand-new KMS key not yet visible everywhere (KMS is
 * eventually consistent). Throttling is left to the SDK's own retry strategy.
 */
import { awsErrorCode } from '../errors';

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
}

export async function retrying<T>(
  operation: () => Promise<T>,
  retryable: (code: string | undefined, error: unknown) => boolean,
  signal: AbortSignal,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 4_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || signal.aborted || !retryable(awsErrorCode(error), error)) throw error;
      // Full jitter: spreads the retries of many concurrent requests apart.
      await sleep(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))), signal);
    }
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** SSM's answer when another write to the same parameter is under way. */
export function isTooManyUpdates(code: string | undefined): boolean {
  return code === 'TooManyUpdates';
}

/**
 * Codes that mean "no such thing": a read finds nothing, a delete has nothing left to do.
 * (`InvalidResourceId` is SSM's answer when listing the tags of a parameter that does not exist.)
 */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'RepositoryNotFoundException',
  'LifecyclePolicyNotFoundException',
  'RepositoryPolicyNotFoundException',
  'NotFoundException',
  'ParameterNotFound',
  'InvalidResourceId',
]);
