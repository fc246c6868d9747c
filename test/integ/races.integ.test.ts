/**
 * Duplicates and races, the way Lambda and CloudFormation really produce them: two handler
 * instances (separate bundle processes, as two Lambda execution environments, each with its
 * own clients) given events at the same moment, with random start jitter, many trials, against
 * the AWS-compatible endpoint. Judged by the answers and by the real state afterwards, never by
 * time. RACE_TRIALS sets the number of trials of the duplicate Create (default 12; the other
 * scenarios run a third as many, at least 3): 28 trials by default.
 */
import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { CREATE_FAILED_MARKER } from '../../handler/src/contract';
import { type AwsProxy, startAwsProxy } from './aws-proxy';
import { aliasTarget, type CfnResponse, endpoint, type Properties, readKey, readParameters, readRepository, ResponseServer, runBundle, SETTINGS, ssm, Stack, unique } from './harness';

if (!endpoint) console.warn('Race suite SKIPPED: set AWS_ENDPOINT_URL (e.g. moto_server) to run it.');
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(600_000);

const TRIALS = Number(process.env.RACE_TRIALS ?? 12);
/** Fewer trials for the scenarios that need a Create first. */
const SHORT_TRIALS = Math.max(3, Math.ceil(TRIALS / 3));
/** Start jitter between the two instances: within the few tens of milliseconds a Create takes. */
const jitter = () => Math.floor(Math.random() * 40);
/** Both processes load first, then start together: loading takes far longer than the race window. */
const LOAD_MS = 3_000;

/** Runs `trial` `count` times, a few trials at once (each on names of its own); returns the failures' messages. */
async function trials(count: number, trial: (index: number) => Promise<void>): Promise<string[]> {
  const failures: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, offset) => start + offset);
    const settled = await Promise.allSettled(batch.map((index) => trial(index)));
    settled.forEach((outcome, offset) => outcome.status === 'rejected' && failures.push(`trial ${start + offset}: ${String((outcome.reason as Error).message ?? outcome.reason)}`));
  }
  return failures;
}
const BATCH = 3;

