import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import type { ResourceHandler } from '../../../handler/src/cfn/types';
import { givenContext, givenCreateEvent, givenUpdateEvent } from './helpers/events';
import { invoke, responseUrlOf } from './helpers/harness';
import { startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';

/** A 400 ms budget: soft deadline at 200 ms, hard at 360 ms, no PUT attempt starts after 380 ms. */
const SHORT = { context: givenContext(400), deps: { reserveMs: 40, softReserveMs: 200 } };

describe('createCustomResourceHandler deadline guard', () => {
  let server: LoopbackServer;
  let url: string;
  beforeAll(async () => {
    server = await startLoopbackServer();
    url = responseUrlOf(server);
  });
  afterAll(async () => server.close());

  it('fails with the marker id and aborts the signal when a Create never settles', async () => {
    // GIVEN a handler that hangs forever
    let signal: AbortSignal | undefined;
    const handler: ResourceHandler = (_request, context) => {
      signal = context.signal;
      return new Promise(() => undefined);
    };

    // WHEN a Create arrives with a short budget
    const { responses } = await invoke(server, handler, givenCreateEvent(url), SHORT);

    // THEN CloudFormation got one FAILED naming the time budget, and the handler was told to stop
    expect(responses).toMatchObject([
      {
        Status: 'FAILED',
        PhysicalResourceId: CREATE_FAILED_MARKER,
        Reason: expect.stringMatching(/^DeadlineError: The provider ran out of time: .*time budget of 400 ms.*stays tagged for the Delete that follows/),
      },
    ]);
    expect(signal?.aborted).toBe(true);
  });

  it('fails with the claimed id when a Create that claimed one never settles', async () => {
    const handler: ResourceHandler = (_request, context) => {
      context.claimPhysicalId('acme-shop-api');
      return new Promise(() => undefined);
    };
    const { responses } = await invoke(server, handler, givenCreateEvent(url), SHORT);
    expect(responses).toMatchObject([{ Status: 'FAILED', PhysicalResourceId: 'acme-shop-api' }]);
  });

  it('fails with the event id when an Update never settles', async () => {
    const handler: ResourceHandler = () => new Promise(() => undefined);
    const { responses } = await invoke(server, handler, givenUpdateEvent(url, 'acme-shop-api'), SHORT);
    expect(responses).toMatchObject([{ Status: 'FAILED', PhysicalResourceId: 'acme-shop-api' }]);
  });

  it('reports the soft deadline reason when the handler stops on the signal and rethrows it', async () => {
    // GIVEN a handler that waits for the abort, then gives up with the signal's reason
    const handler: ResourceHandler = (_request, context) =>
      new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));

    // WHEN a Create arrives with a short budget
    const { responses } = await invoke(server, handler, givenCreateEvent(url), SHORT);

    // THEN the answer explains the stop, before the hard deadline had to step in
    expect(responses).toMatchObject([{ Status: 'FAILED', Reason: expect.stringMatching(/^DeadlineError: The provider stopped its work 200 ms before its time budget of 400 ms/) }]);
  });

  it('sends exactly one response when the handler throws after the guard fired', async () => {
    // GIVEN a handler whose failure we trigger only after CloudFormation was answered
    let failLate: (error: Error) => void = () => undefined;
    const handler: ResourceHandler = () => new Promise((_resolve, reject) => (failLate = reject));
    const before = server.requests.length;

    // WHEN the guard answers, and then the handler throws
    const { responses, logger } = await invoke(server, handler, givenCreateEvent(url), SHORT);
    failLate(new Error('too late'));
    await new Promise((resolve) => setTimeout(resolve, 50));

    // THEN the late failure was only logged: the server still holds one response
    expect(responses).toHaveLength(1);
    expect(server.requests.length - before).toBe(1);
    expect(logger.find('settled after the hard deadline')).toMatchObject([{ extra: [{ settledAs: 'threw', error: { message: 'too late' } }] }]);
  });

  it('answers the handler result and leaves the signal alone when the handler finishes in time', async () => {
    let signal: AbortSignal | undefined;
    const handler: ResourceHandler = async (_request, context) => {
      signal = context.signal;
      return { physicalResourceId: 'acme-shop-api' };
    };
    const { responses } = await invoke(server, handler, givenCreateEvent(url), SHORT);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(responses).toMatchObject([{ Status: 'SUCCESS' }]);
    expect(signal?.aborted).toBe(false);
  });
});
