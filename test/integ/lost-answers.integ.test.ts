/**
 * Lost answers: each create-type call takes effect in AWS but its answer never reaches the
 * provider (the fault-injecting proxy forwards it, then holds the answer until the provider's
 * deadline makes it give up). Afterwards nothing may be left that the Delete CloudFormation
 * sends next, or a new stack with the same template, trips over; or the log names it.
 */
import { randomUUID } from 'node:crypto';
import { ACCOUNT, aliasTarget, endpoint, REGION, readKey, readParameters, readRepository, ResponseServer, runBundle, runBundleWithLogs, SETTINGS, Stack, unique } from './harness';
import { type AwsProxy, startAwsProxy } from './aws-proxy';
import { pickSettings, recordRun, type RunRecorder, trimCall } from './iam-recorder';
import { callShapes, readRecordedFixture } from '../helpers/recorded-simulation';

if (!endpoint) console.warn('Lost-answer suite SKIPPED: set AWS_ENDPOINT_URL (e.g. moto_server) to run it.');
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(120_000);

/** A short Lambda budget: the held call is given up at the soft deadline (half of it). */
const BUDGET = { remainingMs: 10_000, logLevel: 'WARN' as const };
/**
 * A lost CreateKey is looked for among every key of the account, which on a long-lived endpoint
 * holds many: a budget like the provider's real one, so the search has the clean-up time it has in Lambda.
 */
const SEARCH_BUDGET = { remainingMs: 30_000, logLevel: 'WARN' as const };

const keysCreated = (proxy: AwsProxy) =>
  proxy.callsTo('kms:CreateKey').flatMap((call) => {
    const arn = (call.response?.KeyMetadata as { Arn?: string } | undefined)?.Arn;
    return arn ? [arn] : [];
  });

