import * as net from 'node:net';
import { nodeHttpTransport, requestTarget, sendResponse } from '../../../handler/src/cfn/send';
import { PRESIGNED_PATH, SIGNATURE } from './helpers/events';
import { FakeLogger } from './helpers/fake-logger';
import { startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';

/** A clock that only moves when the sender sleeps: backoff is checked without waiting. */
function givenFakeClock() {
  const clock = { time: 0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
}

describe('sendResponse', () => {
  let server: LoopbackServer;
  beforeEach(async () => {
    server = await startLoopbackServer();
  });
  afterEach(async () => server.close());

  it('puts the body with an empty content-type and its exact UTF-8 byte length when the reason is multi-byte', async () => {
    // GIVEN a loopback ResponseURL and a body with 2-byte and 4-byte characters
    const body = JSON.stringify({ Status: 'FAILED', Reason: 'ÅÄÖ 🚀 failed' });

    // WHEN the response is sent
    const result = await sendResponse(server.url(PRESIGNED_PATH), body, { logger: new FakeLogger(), deadlineAt: Date.now() + 10_000 });

    // THEN one PUT arrived with the byte length, not the UTF-16 length
    expect(result).toEqual({ delivered: true, attempts: 1, statusCode: 200 });
    const [request] = server.requests;
    expect(request?.method).toBe('PUT');
    expect(request?.headers['content-type']).toBe('');
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(body, 'utf8')));
    expect(Number(request?.headers['content-length'])).toBeGreaterThan(body.length);
    expect(request?.bodyBytes).toBe(Buffer.byteLength(body, 'utf8'));
    expect(request?.body).toBe(body);
  });

  it('keeps the path and query verbatim when they hold characters URL parsing would re-encode', async () => {
    // GIVEN a presigned path plus a quote and a pipe that WHATWG URL would percent-encode
    const target = `${PRESIGNED_PATH}&note=it's|ok`;

    // WHEN the response is sent
    await sendResponse(server.url(target), '{}', { logger: new FakeLogger(), deadlineAt: Date.now() + 10_000 });

    // THEN the server saw the very same target, signature included
    expect(server.requests[0]?.target).toBe(target);
  });

  it.each([[[500]], [[403]], [[500, 403, 503]]])('retries until success when the server answers %j first', async (failures) => {
    // GIVEN a server that fails some attempts, then accepts
    server.answerWith(failures);
    const fake = givenFakeClock();

    // WHEN the response is sent
    const result = await sendResponse(server.url('/r?x=1'), '{}', { logger: new FakeLogger(), deadlineAt: 60_000, now: fake.now, sleep: fake.sleep, random: () => 0.5 });

    // THEN every failure was retried and the last attempt delivered
    expect(result).toEqual({ delivered: true, attempts: failures.length + 1, statusCode: 200 });
    expect(server.requests).toHaveLength(failures.length + 1);
  });

  it('backs off with full jitter doubling from the base delay when attempts fail', async () => {
    // GIVEN a server failing three times and jitter drawing the top of each range
    server.answerWith([500, 500, 500]);
    const fake = givenFakeClock();

    // WHEN the response is sent
    await sendResponse(server.url('/r'), '{}', { logger: new FakeLogger(), deadlineAt: 60_000, now: fake.now, sleep: fake.sleep, random: () => 0.999, baseDelayMs: 100 });

    // THEN the waits grow 100, 200, 400 (floored jitter just below each ceiling)
    expect(fake.clock.sleeps).toEqual([99, 199, 399]);
  });

  it('fails to deliver and stops before the deadline when the server always fails', async () => {
    // GIVEN a server that always answers 500 and 5 s left before the deadline
    server.answerWith(Array.from({ length: 20 }, () => 500));
    const fake = givenFakeClock();
    const logger = new FakeLogger();

    // WHEN the response is sent with 1 s, 2 s, 4 s backoff ceilings
    const result = await sendResponse(server.url(PRESIGNED_PATH), '{}', { logger, deadlineAt: 5_000, now: fake.now, sleep: fake.sleep, random: () => 1, baseDelayMs: 1_000 });

    // THEN it gave up after the attempt whose next wait would cross the deadline, without throwing
    expect(result).toEqual({ delivered: false, attempts: 3, statusCode: 500 });
    expect(server.requests).toHaveLength(3);
    expect(fake.clock.time).toBeLessThanOrEqual(5_000);
    expect(logger.find('could not be delivered')).toHaveLength(1);
  });

  it('fails to deliver after maxAttempts when the deadline is far away', async () => {
    // GIVEN a server that always answers 403
    server.answerWith(Array.from({ length: 20 }, () => 403));
    const fake = givenFakeClock();

    // WHEN the response is sent with at most 4 attempts
    const result = await sendResponse(server.url('/r'), '{}', { logger: new FakeLogger(), deadlineAt: 10_000_000, now: fake.now, sleep: fake.sleep, maxAttempts: 4 });

    // THEN exactly 4 PUTs were made
    expect(result.delivered).toBe(false);
    expect(server.requests).toHaveLength(4);
  });

  it('retries network errors and logs only status codes, attempt numbers and a query-less target', async () => {
    // GIVEN a transport that fails once at the network level, then answers 200
    const logger = new FakeLogger();
    const fake = givenFakeClock();
    let calls = 0;
    const transport = async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return { statusCode: 200 };
    };

    // WHEN the response is sent to a presigned URL
    const result = await sendResponse(`https://bucket.s3.amazonaws.com${PRESIGNED_PATH}`, '{}', { logger, transport, deadlineAt: 60_000, now: fake.now, sleep: fake.sleep });

    // THEN the second attempt delivered and no log line holds the signature or the query
    expect(result).toEqual({ delivered: true, attempts: 2, statusCode: 200 });
    expect(logger.lines.map((line) => line.extra)).toEqual([[{ attempt: 1, error: 'ECONNRESET: socket hang up' }], [{ statusCode: 200, attempt: 2 }]]);
    expect(logger.text()).not.toContain(SIGNATURE);
    expect(logger.text()).not.toContain('X-Amz');
  });

  it('fails to deliver without throwing when nothing listens at the URL', async () => {
    // GIVEN a port where the server was closed
    const closed = await startLoopbackServer();
    const url = closed.url('/r');
    await closed.close();
    const fake = givenFakeClock();

    // WHEN the response is sent
    const result = await sendResponse(url, '{}', { logger: new FakeLogger(), deadlineAt: 60_000, now: fake.now, sleep: fake.sleep, maxAttempts: 2 });

    // THEN it reports the failure instead of throwing
    expect(result).toEqual({ delivered: false, attempts: 2 });
  });
});

