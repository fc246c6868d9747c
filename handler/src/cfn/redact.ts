/**
 * Keeps the presigned ResponseURL out of logs and out of `Reason`: anyone holding it can
 * forge the resource's result until it expires, so it is a secret.
 */

/** What every secret is replaced with. */
export const REDACTED = '[redacted]' as const;

/** Query parameters that make a URL presigned (SigV4 and the older SigV2 form). */
const SIGNING_PARAMETER = /(?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|AWSAccessKeyId|Signature)(?:=|%3D)[^&\s"'<>]*/gi;
const URL_WITH_QUERY = /\bhttps?:\/\/[^\s"'<>?#]*\?[^\s"'<>#]*/gi;
const RESPONSE_URL_KEY = /^response_?url$/i;
const MAX_CAUSE_DEPTH = 3;

/**
 * Scrubs presigned-URL secrets from free text (error messages, stack traces): a URL whose
 * query signs it loses the whole query; a stray signing parameter loses its name and value.
 *
 * @example redactSecrets('PUT https://b.s3.amazonaws.com/k?X-Amz-Signature=abc failed')
 *   // 'PUT https://b.s3.amazonaws.com/k?[redacted] failed'
 */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_WITH_QUERY, (url) => {
      const queryStart = url.indexOf('?');
      const query = url.slice(queryStart + 1);
      return isSigned(query) ? `${url.slice(0, queryStart)}?${REDACTED}` : url;
    })
    .replace(SIGNING_PARAMETER, REDACTED);
}

/**
 * A `JSON.stringify` replacer for Powertools Logger's `jsonReplacerFn` option: redacts keys
 * named `ResponseURL`/`responseUrl` and signing secrets inside any string.
 *
 * @example new Logger({ jsonReplacerFn: jsonReplacer })
 */
export function jsonReplacer(key: string, value: unknown): unknown {
  if (RESPONSE_URL_KEY.test(key) && value !== undefined && value !== null) return REDACTED;
  return typeof value === 'string' ? redactSecrets(value) : value;
}

/**
 * A deep, JSON-safe copy of a raw event for logging: `ResponseURL` reads `[redacted]` and
 * every string is scrubbed. Never throws: an event that cannot be copied becomes a summary.
 */
export function sanitizeEvent(event: unknown): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { unreadableEvent: `expected an object; got: ${event === null ? 'null' : Array.isArray(event) ? 'array' : typeof event}` };
  }
  try {
    return JSON.parse(JSON.stringify(event, jsonReplacer)) as Record<string, unknown>;
  } catch (error) {
    return { unreadableEvent: `not serializable (${error instanceof Error ? error.name : 'unknown'}); keys: ${Object.keys(event).join(', ')}` };
  }
}

/**
 * A URL safe to log: scheme, host and path, never the query (which holds the signature).
 */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[unparseable URL]';
  }
}

/**
 * A plain, scrubbed copy of a thrown value for the log: name, message, stack and the `cause`
 * chain, so a logger without {@link jsonReplacer} still cannot leak a signature.
 */
export function errorForLog(thrown: unknown, depth = 0): Record<string, unknown> {
  if (!(thrown instanceof Error)) return { thrown: redactSecrets(previewValue(thrown)) };
  const extra = thrown as Error & { code?: unknown; physicalResourceId?: unknown };
  return {
    name: thrown.name,
    message: redactSecrets(thrown.message),
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.physicalResourceId === 'string' ? { physicalResourceId: extra.physicalResourceId } : {}),
    ...(thrown.stack ? { stack: redactSecrets(thrown.stack) } : {}),
    ...(thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH ? { cause: errorForLog(thrown.cause, depth + 1) } : {}),
  };
}

/** A short text form of any thrown value (strings as is, objects as JSON, capped). */
export function previewValue(value: unknown, maxLength = 200): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  const chars = Array.from(text);
  return chars.length > maxLength ? `${chars.slice(0, maxLength).join('')}…` : text;
}

function isSigned(query: string): boolean {
  SIGNING_PARAMETER.lastIndex = 0;
  const signed = SIGNING_PARAMETER.test(query);
  SIGNING_PARAMETER.lastIndex = 0;
  return signed;
}
