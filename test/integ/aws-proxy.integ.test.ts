/**
 * The fault-injecting proxy itself, against the AWS-compatible endpoint: it records calls,
 * and each fault does what it says (nothing happens for `fail`/`hang`; the call takes effect
 * without an answer for `swallow`/`drop`). Without an endpoint the suite is skipped.
 */
import { randomUUID } from 'node:crypto';
import { DeleteParametersCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AwsProxy, startAwsProxy } from './aws-proxy';
import { endpoint, REGION, ResponseServer, runBundle, SETTINGS, ssm, Stack, unique } from './harness';

if (!endpoint) console.warn('AWS proxy suite SKIPPED: set AWS_ENDPOINT_URL (e.g. moto_server) to run it.');
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(60_000);

const credentials = { accessKeyId: 'integration', secretAccessKey: 'integration' };
/** An SSM client through the proxy that gives up after one attempt, so each fault is seen as is. */
const viaProxy = (proxy: AwsProxy) => new SSMClient({ region: REGION, credentials, endpoint: proxy.url, maxAttempts: 1 });
const exists = async (name: string) => ((await ssm.send(new GetParametersCommand({ Names: [name] }))).Parameters ?? []).length === 1;
const put = (name: string) => new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' });

describeWithEndpoint('AWS proxy', () => {
  let proxy: AwsProxy;
  const names: string[] = [];
  const fresh = () => {
    const name = `/proxy-test/${randomUUID()}`;
    names.push(name);
    return name;
  };
  beforeEach(async () => {
    proxy = await startAwsProxy(endpoint!);
  });
  afterEach(async () => {
    await proxy.close();
  });
  afterAll(async () => {
    if (names.length > 0) await ssm.send(new DeleteParametersCommand({ Names: names.splice(0, 10) }));
  });

  it('forwards calls and records service, action, body and answer', async () => {
    const name = fresh();
    await viaProxy(proxy).send(put(name));
    expect(proxy.calls).toEqual([
      expect.objectContaining({ service: 'ssm', action: 'ssm:PutParameter', body: expect.objectContaining({ Name: name }), status: 200, response: expect.objectContaining({ Version: 1 }) }),
    ]);
    expect(await exists(name)).toBe(true);
  });

  it('fails the matching call with the chosen AWS error, and nothing happens', async () => {
    const name = fresh();
    proxy.inject({ action: 'ssm:PutParameter', mode: 'fail', error: { code: 'ThrottlingException', message: 'Rate exceeded' } });
    await expect(viaProxy(proxy).send(put(name))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(proxy.calls[0]).toMatchObject({ fault: 'fail', status: 400 });
    expect(await exists(name)).toBe(false);
  });

  it('hits only the nth occurrence of the action', async () => {
    const [first, second, third] = [fresh(), fresh(), fresh()];
    proxy.inject({ action: 'ssm:PutParameter', mode: 'fail', nth: 2 });
    const client = viaProxy(proxy);
    await client.send(put(first));
    await expect(client.send(put(second))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await client.send(put(third));
    expect(proxy.callsTo('ssm:PutParameter').map((call) => call.fault)).toEqual([undefined, 'fail', undefined]);
  });

  it('hangs the matching call until the client gives up, and nothing happens', async () => {
    const name = fresh();
    proxy.inject({ action: 'ssm:PutParameter', mode: 'hang' });
    await expect(viaProxy(proxy).send(put(name), { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(proxy.calls[0]).toMatchObject({ fault: 'hang' });
    expect(proxy.calls[0]?.status).toBeUndefined();
    expect(await exists(name)).toBe(false);
  });

  it('swallows the answer of a call that took effect, until the client gives up', async () => {
    const name = fresh();
    proxy.inject({ action: 'ssm:PutParameter', mode: 'swallow' });
    await expect(viaProxy(proxy).send(put(name), { abortSignal: AbortSignal.timeout(1_000) })).rejects.toThrow();
    expect(proxy.calls[0]).toMatchObject({ fault: 'swallow', status: 200 });
    expect(await exists(name)).toBe(true);
  });

  it('drops the connection after a call took effect', async () => {
    const name = fresh();
    proxy.inject({ action: 'ssm:PutParameter', mode: 'drop', when: (body) => body.Name === name });
    await expect(viaProxy(proxy).send(put(name))).rejects.toThrow();
    expect(proxy.calls[0]).toMatchObject({ fault: 'drop', status: 200 });
    expect(await exists(name)).toBe(true);
  });

  it('lets the built bundle be pointed at it', async () => {
    // GIVEN the bundle sending its AWS calls through the proxy
    const responses = new ResponseServer();
    await responses.start();
    try {
      const stack = new Stack(responses);
      // WHEN it creates a repository without a key
      const [response] = await runBundle(responses, [stack.create({ ApplicationName: 'Shop', RepositoryBaseName: unique('proxied') })], SETTINGS, { endpoint: proxy.url });
      // THEN the proxy saw its calls
      expect(response?.Status).toBe('SUCCESS');
      expect(proxy.calls.map((call) => call.action)).toEqual(expect.arrayContaining(['ecr:CreateRepository', 'ssm:PutParameter']));
      // DescribeStacks on this made-up StackId answers ValidationError (no such stack: no stack tags to copy), by design.
      expect(proxy.calls.map((call) => call.action)).toContain('cloudformation:DescribeStacks');
      expect(proxy.calls.filter((call) => call.action !== 'cloudformation:DescribeStacks').every((call) => call.status === 200)).toBe(true);
    } finally {
      await responses.stop();
    }
  });
});
