/**
 * A loopback HTTP proxy between the provider (the built bundle, pointed at it through
 * AWS_ENDPOINT_URL) and an AWS-compatible endpoint (moto). It records every AWS call and can
 * make one chosen call fail, hang, or take effect without its answer ever arriving, which is
 * how the integration suite shows what the provider does when AWS (or the network) misbehaves.
 *
 * Only the JSON protocols are understood (ECR, KMS, SSM: `X-Amz-Target` names the action);
 * anything else is forwarded and recorded with action `unknown`.
 *
 * @example
 * const proxy = await startAwsProxy(process.env.AWS_ENDPOINT_URL!);
 * proxy.inject({ action: 'kms:CreateKey', mode: 'swallow' });
 * await runBundle(responses, [stack.create(props)], SETTINGS, { endpoint: proxy.url });
 * expect(proxy.callsTo('kms:CreateKey')[0]?.fault).toBe('swallow');
 * await proxy.close();
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What an injected fault does to the matching call:
 * - `fail`: answers an AWS error (the rule's `error`) without forwarding: nothing happens in AWS.
 * - `hang`: never forwards and never answers: nothing happens, the client waits until it gives up.
 * - `swallow`: forwards (the call takes effect in AWS), then never answers: the client waits
 *   until it gives up (its abort signal), as when an answer is lost on the way back.
 * - `drop`: forwards (the call takes effect), then closes the connection without an answer: the
 *   client sees a network error at once (and the SDK may retry the call).
 */
export type FaultMode = 'fail' | 'hang' | 'swallow' | 'drop';

/** An AWS error answer, in the JSON protocol's shape. */
export interface AwsErrorAnswer {
  /** The error code (`__type`), e.g. `AccessDeniedException`. */
  readonly code: string;
  /** @default 400 */
  readonly status?: number;
  /** @default - "Injected by the test proxy" */
  readonly message?: string;
}

export interface FaultRule {
  /** `service:Action` as in IAM, e.g. `kms:CreateKey`, `ssm:PutParameter`, `ecr:CreateRepository`. */
  readonly action: string;
  readonly mode: FaultMode;
  /**
   * Which occurrence of the action (1-based, counted from when the rule was injected, across
   * every client of the proxy) the fault hits. @default 1
   */
  readonly nth?: number;
  /** Hit every occurrence from `nth` on instead of that one only. @default false */
  readonly every?: boolean;
  /** Extra condition on the call's parsed JSON body, e.g. `(body) => body.Name === 'x'`. @default - any body */
  readonly when?: (body: Record<string, unknown>) => boolean;
  /** For `fail`. @default { code: 'AccessDeniedException', status: 400 } */
  readonly error?: AwsErrorAnswer;
}

/** One call as the proxy saw it. */
export interface AwsCall {
  /** `ecr`, `kms`, `ssm`: from the signature's credential scope. */
  readonly service: string;
  /** `service:Action`, e.g. `kms:CreateKey`. */
  readonly action: string;
  /** The parsed JSON request body (`{}` when empty or not JSON). */
  readonly body: Record<string, unknown>;
  /** The fault applied, if one was. */
  fault?: FaultMode;
  /** The status the endpoint (or the fault) answered; for `swallow`/`drop` the one the client never saw. */
  status?: number;
  /** The parsed JSON response body, when there was one. */
  response?: Record<string, unknown>;
}

export interface AwsProxy {
  /** `http://127.0.0.1:PORT`: use as AWS_ENDPOINT_URL. */
  readonly url: string;
  /** Every call so far, in arrival order. */
  readonly calls: readonly AwsCall[];
  /** Calls of one `service:Action`. */
  callsTo(action: string): AwsCall[];
  /** Adds a fault rule; rules are checked in the order they were added. */
  inject(rule: FaultRule): void;
  /** Forgets the recorded calls and the rules. */
  reset(): void;
  /** Releases held connections and stops listening. */
  close(): Promise<void>;
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
}

export interface AwsProxyOptions {
  /**
   * Each call waits a random 0 to `latencyMs` milliseconds before it is forwarded, as on a real
   * network: two clients racing then interleave their calls in every order. @default 0
   */
  readonly latencyMs?: number;
}

