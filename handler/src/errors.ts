/**
 * One error class per failure the provider reports. `Reason` sent to CloudFormation is
 * `Name: message`, so each name reads as the problem.
 */

/** A consumer passed properties the contract does not allow. Lists every problem at once. */
export class InvalidPropertiesError extends Error {
  override readonly name = 'InvalidPropertiesError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** The platform team's provider settings are invalid: every request fails until fixed. */
export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`The provider's settings are invalid (ask the platform team to fix the provider deployment): ${problems.join('; ')}`);
  }
}

/** Something with our name exists and belongs to someone else: never overwritten or taken over. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The requested change cannot be made in place and the provider refuses to destroy data. */
export class UnsupportedUpdateError extends Error {
  override readonly name = 'UnsupportedUpdateError';
}

/** An AWS call failed: names the action (as the SDK command) and the resource, keeps `cause`. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  /**
   * @param mayHaveTakenEffect an earlier attempt of the call went unanswered, so AWS may have
   *   carried it out although the last attempt's answer says no. @default false
   */
  constructor(
    readonly action: string,
    readonly resource: string,
    cause: unknown,
    readonly mayHaveTakenEffect = false,
  ) {
    super(`${action} on ${resource} failed: ${describeAwsError(cause)}`, { cause });
  }

  /** The SDK error code (`RepositoryNotFoundException`, ...), when the cause has one. */
  get code(): string | undefined {
    return awsErrorCode(this);
  }
}

/** The provider ran out of its time budget before finishing; what was created stays tagged. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export function awsErrorCode(error: unknown): string | undefined {
  if (error instanceof AwsCallError) return awsErrorCode(error.cause);
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { name?: unknown; Code?: unknown; code?: unknown };
  const code = record.name ?? record.Code ?? record.code;
  return typeof code === 'string' ? code : undefined;
}

/** `Code: message` of an SDK error, without stack traces or request ids. */
export function describeAwsError(error: unknown): string {
  const code = awsErrorCode(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return message && message !== code ? `${code}: ${message}` : code;
}

/**
 * Whether a failed call may still have taken effect: no HTTP answer (timeout, abort, lost
 * connection) or a server error. A 4xx answer is AWS saying no, and nothing was done.
 */
export function isUncertain(error: unknown): boolean {
  if (error instanceof AwsCallError && error.mayHaveTakenEffect) return true;
  const cause = error instanceof AwsCallError ? error.cause : error;
  if (typeof cause !== 'object' || cause === null) return true;
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}
