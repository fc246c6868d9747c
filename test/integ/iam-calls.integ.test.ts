/**
 * The provider's AWS calls over its whole life cycle, recorded through the proxy and simulated
 * against its IAM policy as generated (and each key's policy as the provider wrote it): every
 * one must be Allowed. The recording is also the committed fixture
 * test/fixtures/iam/recorded-calls.json, which `npm test` replays without an endpoint; this
 * test fails when the provider makes a call the fixture does not hold (a new action, or new
 * condition keys), and `UPDATE_IAM_FIXTURE=1` rewrites it from this run, deliberately.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import type { RecordedRun } from '../helpers/iam-calls';
import { callShapes, readRecordedFixture, RECORDED_CALLS_FIXTURE, replayRecordedRuns } from '../helpers/recorded-simulation';
import { type AwsProxy, type FaultRule, startAwsProxy } from './aws-proxy';
import { ACCOUNT, endpoint, kms, type Properties, REGION, ResponseServer, runBundle, SETTINGS, Stack, unique } from './harness';
import { pickSettings, trimCall } from './iam-recorder';

if (!endpoint) {
  console.warn('IAM recording SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint; test/unit/iam/recorded-calls.test.ts still replays the committed recording.');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(180_000);

describeWithEndpoint('the provider\'s recorded AWS calls, under its IAM policy', () => {
  const responses = new ResponseServer();
  const runs: RecordedRun[] = [];
  let proxy: AwsProxy;
  beforeAll(async () => {
    await responses.start();
    proxy = await startAwsProxy(endpoint!);
  });
  afterAll(async () => {
    await proxy.close();
    await responses.stop();
  });

  /** One bundle process, recorded as one run. */
  async function run(events: object[], settings: Record<string, string> = SETTINGS, fault?: FaultRule) {
    proxy.reset();
    if (fault) proxy.inject(fault);
    const answers = await runBundle(responses, events, settings, { endpoint: proxy.url });
    runs.push({ account: ACCOUNT, region: REGION, settings: pickSettings(settings), calls: proxy.calls.map(trimCall) });
    return answers;
  }

  it('records a full life cycle: encrypted shared repository, updates (tag mutability both ways), settings changes, delete', async () => {
    const stack = new Stack(responses);
    const base = unique('iam-full');
    const full: Properties = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true', ImagesRetained: '10', ShareableWithAllEnvs: 'true', Tags: [{ Key: 'team', Value: 'payments' }] };
    const [created] = await run([stack.create(full)]);
    expect(created?.Status).toBe('SUCCESS');
    const name = created!.PhysicalResourceId;
    const changed: Properties = {
      ...full,
      ImagesRetained: '20',
      ShareableWithAllEnvs: 'false',
      Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'tier', Value: 'gold' }],
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: 'latest',
    };
    expect((await run([stack.update(name, changed, full)]))[0]?.Status).toBe('SUCCESS');
    const bare: Properties = { ...changed, ImagesRetained: '', Tags: [], ImageTagMutability: 'MUTABLE', ImageTagMutabilityExclusionFilters: '' };
    expect((await run([stack.update(name, bare, changed)], { ...SETTINGS, ORG_KMS_KEY_ROTATION: 'false' }))[0]?.Status).toBe('SUCCESS');
    expect((await run([stack.update(name, changed, bare)]))[0]?.Status).toBe('SUCCESS');
    expect((await run([stack.delete(name, changed)]))[0]?.Status).toBe('SUCCESS');
  });

  it('records an unencrypted repository under a parameter prefix, replaced on a new name, rolled back and cleaned up', async () => {
    const stack = new Stack(responses);
    const settings = { ...SETTINGS, ORG_SSM_PARAMETER_PREFIX: '/platform/ecr' };
    const oldProps: Properties = { ApplicationName: 'shop', RepositoryBaseName: unique('iam-old') };
    const newProps: Properties = { ApplicationName: 'shop', RepositoryBaseName: unique('iam-new'), ShareableWithAllEnvs: 'true' };
    const [created] = await run([stack.create(oldProps)], settings);
    const oldName = created!.PhysicalResourceId;
    const [replaced] = await run([stack.update(oldName, newProps, oldProps)], settings);
    const newName = replaced!.PhysicalResourceId;
    const answers = await run([stack.update(newName, oldProps, newProps), stack.delete(newName, newProps), stack.delete(oldName, oldProps)], settings);
    expect([created, replaced, ...answers].map((answer) => answer?.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  it('records the conflicts: an organisation alias on a key that is not ours, and a Delete from another stack', async () => {
    const base = unique('iam-foreign');
    const foreignKey = await kms.send(new CreateKeyCommand({ Description: 'not ours' }));
    await kms.send(new CreateAliasCommand({ AliasName: `alias/acme-shop-${base}`, TargetKeyId: foreignKey.KeyMetadata!.KeyId! }));
    const stack = new Stack(responses);
    const props: Properties = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true' };
    // Whatever the provider decides about a key it does not own (fail, or leave it and make its
    // own), the calls it makes to find out are recorded; then the stack goes away.
    const [answer] = await run([stack.create(props)]);
    await run([stack.delete(answer!.PhysicalResourceId, props)]);

    const owned = new Stack(responses);
    const mine: Properties = { ApplicationName: 'shop', RepositoryBaseName: unique('iam-mine'), UseKmsKey: 'true' };
    const [made] = await run([owned.create(mine)]);
    const [foreignDelete] = await run([new Stack(responses).delete(made!.PhysicalResourceId, mine)]);
    expect(foreignDelete?.Status).toBe('SUCCESS');
    // IAM lets the provider delete any organisation repository of its account; what keeps it
    // from deleting another stack's is its ownership check: that run only read.
    const writes = runs.at(-1)!.calls.map((call) => call.action).filter((action) => !/:(Describe|Get|List)/.test(action));
    expect(writes).toEqual([]);
    await run([owned.delete(made!.PhysicalResourceId, mine)]);
  });

  it('records a repository made under an earlier ORG_PREFIX: updated, replaced, rolled back and deleted under the new one', async () => {
    const stack = new Stack(responses);
    const earlier = { ...SETTINGS, ORG_PREFIX: 'acme' };
    const today = { ...SETTINGS, ORG_PREFIX: 'corp' };
    const deployed: Properties = { ApplicationName: 'shop', RepositoryBaseName: unique('iam-prefix'), UseKmsKey: 'true', ImagesRetained: '5', ShareableWithAllEnvs: 'true', Tags: [{ Key: 'team', Value: 'payments' }] };
    const [created] = await run([stack.create(deployed)], earlier);
    const oldName = created!.PhysicalResourceId;
    expect(oldName).toMatch(/^acme-shop-/);
    // In place under the new prefix: every repository, key and alias call lands on the earlier name.
    const changed: Properties = { ...deployed, ImagesRetained: '', ShareableWithAllEnvs: 'false', Tags: [{ Key: 'team', Value: 'orders' }] };
    const [inPlace] = await run([stack.update(oldName, changed, deployed)], today);
    expect(inPlace?.PhysicalResourceId).toBe(oldName);
    // A replacement named with the new prefix, its rollback to the earlier repository, the cleanup.
    const renamed: Properties = { ...changed, RepositoryBaseName: unique('iam-prefix-v2') };
    const [replaced] = await run([stack.update(oldName, renamed, changed)], today);
    const newName = replaced!.PhysicalResourceId;
    expect(newName).toMatch(/^corp-shop-/);
    const [rolledBack, cleanup] = await run([stack.update(newName, changed, renamed), stack.delete(newName, renamed)], today);
    expect(rolledBack?.PhysicalResourceId).toBe(oldName);
    const [deleted] = await run([stack.delete(oldName, changed)], today);
    expect([created, inPlace, replaced, rolledBack, cleanup, deleted].map((answer) => answer?.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  it('records a CreateKey the SDK retried after its connection broke, and the search that schedules the extra key', async () => {
    const stack = new Stack(responses);
    const props: Properties = { ApplicationName: 'shop', RepositoryBaseName: unique('iam-retried'), UseKmsKey: 'true' };
    const [created] = await run([stack.create(props)], SETTINGS, { action: 'kms:CreateKey', mode: 'drop' });
    expect(created?.Status).toBe('SUCCESS');
    const calls = runs.at(-1)!.calls.map((call) => call.action);
    expect(calls.filter((action) => action === 'kms:CreateKey')).toHaveLength(2);
    expect(calls).toEqual(expect.arrayContaining(['kms:ListKeys', 'kms:ScheduleKeyDeletion']));
    expect((await run([stack.delete(created!.PhysicalResourceId, props)]))[0]?.Status).toBe('SUCCESS');
  });

  it('allows every recorded call under the provider role\'s generated policy and the keys\' own policies', async () => {
    const report = await replayRecordedRuns(runs);
    expect(report.denials).toEqual([]);
    expect(report.calls).toBeGreaterThan(50);
    console.info(`IAM: ${report.calls} recorded calls, ${report.simulated} requests simulated, all Allowed`);
  });

  it('finds every call shape of this recording in the committed fixture (UPDATE_IAM_FIXTURE=1 rewrites it)', () => {
    if (process.env.UPDATE_IAM_FIXTURE === '1') {
      mkdirSync(dirname(RECORDED_CALLS_FIXTURE), { recursive: true });
      writeFileSync(RECORDED_CALLS_FIXTURE, `${JSON.stringify({ note: 'Recorded by test/integ/iam-calls.integ.test.ts with UPDATE_IAM_FIXTURE=1; replayed by test/unit/iam/recorded-calls.test.ts.', runs }, null, 1)}\n`);
    }
    const committed = new Set(callShapes(readRecordedFixture()));
    const missing = callShapes(runs).filter((shape) => !committed.has(shape));
    expect(missing).toEqual([]);
  });
});
