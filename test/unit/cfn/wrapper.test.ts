import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { InvalidPropertiesError } from '../../../handler/src/errors';
import type { ExecutionContext, ResourceHandler, ResourceRequest } from '../../../handler/src/cfn/types';
import { givenContext, givenCreateEvent, givenDeleteEvent, givenUpdateEvent } from './helpers/events';
import { invoke, responseUrlOf } from './helpers/harness';
import { startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';

const LOG_POINTER = ' (details in the provider log: log group /aws/lambda/provider, log stream 2026/11/27/[$LATEST]abc123, request lambda-req-9)';

describe('createCustomResourceHandler', () => {
  let server: LoopbackServer;
  let url: string;
  beforeAll(async () => {
    server = await startLoopbackServer();
    url = responseUrlOf(server);
  });
  afterAll(async () => server.close());

  describe('on Create', () => {
    it('answers SUCCESS with the handler id and data when the handler returns', async () => {
      // GIVEN a handler that creates the resource
      const handler: ResourceHandler = async () => ({ physicalResourceId: 'acme-shop-api', data: { RepositoryName: 'acme-shop-api' } });

      // WHEN CloudFormation sends a Create
      const { responses } = await invoke(server, handler, givenCreateEvent(url));

      // THEN exactly one SUCCESS echoing the request identity arrived
      expect(responses).toEqual([
        {
          Status: 'SUCCESS',
          PhysicalResourceId: 'acme-shop-api',
          StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/1',
          RequestId: 'req-1',
          LogicalResourceId: 'Repo',
          Data: { RepositoryName: 'acme-shop-api' },
        },
      ]);
    });

    it('fails with the marker id and a Name: message reason plus a log pointer when the handler throws before claiming', async () => {
      const handler: ResourceHandler = async () => {
        throw new InvalidPropertiesError(['`ImagesRetained` must be a whole number from 1 to 10000; got: "ten"']);
      };
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toHaveLength(1);
      expect(responses[0]).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: CREATE_FAILED_MARKER,
        Reason: `InvalidPropertiesError: \`ImagesRetained\` must be a whole number from 1 to 10000; got: "ten"${LOG_POINTER}`,
      });
      expect(responses[0]?.Reason).not.toMatch(/\n\s+at /);
    });

    it('fails with the claimed id when the handler throws after claiming one', async () => {
      const handler: ResourceHandler = async (_request, context) => {
        context.claimPhysicalId('acme-shop-api');
        throw new Error('PutLifecyclePolicy failed');
      };
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toMatchObject([{ Status: 'FAILED', PhysicalResourceId: 'acme-shop-api' }]);
    });

    it('fails with the id the error carries when the handler did not claim one', async () => {
      const handler: ResourceHandler = async () => {
        throw Object.assign(new Error('half made'), { physicalResourceId: 'acme-shop-api' });
      };
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toMatchObject([{ Status: 'FAILED', PhysicalResourceId: 'acme-shop-api' }]);
    });

    it.each([
      ['a string', 'plain text'],
      ['null', null],
      ['an object', { code: 7 }],
    ])('fails once with a readable reason when the handler throws %s', async (_name, thrown) => {
      const handler: ResourceHandler = async () => {
        throw thrown;
      };
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toHaveLength(1);
      expect(responses[0]?.Reason).toMatch(/^UnexpectedThrowError: the provider threw a non-Error value: /);
    });

    it('fails once when the handler throws synchronously instead of rejecting', async () => {
      const handler = ((): never => {
        throw new TypeError('not async');
      }) as unknown as ResourceHandler;
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toMatchObject([{ Status: 'FAILED', Reason: expect.stringMatching(/^TypeError: not async/) }]);
    });
  });

  describe('on Update', () => {
    it('answers SUCCESS with the new id and logs the replacement when the handler returns another id', async () => {
      const handler: ResourceHandler = async () => ({ physicalResourceId: 'acme-shop-api-v2' });
      const { responses, logger } = await invoke(server, handler, givenUpdateEvent(url, 'acme-shop-api'));
      expect(responses).toMatchObject([{ Status: 'SUCCESS', PhysicalResourceId: 'acme-shop-api-v2' }]);
      expect(logger.find('replaced the resource')[0]?.extra).toEqual([{ oldPhysicalResourceId: 'acme-shop-api', newPhysicalResourceId: 'acme-shop-api-v2' }]);
    });

    it('fails with the event id even when the handler claimed another one', async () => {
      const handler: ResourceHandler = async (_request, context) => {
        context.claimPhysicalId('acme-shop-api-v2');
        throw new Error('no');
      };
      const { responses } = await invoke(server, handler, givenUpdateEvent(url, 'acme-shop-api'));
      expect(responses).toMatchObject([{ Status: 'FAILED', PhysicalResourceId: 'acme-shop-api' }]);
    });

    it('hands the handler both property sets without ServiceToken and ServiceTimeout', async () => {
      // GIVEN a handler that records its request
      const seen: ResourceRequest[] = [];
      const handler: ResourceHandler = async (request) => {
        seen.push(request);
        return { physicalResourceId: 'acme-shop-api' };
      };

      // WHEN an Update arrives with the framework keys in both property sets
      await invoke(server, handler, givenUpdateEvent(url, 'acme-shop-api'));

      // THEN the handler saw only the author's properties and nothing of the URL
      expect(seen[0]?.properties).toEqual({ ApplicationName: 'shop' });
      expect(seen[0]?.oldProperties).toEqual({ ApplicationName: 'old' });
      expect(JSON.stringify(seen[0])).not.toContain('127.0.0.1');
    });
  });

  describe('on Delete', () => {
    it('echoes the event id when the handler returns the same id', async () => {
      const handler: ResourceHandler = async (request) => ({ physicalResourceId: request.physicalResourceId ?? '' });
      const { responses } = await invoke(server, handler, givenDeleteEvent(url, 'acme-shop-api'));
      expect(responses).toMatchObject([{ Status: 'SUCCESS', PhysicalResourceId: 'acme-shop-api' }]);
    });

    it('fails with the event id when the handler returns a different id', async () => {
      const handler: ResourceHandler = async () => ({ physicalResourceId: 'something-else' });
      const { responses } = await invoke(server, handler, givenDeleteEvent(url, 'acme-shop-api'));
      expect(responses).toMatchObject([
        { Status: 'FAILED', PhysicalResourceId: 'acme-shop-api', Reason: expect.stringContaining('A Delete cannot change the physical id') },
      ]);
    });

    it('answers SUCCESS without calling the handler when deleting the create-failed marker', async () => {
      const handler = jest.fn<ReturnType<ResourceHandler>, [ResourceRequest, ExecutionContext]>();
      const { responses } = await invoke(server, handler, givenDeleteEvent(url, CREATE_FAILED_MARKER));
      expect(handler).not.toHaveBeenCalled();
      expect(responses).toMatchObject([{ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER }]);
    });
  });

  describe('within the 4096-byte budget', () => {
    it('cuts a huge multi-byte reason so the received body is valid JSON of at most 4096 bytes', async () => {
      const handler: ResourceHandler = async () => {
        throw new Error('ÅÄÖ 🚀 '.repeat(2000));
      };
      const before = server.requests.length;
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      const received = server.requests[before];
      expect(received?.bodyBytes).toBeLessThanOrEqual(4096);
      expect(received?.headers['content-length']).toBe(String(received?.bodyBytes));
      expect(responses[0]?.Reason).toMatch(/^Error: ÅÄÖ 🚀 .*… \[cut\] \(details in the provider log/);
    });

    it('fails with the created id when the returned Data alone overflows', async () => {
      const handler: ResourceHandler = async () => ({ physicalResourceId: 'acme-shop-api', data: { Policy: 'x'.repeat(5000) } });
      const { responses } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toMatchObject([
        { Status: 'FAILED', PhysicalResourceId: 'acme-shop-api', Reason: expect.stringMatching(/^ResponseTooLongError: the attributes \(Data\)/) },
      ]);
      expect(responses[0]).not.toHaveProperty('Data');
    });
  });

  describe('given a malformed event', () => {
    it('fails once, naming every problem, when the event still has a ResponseURL', async () => {
      const handler = jest.fn<ReturnType<ResourceHandler>, [ResourceRequest, ExecutionContext]>();
      const { responses } = await invoke(server, handler, { ...givenCreateEvent(url), RequestType: 'Upsert', LogicalResourceId: 42 });
      expect(handler).not.toHaveBeenCalled();
      expect(responses).toMatchObject([
        {
          Status: 'FAILED',
          PhysicalResourceId: CREATE_FAILED_MARKER,
          LogicalResourceId: '',
          Reason: expect.stringMatching(/^MalformedEventError: `RequestType` must be one of Create, Update, Delete; got: "Upsert"; `LogicalResourceId` must be a non-empty string; got: 42/),
        },
      ]);
    });

    it('logs the problem and returns without throwing when there is no ResponseURL', async () => {
      const handler = jest.fn<ReturnType<ResourceHandler>, [ResourceRequest, ExecutionContext]>();
      const { responses, logger } = await invoke(server, handler, { RequestType: 'Create' });
      expect(responses).toHaveLength(0);
      expect(logger.find('No usable ResponseURL')).toHaveLength(1);
    });
  });

  describe('when something unexpected happens', () => {
    it('fails once with the created id when the handler returns data that cannot be serialized', async () => {
      // GIVEN a handler whose data breaks JSON serialization inside the protocol layer
      const handler = (async () => ({ physicalResourceId: 'acme-shop-api', data: { Count: BigInt(1) } })) as unknown as ResourceHandler;

      // WHEN a Create runs
      const { responses, logger } = await invoke(server, handler, givenCreateEvent(url));

      // THEN the last-resort path answered FAILED, keeping the id so the Delete can clean up
      expect(responses).toMatchObject([
        { Status: 'FAILED', PhysicalResourceId: 'acme-shop-api', Reason: expect.stringMatching(/^InternalError: the provider could not build its answer \(TypeError: /) },
      ]);
      expect(logger.find('failed unexpectedly')).toHaveLength(1);
    });

    it('ignores an empty claimed id and answers the marker when the Create then fails', async () => {
      const handler: ResourceHandler = async (_request, context) => {
        context.claimPhysicalId('');
        throw new Error('x');
      };
      const { responses, logger } = await invoke(server, handler, givenCreateEvent(url));
      expect(responses).toMatchObject([{ PhysicalResourceId: CREATE_FAILED_MARKER }]);
      expect(logger.find('claimPhysicalId ignored')).toHaveLength(1);
    });

    it('still answers when the context cannot tell the remaining time', async () => {
      const noClock = (): number => {
        throw new Error('no clock');
      };
      const context = { ...givenContext(), getRemainingTimeInMillis: noClock };
      const { responses } = await invoke(server, async () => ({ physicalResourceId: 'a' }), givenCreateEvent(url), { context });
      expect(responses).toMatchObject([{ Status: 'SUCCESS' }]);
    });
  });

  describe('with structured-log keys', () => {
    it('appends the request keys for every line and resets them at the end', async () => {
      const handler: ResourceHandler = async () => ({ physicalResourceId: 'acme-shop-api' });
      const { logger } = await invoke(server, handler, givenCreateEvent(url), { context: givenContext() });
      expect(logger.appendedKeys).toEqual([
        { RequestType: 'Create', StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/1', LogicalResourceId: 'Repo', RequestId: 'req-1' },
      ]);
      expect(logger.find('Responding SUCCESS')[0]?.keys).toMatchObject({ RequestId: 'req-1' });
      expect(logger.resets).toBe(1);
    });
  });
});
