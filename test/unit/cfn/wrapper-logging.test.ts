import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { createCustomResourceHandler } from '../../../handler/src/cfn/wrapper';
import type { HttpTransport } from '../../../handler/src/cfn/send';
import type { CloudFormationEvent, ResourceHandler } from '../../../handler/src/cfn/types';
import { givenContext, givenCreateEvent, givenDeleteEvent, PRESIGNED_PATH, SIGNATURE } from './helpers/events';
import { FakeLogger } from './helpers/fake-logger';
import { invoke, responseUrlOf } from './helpers/harness';
import { startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';

const S3_URL = `https://bucket.s3.amazonaws.com${PRESIGNED_PATH}`;

describe('createCustomResourceHandler logging', () => {
  let server: LoopbackServer;
  let url: string;
  beforeAll(async () => {
    server = await startLoopbackServer();
    url = responseUrlOf(server);
  });
  afterAll(async () => server.close());

  const succeeds: ResourceHandler = async () => ({ physicalResourceId: 'acme-shop-api' });
  const throwsWithSignedUrl: ResourceHandler = async () => {
    throw new Error(`GetObject ${S3_URL} denied`, { cause: new Error(`X-Amz-Signature=${SIGNATURE}`) });
  };
  const hangs: ResourceHandler = () => new Promise(() => undefined);

  it.each<[string, ResourceHandler, (responseUrl: string) => CloudFormationEvent | Record<string, unknown>]>([
    ['a success', succeeds, (u) => givenCreateEvent(u)],
    ['a failure whose error holds a signed URL', throwsWithSignedUrl, (u) => givenCreateEvent(u)],
    ['a timeout', hangs, (u) => givenCreateEvent(u)],
    ['a marker Delete', succeeds, (u) => givenDeleteEvent(u, CREATE_FAILED_MARKER)],
    ['a malformed event', succeeds, (u) => ({ ...givenCreateEvent(u), RequestType: 'Nope' })],
  ])('never logs the ResponseURL or a signature after %s', async (_name, handler, eventFor) => {
    // GIVEN a server that refuses the first PUT, so the retry path logs too
    server.answerWith([403]);

    // WHEN the request runs
    const { logger, responses } = await invoke(server, handler, eventFor(url), {
      context: givenContext(400),
      deps: { reserveMs: 40, softReserveMs: 200, sleep: async () => undefined },
    });

    // THEN neither the log nor the response holds the URL's query or its signature
    const everything = `${logger.text()}\n${JSON.stringify(responses)}`;
    expect(responses.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SIGNATURE);
    expect(everything).not.toContain('X-Amz-Signature');
    expect(everything).not.toContain('X-Amz-Credential');
    expect(everything).not.toContain(url);
  });

  it('logs one sanitized start line with the event and the property values, URL redacted', async () => {
    const { logger } = await invoke(server, succeeds, givenCreateEvent(url));
    const [start] = logger.find('CloudFormation request received');
    expect(start?.extra[0]).toMatchObject({
      event: { RequestType: 'Create', ResponseURL: '[redacted]', LogicalResourceId: 'Repo', ResourceProperties: { ApplicationName: 'shop' } },
    });
  });

  it('logs the error with its stack when the handler fails', async () => {
    const { logger } = await invoke(server, throwsWithSignedUrl, givenCreateEvent(url));
    const [failure] = logger.find('The request failed');
    expect(failure?.level).toBe('error');
    expect(failure?.extra[0]).toMatchObject({ error: { name: 'Error', stack: expect.stringContaining('wrapper-logging.test.ts'), cause: { message: '[redacted]' } } });
  });

  it('logs the decisive outcome line before the PUT starts', async () => {
    // GIVEN a transport that notes what was logged when the PUT started
    const logger = new FakeLogger();
    let loggedBeforePut: string[] = [];
    const transport: HttpTransport = async () => {
      loggedBeforePut = logger.lines.map((line) => line.message);
      return { statusCode: 200 };
    };
    const lambdaHandler = createCustomResourceHandler(throwsWithSignedUrl, { logger, transport });

    // WHEN a request fails
    await lambdaHandler(givenCreateEvent(S3_URL), givenContext());

    // THEN the outcome, with status, id and reason, was already in the log
    expect(loggedBeforePut).toContain('Responding FAILED to CloudFormation');
    const [outcome] = logger.find('Responding FAILED');
    expect(outcome?.extra[0]).toMatchObject({
      response: { Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER, Reason: expect.stringMatching(/^Error: GetObject https:\/\/bucket\.s3\.amazonaws\.com\/.*\?\[redacted\] denied/) },
    });
  });

  it('logs the attribute names but not their values in the outcome line', async () => {
    const handler: ResourceHandler = async () => ({ physicalResourceId: 'a', data: { Secretish: 'value-123' } });
    const { logger } = await invoke(server, handler, givenCreateEvent(url));
    expect(logger.find('Responding SUCCESS')[0]?.extra[0]).toMatchObject({ response: { DataKeys: ['Secretish'] } });
    expect(logger.text()).not.toContain('value-123');
  });
});
