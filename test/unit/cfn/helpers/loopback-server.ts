/**
 * A real HTTP server on 127.0.0.1 standing in for the presigned S3 ResponseURL, so the PUT
 * is checked on the wire (method, headers, byte length, path and query) rather than mocked.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target exactly as sent (path and query). */
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly bodyBytes: number;
}

/** A running loopback server. */
export interface LoopbackServer {
  readonly requests: ReceivedRequest[];
  /** A ResponseURL on this server, e.g. `url('/bucket/key?X-Amz-Signature=abc')`. */
  url(pathAndQuery: string): string;
  /** Answers the next requests with `statuses`, in order, then 200 again. */
  answerWith(statuses: readonly number[]): void;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a server answering each request with the next status of `statuses`, then 200.
 */
export async function startLoopbackServer(statuses: readonly number[] = []): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const queue = [...statuses];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), bodyBytes: raw.length });
      res.statusCode = queue.shift() ?? 200;
      res.end();
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    answerWith: (next) => {
      queue.splice(0, queue.length, ...next);
    },
    url: (pathAndQuery) => `http://127.0.0.1:${port}${pathAndQuery}`,
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
