/**
 * Checks the raw Lambda event before anything trusts it, and turns it into the request the
 * business handler sees: no ResponseURL, no framework properties.
 */
import { FRAMEWORK_PROPERTIES } from '../contract';
import { previewValue, redactSecrets } from './redact';
import type { CloudFormationEvent, RequestType, ResourceRequest } from './types';

const REQUEST_TYPES: readonly RequestType[] = ['Create', 'Update', 'Delete'];
const IDENTITY_FIELDS = ['StackId', 'RequestId', 'LogicalResourceId'] as const;

/** The result of {@link parseEvent}. */
export type ParsedEvent =
  | { readonly ok: true; readonly event: CloudFormationEvent }
  | {
      readonly ok: false;
      /** Each problem names the field, the rule and (unless secret) the value. */
      readonly problems: readonly string[];
      /** Present when a FAILED response can still be sent. */
      readonly responseUrl?: string;
      /** Whatever identity strings the event carried, to echo in that response. */
      readonly identity: EventIdentity;
    };

/** The fields a response echoes; empty strings where the event lacked them. */
export interface EventIdentity {
  readonly stackId: string;
  readonly requestId: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId?: string;
}

/** Validates the shape CloudFormation promises; collects every problem at once. */
export function parseEvent(raw: unknown): ParsedEvent {
  const record: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const problems: string[] = [];
  if (record !== raw) problems.push(`The event must be an object; got: ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);

  const responseUrl = usableUrl(record.ResponseURL);
  // The URL itself is a secret: describe it, never echo it.
  if (responseUrl === undefined) problems.push('`ResponseURL` must be an http(s) URL; it is missing or unusable');

  const requestType = record.RequestType;
  if (!REQUEST_TYPES.includes(requestType as RequestType)) {
    problems.push(`\`RequestType\` must be one of ${REQUEST_TYPES.join(', ')}; got: ${show(requestType)}`);
  }
  for (const field of IDENTITY_FIELDS) {
    if (!isNonEmptyString(record[field])) problems.push(`\`${field}\` must be a non-empty string; got: ${show(record[field])}`);
  }
  if ((requestType === 'Update' || requestType === 'Delete') && !isNonEmptyString(record.PhysicalResourceId)) {
    problems.push(`\`PhysicalResourceId\` must be a non-empty string on ${requestType}; got: ${show(record.PhysicalResourceId)}`);
  }
  for (const field of ['ResourceProperties', 'OldResourceProperties'] as const) {
    const value = record[field];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      problems.push(`\`${field}\` must be an object when present; got: ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
    }
  }

  if (problems.length === 0) return { ok: true, event: record as unknown as CloudFormationEvent };
  const identity: EventIdentity = {
    stackId: stringOr(record.StackId),
    requestId: stringOr(record.RequestId),
    logicalResourceId: stringOr(record.LogicalResourceId),
    ...(isNonEmptyString(record.PhysicalResourceId) ? { physicalResourceId: record.PhysicalResourceId } : {}),
  };
  return { ok: false, problems, identity, ...(responseUrl === undefined ? {} : { responseUrl }) };
}

/**
 * The request for the business handler: properties without `ServiceToken` and
 * `ServiceTimeout` (CloudFormation's, not the template author's), and no ResponseURL.
 */
export function toResourceRequest(event: CloudFormationEvent): ResourceRequest {
  return {
    requestType: event.RequestType,
    stackId: event.StackId,
    requestId: event.RequestId,
    logicalResourceId: event.LogicalResourceId,
    ...(event.PhysicalResourceId === undefined ? {} : { physicalResourceId: event.PhysicalResourceId }),
    properties: withoutFrameworkProperties(event.ResourceProperties),
    ...(event.OldResourceProperties === undefined ? {} : { oldProperties: withoutFrameworkProperties(event.OldResourceProperties) }),
  };
}

/** A shallow copy of `properties` without the keys that only steer CloudFormation. */
export function withoutFrameworkProperties(properties: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(properties ?? {}) };
  for (const key of FRAMEWORK_PROPERTIES) delete copy[key];
  return copy;
}

function usableUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A short, scrubbed rendering of a bad value for a problem message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = previewValue(value, 80);
  return redactSecrets(typeof value === 'string' ? `"${text}"` : text);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
