/**
 * Delivers the response document to the presigned ResponseURL: the only signal CloudFormation
 * reads. A lost PUT leaves the stack waiting for `ServiceTimeout` (up to an hour), so transient
 * failures are retried until the Lambda's own deadline.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { redactSecrets, safeUrl } from './redact';
import type { ProtocolLogger } from './types';

/** One PUT as the transport performs it. */
export interface HttpPutRequest {
  /** The presigned URL; the transport must send its path and query verbatim. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Give up on this attempt when the socket stays idle this long. */
  readonly timeoutMs: number;
}

/** The transport seam: one attempt, resolving with the HTTP status or rejecting on I/O errors. */
export type HttpTransport = (request: HttpPutRequest) => Promise<{ readonly statusCode: number }>;

/** Retry and timing knobs of {@link sendResponse}. */
export interface SendOptions {
  readonly logger: ProtocolLogger;
  /** Epoch ms after which no new attempt starts (the Lambda's end minus a safety margin). */
  readonly deadlineAt: number;
  /** @default nodeHttpTransport */
  readonly transport?: HttpTransport;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default 8 */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles each attempt (full jitter draws from 0 to the ceiling). @default 500 */
  readonly baseDelayMs?: number;
  /** @default 8000 */
  readonly maxDelayMs?: number;
  /** Socket idle timeout per attempt, shortened to the time left before `deadlineAt`. @default 10000 */
  readonly attemptTimeoutMs?: number;
}

/** How delivery ended. `sendResponse` never throws: the caller must still return normally. */
export interface SendResult {
  readonly delivered: boolean;
  readonly attempts: number;
  /** @default - no HTTP answer was received */
  readonly statusCode?: number;
}

/** The least time one attempt gets, even past the deadline: the first attempt always runs. */
const MIN_ATTEMPT_TIMEOUT_MS = 100;

/**
 * PUTs `body` to `responseUrl` with an empty `content-type` and an exact byte
 * `content-length`. Network errors and any status outside 2xx (S3 answers 403 for an expired
 * or tampered URL, 5xx when busy) are retried with full-jitter exponential backoff, bounded by
 * `maxAttempts` and `deadlineAt`. Logs the status and attempt number, never the URL's query.
 */
export async function sendResponse(responseUrl: string, body: string, options: SendOptions): Promise<SendResult> {
  const transport = options.transport ?? nodeHttpTransport;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const headers = { 'content-type': '', 'content-length': String(Buffer.byteLength(body, 'utf8')) };
  const { logger } = options;

  let statusCode: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const timeoutMs = Math.max(MIN_ATTEMPT_TIMEOUT_MS, Math.min(attemptTimeoutMs, options.deadlineAt - now()));
    try {
      ({ statusCode } = await transport({ url: responseUrl, headers, body, timeoutMs }));
      if (statusCode >= 200 && statusCode < 300) {
        logger.info('CloudFormation response delivered', { statusCode, attempt });
        return { delivered: true, attempts: attempt, statusCode };
      }
      logger.warn('CloudFormation response refused; retrying', { statusCode, attempt });
    } catch (error) {
      logger.warn('CloudFormation response not sent; retrying', { attempt, error: describeIoError(error) });
    }
    const delayMs = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    if (attempt >= maxAttempts || now() + delayMs >= options.deadlineAt) {
      logger.error('CloudFormation response could not be delivered: the stack waits for the ServiceTimeout', {
        attempts: attempt,
        ...(statusCode === undefined ? {} : { statusCode }),
        target: safeUrl(responseUrl),
      });
      return { delivered: false, attempts: attempt, ...(statusCode === undefined ? {} : { statusCode }) };
    }
    await sleep(delayMs);
  }
}

/**
 * The request target (path and query) exactly as written in the URL. WHATWG `URL` would
 * re-encode some characters, which breaks the signature of a presigned URL.
 */
export function requestTarget(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(url);
  const target = match?.[1] ?? '';
  if (target === '') return '/';
  return target.startsWith('?') ? `/${target}` : target;
}

/** The default transport: `node:https`, or `node:http` for loopback tests; one socket per PUT. */
export const nodeHttpTransport: HttpTransport = (request) =>
  new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new Error('the ResponseURL is not a valid URL'));
      return;
    }
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (client === undefined) {
      reject(new Error(`the ResponseURL must use https: or http:; got: ${url.protocol}`));
      return;
    }
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        path: requestTarget(request.url),
        method: 'PUT',
        headers: request.headers,
        // A fresh socket per PUT: nothing pooled keeps the process alive afterwards.
        agent: false,
        timeout: request.timeoutMs,
      },
      (res) => {
        const statusCode = res.statusCode ?? 0;
        res.resume();
        res.once('end', () => resolve({ statusCode }));
        res.once('close', () => resolve({ statusCode }));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.once('error', reject);
    req.end(request.body, 'utf8');
  });

function describeIoError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as Error & { code?: unknown }).code;
  return redactSecrets(typeof code === 'string' ? `${code}: ${error.message}` : error.message);
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
