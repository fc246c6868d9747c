/**
 * The response document CloudFormation reads, built so it is always accepted: a non-empty
 * physical id of at most 1 KB, and a body of at most 4096 bytes ("Response object is too
 * long." otherwise). Pure functions; the PUT lives in `send.ts`.
 */
import { CREATE_FAILED_MARKER } from '../contract';
import { redactSecrets } from './redact';
import type { CloudFormationResponse } from './types';

/** CloudFormation's limit on the whole response body, in UTF-8 bytes. */
export const RESPONSE_MAX_BYTES = 4096;

/** CloudFormation's limit on `PhysicalResourceId`, in UTF-8 bytes. */
export const PHYSICAL_ID_MAX_BYTES = 1024;

/** Appended where `Reason` was cut, so a reader knows to look at the log. */
export const TRUNCATION_MARK = '… [cut]' as const;

/** Reason sent on a FAILED response that came without one (CloudFormation requires one). */
const DEFAULT_FAILURE_REASON = 'The provider failed without a reason; see its log';

/** What a response is built from. */
export interface ResponseFields {
  readonly status: 'SUCCESS' | 'FAILED';
  /** Empty or absent becomes the create-failed marker: CloudFormation rejects an empty id. */
  readonly physicalResourceId: string | undefined;
  readonly stackId: string;
  readonly requestId: string;
  readonly logicalResourceId: string;
  /** @default - none on SUCCESS; a generic pointer to the log on FAILED */
  readonly reason?: string;
  /** @default - no attributes */
  readonly data?: Readonly<Record<string, string>>;
  /** @default - not sent (CloudFormation shows the attributes) */
  readonly noEcho?: boolean;
}

/** A response that fits the budget, with its body serialized exactly as it will be sent. */
export interface FittedResponse {
  readonly response: CloudFormationResponse;
  readonly body: string;
  readonly bytes: number;
  /** `Reason` was cut to fit. */
  readonly reasonCut: boolean;
  /** `Data` alone did not fit: the response became FAILED without it. */
  readonly dataDropped: boolean;
}

/** Options of {@link fitToBudget}. */
export interface FitOptions {
  /** @default RESPONSE_MAX_BYTES (4096) */
  readonly maxBytes?: number;
  /**
   * Appended to `Reason` (when there is one) and never cut: a pointer to the log, which holds
   * the full story.
   * @default ''
   */
  readonly reasonSuffix?: string;
}

/**
 * Builds the response document: echoes the request identity, guarantees a usable physical
 * id and scrubs signing secrets from `Reason`.
 */
export function buildResponse(fields: ResponseFields): CloudFormationResponse {
  const reason = fields.reason ?? (fields.status === 'FAILED' ? DEFAULT_FAILURE_REASON : undefined);
  return {
    Status: fields.status,
    ...(reason === undefined ? {} : { Reason: redactSecrets(reason) }),
    PhysicalResourceId: usablePhysicalId(fields.physicalResourceId),
    StackId: fields.stackId,
    RequestId: fields.requestId,
    LogicalResourceId: fields.logicalResourceId,
    ...(fields.noEcho === undefined ? {} : { NoEcho: fields.noEcho }),
    ...(fields.data === undefined ? {} : { Data: fields.data }),
  };
}

/**
 * Serializes a response within `maxBytes` UTF-8 bytes of JSON. Sizes are measured on the
 * serialized document, so JSON escaping of quotes, control and multi-byte characters counts.
 * `Reason` is cut first (between characters, never inside one); if `Data` alone overflows,
 * the answer becomes FAILED with a short reason and no `Data`.
 */
export function fitToBudget(response: CloudFormationResponse, options: FitOptions = {}): FittedResponse {
  const maxBytes = options.maxBytes ?? RESPONSE_MAX_BYTES;
  const suffix = options.reasonSuffix ?? '';
  const complete = response.Reason === undefined ? response : withReason(response, `${response.Reason}${suffix}`);
  const whole = measure(complete);
  if (whole.bytes <= maxBytes) return { response: complete, ...whole, reasonCut: false, dataDropped: false };

  if (response.Reason !== undefined) {
    const chars = Array.from(response.Reason);
    const cutTo = (kept: number): CloudFormationResponse => withReason(response, `${chars.slice(0, kept).join('')}${TRUNCATION_MARK}${suffix}`);
    if (measure(cutTo(0)).bytes <= maxBytes) {
      const cut = cutTo(largestFitting(chars.length, (n) => measure(cutTo(n)).bytes <= maxBytes));
      return { response: cut, ...measure(cut), reasonCut: true, dataDropped: false };
    }
  }

  if (response.Data !== undefined) {
    const dataBytes = Buffer.byteLength(JSON.stringify(response.Data), 'utf8');
    const { Data: _dropped, NoEcho: _noEcho, Reason: _reason, Status: _status, ...identity } = response;
    const failed: CloudFormationResponse = {
      Status: 'FAILED',
      Reason: `ResponseTooLongError: the attributes (Data) take ${dataBytes} bytes of the ${maxBytes}-byte response limit; return fewer or shorter attributes`,
      ...identity,
    };
    return { ...fitToBudget(failed, { maxBytes, reasonSuffix: suffix }), dataDropped: true };
  }
  // Only the suffix or the identity fields are left to blame: send the smallest honest answer.
  const bare = response.Reason === undefined ? response : withReason(response, TRUNCATION_MARK);
  return { response: bare, ...measure(bare), reasonCut: response.Reason !== undefined, dataDropped: false };
}

/**
 * A physical id CloudFormation accepts: the create-failed marker for a missing or empty id,
 * otherwise the id cut to {@link PHYSICAL_ID_MAX_BYTES} bytes between characters.
 */
export function usablePhysicalId(id: string | undefined): string {
  if (typeof id !== 'string' || id.length === 0) return CREATE_FAILED_MARKER;
  return cutToBytes(id, PHYSICAL_ID_MAX_BYTES);
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let kept = '';
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    kept += char;
  }
  return kept;
}

function withReason(response: CloudFormationResponse, reason: string | undefined): CloudFormationResponse {
  const { Status, Reason: _old, ...rest } = response;
  // Keep the documented field order (Status, Reason, ...) so logs and bodies read the same.
  return reason === undefined ? { Status, ...rest } : { Status, Reason: reason, ...rest };
}

function measure(response: CloudFormationResponse): { body: string; bytes: number } {
  const body = JSON.stringify(response);
  return { body, bytes: Buffer.byteLength(body, 'utf8') };
}

/** The largest n in [0, upper] for which `fits(n)` holds, given fits(0) and monotonicity. */
function largestFitting(upper: number, fits: (n: number) => boolean): number {
  let low = 0;
  let high = upper;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
