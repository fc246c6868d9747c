/**
 * Update and Delete as CloudFormation really drives them, against the AWS-compatible endpoint:
 * refused Updates and their swapped rollbacks, parameters under an earlier prefix, a key whose repository and alias were deleted by
 * hand, tightened settings, prototype-named tag keys and long names. The built bundle runs in
 * a fresh process per batch of events, as Lambda would.
 */
import { DeleteRepositoryCommand } from '@aws-sdk/client-ecr';
import { DeleteAliasCommand } from '@aws-sdk/client-kms';
import { aliasTarget, ecr, endpoint, kms, readKey, readParameters, readRepository, ResponseServer, runBundle, SETTINGS, Stack, unique } from './harness';

// The rollback of a replacement after an ORG_PREFIX change is proven over the fake world
// (test/unit/provider/update-replacement-rollback.test.ts) and, against the endpoint with the
// IAM simulation of its calls under the new prefix's policy, in iam-calls.integ.test.ts.

if (!endpoint) {
  console.warn('Integration suite (rollbacks) SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (e.g. `moto_server -p 5000`); .ci/run does this in CI.');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(120_000);

const stemOf = (base: string) => `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

describeWithEndpoint('provider bundle on rollbacks, settings changes and leftovers', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  it('refuses a UseKmsKey flip, then converges its swapped rollback, even with an invalid value alongside', async () => {
    const stack = new Stack(responses);
    const base = unique('flip');
    const name = `acme-shop-${base}`;
    const deployed = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true', ImagesRetained: '4' };
    const [created] = await runBundle(responses, [stack.create(deployed)]);
    expect(created?.Status).toBe('SUCCESS');

    const flip = { ...deployed, UseKmsKey: 'false' };
    const flipInvalid = { ...flip, ImagesRetained: 'ten' };
    const [refused, rollback, refusedInvalid, rollbackInvalid] = await runBundle(responses, [
      stack.update(name, flip, deployed),
      stack.update(name, deployed, flip),
      stack.update(name, flipInvalid, deployed),
      stack.update(name, deployed, flipInvalid),
    ]);
    expect(refused).toMatchObject({ Status: 'FAILED', PhysicalResourceId: name });
    expect(refused?.Reason).toContain('UnsupportedUpdateError');
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name, Data: { KmsKeyArn: created!.Data!.KmsKeyArn } });
    expect(refusedInvalid?.Status).toBe('FAILED');
    expect(rollbackInvalid).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect((await readRepository(name))?.repository.encryptionConfiguration?.encryptionType).toBe('KMS');

    await runBundle(responses, [stack.delete(name, deployed)]);
  });

  it('moves the parameters after ORG_SSM_PARAMETER_PREFIX changed, and a Delete finds them under the earlier prefix', async () => {
    const stack = new Stack(responses);
    const base = unique('params');
    const name = `acme-shop-${base}`;
    const stem = stemOf(base);
    const deployed = { ApplicationName: 'shop', RepositoryBaseName: base };
    await runBundle(responses, [stack.create(deployed)]);
    expect(Object.keys(await readParameters([`${stem}_arn`, `${stem}_name`]))).toHaveLength(2);

    // An Update under the new prefix moves them
    const prefixed = { ...SETTINGS, ORG_SSM_PARAMETER_PREFIX: '/platform/ecr' };
    const [moved] = await runBundle(responses, [stack.update(name, deployed, deployed)], prefixed);
    expect(moved?.Data?.NameParameterName).toBe(`/platform/ecr/${stem}_name`);
    expect(await readParameters([`${stem}_arn`, `${stem}_name`])).toEqual({});
    expect((await readParameters([`/platform/ecr/${stem}_name`]))[`/platform/ecr/${stem}_name`]?.value).toBe(name);

    // A Delete under yet another prefix still finds them by their tags
    const [deleted] = await runBundle(responses, [stack.delete(name, deployed)], { ...SETTINGS, ORG_SSM_PARAMETER_PREFIX: '/other' });
    expect(deleted?.Status).toBe('SUCCESS');
    expect(await readParameters([`/platform/ecr/${stem}_arn`, `/platform/ecr/${stem}_name`])).toEqual({});
  });

  it('reuses the key of a repository and alias deleted by hand on Update, and schedules it on Delete', async () => {
    const stack = new Stack(responses);
    const base = unique('orphan');
    const name = `acme-shop-${base}`;
    const deployed = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true' };
    const [created] = await runBundle(responses, [stack.create(deployed)]);
    const keyArn = created!.Data!.KmsKeyArn!;
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
    await kms.send(new DeleteAliasCommand({ AliasName: `alias/${name}` }));

    const [updated] = await runBundle(responses, [stack.update(name, { ...deployed, ImagesRetained: '2' }, deployed)]);
    expect(updated).toMatchObject({ Status: 'SUCCESS', Data: { KmsKeyArn: keyArn } });
    expect((await readRepository(name))?.repository.encryptionConfiguration?.kmsKey).toContain(keyArn.split('/').pop());
    expect(await aliasTarget(`alias/${name}`)).toBe(keyArn);

    await ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
    await kms.send(new DeleteAliasCommand({ AliasName: `alias/${name}` }));
    const [deleted] = await runBundle(responses, [stack.delete(name, deployed)]);
    expect(deleted?.Status).toBe('SUCCESS');
    expect((await readKey(keyArn)).state).toBe('PendingDeletion');
  });

  it('rolls back to deployed tags that a new mandatory tag clashes with; keeps prototype-named keys; cuts a long name', async () => {
    const stack = new Stack(responses);
    const base = `${unique('long')}-${'x'.repeat(300)}`;
    const deployed = { ApplicationName: 'shop', RepositoryBaseName: base, Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'constructor', Value: 'c' }, { Key: 'toString', Value: 's' }] };
    const [created] = await runBundle(responses, [stack.create(deployed)]);
    expect(created?.Status).toBe('SUCCESS');
    const name = created!.PhysicalResourceId;
    expect(name.length).toBeLessThanOrEqual(256);

    const stricter = { ...SETTINGS, ORG_MANDATORY_TAGS: '{"cost-center":"cc-42","owner":"platform","team":"platform","__proto__":"org"}' };
    const forward = { ...deployed, ImagesRetained: 'ten' };
    const [refused, rollback] = await runBundle(responses, [stack.update(name, forward, deployed), stack.update(name, deployed, forward)], stricter);
    expect(refused?.Status).toBe('FAILED');
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const tags = (await readRepository(name))?.tags;
    expect(tags).toMatchObject({ team: 'platform', constructor: 'c', toString: 's' });
    expect(Object.getOwnPropertyDescriptor(tags, '__proto__')?.value).toBe('org');

    await runBundle(responses, [stack.delete(name, deployed)], stricter);
    expect(await readRepository(name)).toBeUndefined();
  });
});