/** Starts a proxy in front of `target` (e.g. `http://127.0.0.1:5000`) on a free loopback port. */
export async function startAwsProxy(target: string, options: AwsProxyOptions = {}): Promise<AwsProxy> {
  const upstream = new URL(target);
  const calls: AwsCall[] = [];
  let rules: ActiveRule[] = [];
  const held = new Set<Socket>();

  const faultFor = (action: string, body: Record<string, unknown>): FaultRule | undefined => {
    for (const active of rules) {
      if (active.rule.action !== action || (active.rule.when && !active.rule.when(body))) continue;
      active.seen += 1;
      const nth = active.rule.nth ?? 1;
      if (active.seen === nth || (active.rule.every === true && active.seen > nth)) return active.rule;
    }
    return undefined;
  };

  const hold = (response: ServerResponse) => {
    // Keep the connection open without a byte of answer; the client decides when to give up.
    const socket = response.socket;
    if (!socket) return;
    held.add(socket);
    socket.on('close', () => held.delete(socket));
  };

  const server = createServer((request, response) => {
    void readBody(request).then(async (raw) => {
      // Query-protocol services (CloudFormation, STS) send `Action=...&Name=value` forms.
      const json = parseJson(raw);
      const form = json === undefined ? parseForm(request, raw) : undefined;
      const action = form?.Action === undefined ? actionOf(request) : `${serviceOf(request)}:${String(form.Action)}`;
      const call: AwsCall = { service: serviceOf(request), action, body: json ?? form ?? {} };
      calls.push(call);
      const fault = faultFor(call.action, call.body);
      if (fault) call.fault = fault.mode;
      if (fault?.mode === 'hang') return hold(response);
      if (fault?.mode === 'fail') {
        const error = fault.error ?? { code: 'AccessDeniedException' };
        const payload = JSON.stringify({ __type: error.code, message: error.message ?? 'Injected by the test proxy' });
        call.status = error.status ?? 400;
        call.response = parseJson(payload);
        response.writeHead(call.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code, 'content-length': Buffer.byteLength(payload) });
        response.end(payload);
        return;
      }
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, Math.random() * options.latencyMs!));
      const answer = await forward(upstream, request, raw);
      call.status = answer.status;
      call.response = parseJson(answer.body);
      if (fault?.mode === 'swallow') return hold(response);
      if (fault?.mode === 'drop') {
        response.socket?.destroy();
        return;
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    }).catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (action) => calls.filter((call) => call.action === action),
    inject: (rule) => {
      rules.push({ rule, seen: 0 });
    },
    reset: () => {
      calls.length = 0;
      rules = [];
    },
    close: async () => {
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

function forward(upstream: URL, request: IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outbound = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        // The signature covers the Host header; moto does not check it, so it is kept as sent.
        headers: request.headers,
      },
      (answer) => {
        void readBody(answer).then((buffer) => {
          const headers: Record<string, string | string[]> = {};
          for (const [key, value] of Object.entries(answer.headers)) {
            if (value !== undefined && key !== 'transfer-encoding' && key !== 'connection') headers[key] = value;
          }
          headers['content-length'] = String(buffer.length);
          resolve({ status: answer.statusCode ?? 502, headers, body: buffer });
        }, reject);
      },
    );
    outbound.on('error', reject);
    outbound.end(body);
  });
}

/** `kms` from `Credential=AKID/20260101/us-east-1/kms/aws4_request`. */
function serviceOf(request: IncomingMessage): string {
  const match = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? '');
  return match?.[1] ?? 'unknown';
}

/** `kms:CreateKey` from `X-Amz-Target: TrentService.CreateKey`. */
function actionOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' ? target.slice(target.lastIndexOf('.') + 1) : 'unknown';
  return `${serviceOf(request)}:${operation}`;
}

function parseJson(raw: Buffer | string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString());
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A form-encoded (query protocol) body as an object, when the request is one. */
function parseForm(request: IncomingMessage, raw: Buffer): Record<string, unknown> | undefined {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  return Object.fromEntries(new URLSearchParams(raw.toString()));
}
