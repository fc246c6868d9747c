/**
 * What to answer CloudFormation, decided from the request and how the business handler
 * ended. Pure: the physical-id rules are the part of the protocol that, done wrong, makes
 * CloudFormation delete the live resource or lose track of a half-created one.
 */
import { CREATE_FAILED_MARKER } from '../contract';
import { previewValue, redactSecrets } from './redact';
import type { FailureWithPhysicalId, RequestType } from './types';

/** How the business handler ended. */
export type HandlerResult =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  /** The hard deadline passed first; `error` says so. */
  | { readonly kind: 'timedOut'; readonly error: Error };

/** The request as far as the decision needs it. */
export interface DecisionInput {
  readonly requestType: RequestType;
  /** Absent on Create. */
  readonly physicalResourceId?: string;
  /** What the handler passed to `claimPhysicalId()`, if anything. */
  readonly claimedPhysicalId?: string;
}

/** The answer, before it is fitted to the 4096-byte budget. */
export interface Decision {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  /** `Name: message`; present when FAILED. */
  readonly reason?: string;
  readonly data?: Readonly<Record<string, string>>;
  /** The Update returned a new id: CloudFormation will Delete this old one. */
  readonly replacedPhysicalId?: string;
  /** What made the answer FAILED, for the log (stack included). */
  readonly failure?: unknown;
}

/** Reported when the handler's return value breaks the `ResourceOutcome` contract. */
export class InvalidOutcomeError extends Error {
  override readonly name = 'InvalidOutcomeError';
}

/**
 * Applies the physical-id rules:
 * - Create: success answers the handler's id; failure the claimed id, else the id the error
 *   carries, else the create-failed marker (so the rollback Delete knows nothing was made).
 * - Update: success answers the handler's id (a new one means replacement); failure echoes
 *   the event's id.
 * - Delete: always echoes the event's id; a handler returning another id is a FAILED.
 */
export function decideResponse(input: DecisionInput, result: HandlerResult): Decision {
  const eventId = input.physicalResourceId ?? CREATE_FAILED_MARKER;
  // A failure that names its id knows best (the handler cleaned up, or could not); a claim
  // covers failures that name none: time running out, a bug.
  const failedId = input.requestType === 'Create' ? (carriedPhysicalId(result) ?? input.claimedPhysicalId ?? CREATE_FAILED_MARKER) : eventId;
  const fail = (failure: unknown, id = failedId): Decision => ({ status: 'FAILED', physicalResourceId: id, reason: describeFailure(failure), failure });

  if (result.kind !== 'returned') return fail(result.error);
  const outcome = readOutcome(result.value, input.requestType === 'Delete');
  // A Create that returned an id did create something: the rollback Delete must find it.
  if (outcome instanceof InvalidOutcomeError) return fail(outcome, input.requestType === 'Create' ? (input.claimedPhysicalId ?? returnedId(result.value) ?? failedId) : eventId);

  switch (input.requestType) {
    case 'Create':
      return { status: 'SUCCESS', physicalResourceId: outcome.physicalResourceId ?? failedId, ...dataOf(outcome) };
    case 'Update': {
      const id = outcome.physicalResourceId ?? eventId;
      return { status: 'SUCCESS', physicalResourceId: id, ...dataOf(outcome), ...(id === eventId ? {} : { replacedPhysicalId: eventId }) };
    }
    case 'Delete':
      if (outcome.physicalResourceId !== undefined && outcome.physicalResourceId !== eventId) {
        return fail(
          new InvalidOutcomeError(
            `A Delete cannot change the physical id: CloudFormation asked to delete "${eventId}" but the provider answered "${outcome.physicalResourceId}"`,
          ),
          eventId,
        );
      }
      return { status: 'SUCCESS', physicalResourceId: eventId, ...dataOf(outcome) };
  }
}

/**
 * `Name: message` for `Reason`: the error's class names the problem, the message says what
 * to fix. Never a stack trace (it goes to the log); signing secrets scrubbed.
 */
export function describeFailure(failure: unknown): string {
  if (failure instanceof Error) {
    const name = failure.name || 'Error';
    return redactSecrets(failure.message ? `${name}: ${failure.message}` : `${name} (no message)`);
  }
  return redactSecrets(`UnexpectedThrowError: the provider threw a non-Error value: ${previewValue(failure)}`);
}

/** The physical id a thrown error carries (see `FailureWithPhysicalId`), if usable. */
export function carriedPhysicalId(result: HandlerResult): string | undefined {
  if (result.kind !== 'threw' || typeof result.error !== 'object' || result.error === null) return undefined;
  const id = (result.error as FailureWithPhysicalId).physicalResourceId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function returnedId(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { physicalResourceId?: unknown }).physicalResourceId : undefined;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

interface CheckedOutcome {
  readonly physicalResourceId?: string;
  readonly data?: Readonly<Record<string, string>>;
}

function readOutcome(value: unknown, isDelete: boolean): CheckedOutcome | InvalidOutcomeError {
  // A Delete has nothing to report; `undefined` is an honest answer there.
  if (value === undefined && isDelete) return {};
  if (typeof value !== 'object' || value === null) {
    return new InvalidOutcomeError(`The provider must return an object with a physicalResourceId; got: ${previewValue(value)}`);
  }
  const { physicalResourceId, data } = value as { physicalResourceId?: unknown; data?: unknown };
  if (!(typeof physicalResourceId === 'string' && physicalResourceId.length > 0) && !(isDelete && physicalResourceId === undefined)) {
    return new InvalidOutcomeError(`The provider must return a non-empty physicalResourceId; got: ${previewValue(physicalResourceId)}`);
  }
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return new InvalidOutcomeError(`The provider's data must be a flat object of attribute names to values; got: ${previewValue(data)}`);
  }
  return {
    ...(typeof physicalResourceId === 'string' ? { physicalResourceId } : {}),
    ...(data === undefined ? {} : { data: data as Readonly<Record<string, string>> }),
  };
}

function dataOf(outcome: CheckedOutcome): { data?: Readonly<Record<string, string>> } {
  return outcome.data === undefined ? {} : { data: outcome.data };
}