const stemOf = (base: string) => `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Two processes, one event each, started together with jitter. */
async function atOnce(responses: ResponseServer, first: object, second: object): Promise<CfnResponse[]> {
  const startAt = Date.now() + LOAD_MS;
  const options = { startAt, endpoint: proxy.url };
  const runs = await Promise.all([
    runBundle(responses, [first], SETTINGS, { ...options, delayMs: jitter() }),
    runBundle(responses, [second], SETTINGS, { ...options, delayMs: jitter() }),
  ]);
  return runs.map((answers) => answers[0]!);
}

/** The state a SUCCESS promises: the repository, its key aliased, parameters naming existing things. */
async function expectConsistent(name: string, base: string, stack: Stack, answers: CfnResponse[]): Promise<void> {
  const state = await readRepository(name);
  expect(state?.tags['org-ecr:stack-id']).toBe(stack.stackId);
  const stem = stemOf(base);
  const parameters = await readParameters([`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`]);
  expect(parameters[`${stem}_arn`]?.value).toBe(state?.repository.repositoryArn);
  expect(parameters[`${stem}_name`]?.value).toBe(name);
  const repositoryKey = state?.repository.encryptionConfiguration?.kmsKey;
  if (repositoryKey) {
    const key = await readKey(repositoryKey);
    expect(key.state).toBe('Enabled');
    expect(await aliasTarget(`alias/${name}`)).toBe(key.arn);
    expect(parameters[`${stem}_kms_key_arn`]?.value).toBe(key.arn);
    for (const answer of answers) expect(answer.Data?.KmsKeyArn).toBe(key.arn);
  }
  for (const answer of answers) {
    expect(answer.Data?.RepositoryName).toBe(name);
    expect(answer.Data?.ArnParameterName).toBe(`${stem}_arn`);
  }
}

/** Every call of the racing instances goes through a proxy adding random latency, so their calls interleave in every order. */
let proxy: AwsProxy;

describeWithEndpoint('two provider instances on the same event at once', () => {
  const responses = new ResponseServer();
  beforeAll(async () => {
    await responses.start();
    proxy = await startAwsProxy(endpoint!, { latencyMs: 40 });
  });
  afterAll(async () => {
    await responses.stop();
    await proxy.close();
  });

  const withKey = (base: string): Properties => ({ ApplicationName: 'Shop', RepositoryBaseName: base, UseKmsKey: 'true', ImagesRetained: '5', ShareableWithAllEnvs: 'true' });

  it(`answers SUCCESS twice and leaves one consistent repository, for a duplicate Create (${TRIALS} trials)`, async () => {
    const failures = await trials(TRIALS, async (trial) => {
      // GIVEN one Create event, delivered twice at the same moment
      const base = unique('dup');
      const stack = new Stack(responses);
      const event = stack.create(trial % 4 === 3 ? { ApplicationName: 'Shop', RepositoryBaseName: base } : withKey(base));
      // WHEN both instances handle it
      const answers = await atOnce(responses, event, event);
      // THEN both succeed with the same id, and the state is what they claim
      expect(answers.map((answer) => [answer.Status, answer.Reason, answer.PhysicalResourceId])).toEqual([
        ['SUCCESS', undefined, `acme-shop-${base}`],
        ['SUCCESS', undefined, `acme-shop-${base}`],
      ]);
      await expectConsistent(`acme-shop-${base}`, base, stack, answers);
    });
    expect(failures).toEqual([]);
  });

  it(`answers SUCCESS twice for a duplicate replacing Update, and the new repository is consistent (${SHORT_TRIALS} trials)`, async () => {
    const failures = await trials(SHORT_TRIALS, async () => {
      // GIVEN a created repository
      const base = unique('rep');
      const stack = new Stack(responses);
      const [created] = await runBundle(responses, [stack.create(withKey(base))]);
      expect(created?.Status).toBe('SUCCESS');
      // WHEN the replacing Update (new base name) is delivered twice at once
      const next = `${base}-v2`;
      const event = stack.update(`acme-shop-${base}`, withKey(next), withKey(base));
      const answers = await atOnce(responses, event, event);
      // THEN both answer the new repository, which is consistent
      expect(answers.map((answer) => [answer.Status, answer.Reason, answer.PhysicalResourceId])).toEqual([
        ['SUCCESS', undefined, `acme-shop-${next}`],
        ['SUCCESS', undefined, `acme-shop-${next}`],
      ]);
      await expectConsistent(`acme-shop-${next}`, next, stack, answers);
    });
    expect(failures).toEqual([]);
  });

  it(`answers SUCCESS twice for a duplicate in-place Update that recreates missing parameters (${SHORT_TRIALS} trials)`, async () => {
    const failures = await trials(SHORT_TRIALS, async () => {
      // GIVEN a created repository whose parameters were deleted by hand
      const base = unique('upd');
      const stack = new Stack(responses);
      await runBundle(responses, [stack.create(withKey(base))]);
      const stem = stemOf(base);
      await ssm.send(new DeleteParametersCommand({ Names: [`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`] }));
      // WHEN an in-place Update is delivered twice at once
      const event = stack.update(`acme-shop-${base}`, { ...withKey(base), ImagesRetained: '9' }, withKey(base));
      const answers = await atOnce(responses, event, event);
      // THEN both succeed and the parameters are back
      expect(answers.map((answer) => [answer.Status, answer.Reason])).toEqual([
        ['SUCCESS', undefined],
        ['SUCCESS', undefined],
      ]);
      await expectConsistent(`acme-shop-${base}`, base, stack, answers);
    });
    expect(failures).toEqual([]);
  });

  it(`lets exactly one of two stacks racing for one name win, with a clean ConflictError for the other (${SHORT_TRIALS} trials)`, async () => {
    const failures = await trials(SHORT_TRIALS, async () => {
      // GIVEN two stacks asking for the same repository at the same moment
      const base = unique('race');
      const [one, two] = [new Stack(responses), new Stack(responses)];
      const answers = await atOnce(responses, one.create(withKey(base)), two.create(withKey(base)));
      // THEN one SUCCESS, one ConflictError answered with the marker
      const winner = answers.findIndex((answer) => answer.Status === 'SUCCESS');
      expect(answers.map((answer) => answer.Status).sort()).toEqual(['FAILED', 'SUCCESS']);
      const loser = answers[1 - winner]!;
      expect(loser.Reason).toMatch(/^ConflictError: /);
      expect(loser.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
      // AND the winner is intact
      await expectConsistent(`acme-shop-${base}`, base, [one, two][winner]!, [answers[winner]!]);
    });
    expect(failures).toEqual([]);
  });

  it(`lets exactly one of two apps with one base name win the parameters, the other failing cleanly (${SHORT_TRIALS} trials)`, async () => {
    const failures = await trials(SHORT_TRIALS, async () => {
      // GIVEN two applications with the same base name (so the same parameter names)
      const base = unique('apps');
      const [shop, web] = [new Stack(responses), new Stack(responses)];
      const answers = await atOnce(responses, shop.create(withKey(base)), web.create({ ...withKey(base), ApplicationName: 'Web' }));
      // THEN one SUCCESS, one ConflictError naming the parameters
      const winner = answers.findIndex((answer) => answer.Status === 'SUCCESS');
      expect(answers.map((answer) => answer.Status).sort()).toEqual(['FAILED', 'SUCCESS']);
      expect(answers[1 - winner]?.Reason).toMatch(/^ConflictError: SSM parameter /);
      // AND the winner is intact, the loser's repository gone
      const names = [`acme-shop-${base}`, `acme-web-${base}`];
      await expectConsistent(names[winner]!, base, [shop, web][winner]!, [answers[winner]!]);
      expect(await readRepository(names[1 - winner]!)).toBeUndefined();
      expect(await aliasTarget(`alias/${names[1 - winner]}`)).toBeUndefined();
    });
    expect(failures).toEqual([]);
  });
});