describeWithEndpoint('create calls whose answer is lost', () => {
  const responses = new ResponseServer();
  let proxy: AwsProxy;
  let recorder: RunRecorder;
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());
  beforeEach(async () => {
    // The fault proxy forwards through a recording one: what the faulty run made (a key whose
    // answer was lost) is known to the IAM simulation of the runs that follow, as in AWS.
    recorder = await recordRun(endpoint!, ACCOUNT, REGION, SETTINGS);
    proxy = await startAwsProxy(recorder.url);
  });
  afterEach(async () => {
    await proxy.close();
    await recorder.finish();
  });

  it.each([
    ['kms:CreateKey', undefined],
    ['ecr:CreateRepository', undefined],
    ['kms:CreateAlias', undefined],
    ['ssm:PutParameter', '_name'],
  ])('leaves nothing behind a failed Create and its Delete when %s takes effect unanswered', async (action, parameterSuffix) => {
    // GIVEN the proxy forwards the call and swallows its answer
    const base = unique('lost');
    const name = `acme-shop-${base}`;
    const properties = { ApplicationName: 'Shop', RepositoryBaseName: base, UseKmsKey: 'true', ImagesRetained: '3' };
    proxy.inject({ action, mode: 'swallow', ...(parameterSuffix ? { when: (body: Record<string, unknown>) => String(body.Name).endsWith(parameterSuffix) } : {}) });

    // WHEN CloudFormation sends Create
    const stack = new Stack(responses);
    const { responses: [created], logs } = await runBundleWithLogs(responses, [stack.create(properties)], SETTINGS, { ...(action === 'kms:CreateKey' ? SEARCH_BUDGET : BUDGET), endpoint: proxy.url });

    // THEN it fails, answering the real name: something of ours may exist
    expect(proxy.callsTo(action).find((call) => call.fault === 'swallow')?.status).toBe(200);
    expect(created).toMatchObject({ Status: 'FAILED', PhysicalResourceId: name });
    if (action === 'kms:CreateKey') {
      // AND the key it made was found by the request in its description and is on its way out
      expect(logs.map((line) => line.message)).toContainEqual(expect.stringContaining('found by its description and scheduled for deletion'));
    } else {
      expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('went unanswered') }));
    }

    // WHEN CloudFormation sends the rollback Delete with that id
    const [deleted] = await runBundle(responses, [stack.delete(created!.PhysicalResourceId, properties)]);

    // THEN nothing of ours is left
    expect(deleted?.Status).toBe('SUCCESS');
    expect(await readRepository(name)).toBeUndefined();
    expect(await aliasTarget(`alias/${name}`)).toBeUndefined();
    const stem = `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    expect(await readParameters([`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`])).toEqual({});
    for (const keyArn of keysCreated(proxy)) expect((await readKey(keyArn)).state).toBe('PendingDeletion');

    // AND the same template deploys in a new stack
    const [again] = await runBundle(responses, [new Stack(responses).create(properties)]);
    expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
  });

  it('leaves exactly one enabled key when the SDK retries a CreateKey whose connection broke after KMS made the key', async () => {
    // GIVEN the proxy forwards the first CreateKey (KMS makes the key), then drops the connection:
    // the SDK sees a network error and retries, and the retry makes a second key
    const base = unique('retried');
    const name = `acme-shop-${base}`;
    const properties = { ApplicationName: 'Shop', RepositoryBaseName: base, UseKmsKey: 'true' };
    proxy.inject({ action: 'kms:CreateKey', mode: 'drop' });

    // WHEN CloudFormation sends Create
    const stack = new Stack(responses);
    const { responses: [created], logs } = await runBundleWithLogs(responses, [stack.create(properties)], SETTINGS, { ...SEARCH_BUDGET, endpoint: proxy.url });

    // THEN the Create succeeds on the retry's key
    expect(proxy.callsTo('kms:CreateKey').map((call) => call.fault)).toEqual(['drop', undefined]);
    expect(keysCreated(proxy)).toHaveLength(2);
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const inUse = (await readRepository(name))?.repository.encryptionConfiguration?.kmsKey;
    expect(created?.Data?.KmsKeyArn).toBe(inUse);
    // AND of the two keys this request made, only that one stays enabled: the other is on its way out
    const states = await Promise.all(keysCreated(proxy).map(async (arn) => [arn, (await readKey(arn)).state] as const));
    expect(states.filter(([, state]) => state === 'Enabled').map(([arn]) => arn)).toEqual([inUse]);
    expect(states.filter(([, state]) => state === 'PendingDeletion')).toHaveLength(1);
    expect(logs.map((line) => line.message)).toContainEqual(expect.stringContaining('scheduled for deletion'));
    // AND every call it made, the search included, is in the committed IAM fixture (simulated by npm test)
    const run = { account: ACCOUNT, region: REGION, settings: pickSettings(SETTINGS), calls: proxy.calls.map(trimCall) };
    const committed = new Set(callShapes(readRecordedFixture()));
    expect(callShapes([run]).filter((shape) => !committed.has(shape))).toEqual([]);

    // AND the Delete removes the repository and schedules the key it used
    const [deleted] = await runBundle(responses, [stack.delete(name, properties)]);
    expect(deleted?.Status).toBe('SUCCESS');
    expect((await readKey(inUse!)).state).toBe('PendingDeletion');
  });

  it('names the new repository in the log when a replacement’s CreateRepository takes effect unanswered', async () => {
    // GIVEN a deployed repository
    const base = unique('repl');
    const properties = { ApplicationName: 'Shop', RepositoryBaseName: base };
    const stack = new Stack(responses);
    await runBundle(responses, [stack.create(properties)]);
    // AND the replacement's CreateRepository answer is lost
    proxy.inject({ action: 'ecr:CreateRepository', mode: 'swallow' });
    const next = `${base}-${randomUUID().slice(0, 4)}`;

    // WHEN the base name changes
    const { responses: [updated], logs } = await runBundleWithLogs(
      responses,
      [stack.update(`acme-shop-${base}`, { ...properties, RepositoryBaseName: next }, properties)],
      SETTINGS,
      { ...BUDGET, endpoint: proxy.url },
    );

    // THEN the Update fails and the log names the new repository, which does exist
    expect(updated?.Status).toBe('FAILED');
    const line = logs.find((entry) => entry.level === 'ERROR' && String(entry.message).includes(`by acme-shop-${next}`));
    expect(line).toMatchObject({ unanswered: [{ type: 'repository', name: `acme-shop-${next}` }] });
    expect(await readRepository(`acme-shop-${next}`)).toBeDefined();
  });
});
