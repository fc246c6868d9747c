/**
 * RetainOnDelete against an AWS-compatible endpoint: a Delete leaves everything in place, and
 * a later Delete with it switched off removes what the same resource owns. Skipped, saying
 * so, without AWS_ENDPOINT_URL.
 */
import { endpoint, readKey, readParameters, readRepository, ResponseServer, runBundle, Stack, unique } from './harness';

if (!endpoint) console.warn('RetainOnDelete integration suite SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (see provider.integ.test.ts).');
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(120_000);

describeWithEndpoint('RetainOnDelete against an AWS-compatible endpoint', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  it('keeps the repository, key and parameters on Delete, and deletes them once it is switched off', async () => {
    // GIVEN a retained, encrypted repository
    const stack = new Stack(responses);
    const base = unique('kept');
    const name = `acme-shop-${base}`;
    const stem = `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const retained = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true', RetainOnDelete: 'true' };
    const [created] = await runBundle(responses, [stack.create(retained)]);
    expect(created?.Status).toBe('SUCCESS');
    const keyArn = created?.Data?.KmsKeyArn as string;

    // WHEN CloudFormation deletes it
    const [deleted] = await runBundle(responses, [stack.delete(name, retained)]);

    // THEN the Delete succeeded and everything is still there
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect(await readRepository(name)).toBeDefined();
    expect((await readKey(keyArn)).state).toBe('Enabled');
    expect((await readParameters([`${stem}_arn`]))[`${stem}_arn`]).toBeDefined();

    // WHEN the same resource is deleted with RetainOnDelete off (the clean-up of this test)
    const [removed] = await runBundle(responses, [stack.delete(name, { ...retained, RetainOnDelete: 'false' })]);
    // THEN it is gone
    expect(removed?.Status).toBe('SUCCESS');
    expect(await readRepository(name)).toBeUndefined();
  });
});