describe('nodeHttpTransport', () => {
  it.each([
    ['ftp://bucket/key', /must use https: or http:; got: ftp:/],
    ['not a url', /not a valid URL/],
  ])('fails without sending when the URL is %s', async (url, message) => {
    await expect(nodeHttpTransport({ url, headers: {}, body: '', timeoutMs: 100 })).rejects.toThrow(message);
  });

  it('fails the attempt when the server does not answer within the timeout', async () => {
    // GIVEN a server that accepts the connection but never answers
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;

    // WHEN one attempt is made with a 50 ms timeout
    const attempt = nodeHttpTransport({ url: `http://127.0.0.1:${port}/r`, headers: {}, body: '{}', timeoutMs: 50 });

    // THEN it rejects instead of hanging
    await expect(attempt).rejects.toThrow('no answer within 50 ms');
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});

describe('requestTarget', () => {
  it.each([
    ['https://b.s3.amazonaws.com/a%7Cb?X=1&Y=%2F#frag', '/a%7Cb?X=1&Y=%2F'],
    ['https://b.s3.amazonaws.com?X=1', '/?X=1'],
    ['https://b.s3.amazonaws.com', '/'],
    ["http://127.0.0.1:8080/p/it's?q=a|b", "/p/it's?q=a|b"],
  ])('returns the path and query of %s as written', (url, expected) => {
    expect(requestTarget(url)).toBe(expected);
  });
});
