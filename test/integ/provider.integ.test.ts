/**
 * The built bundle, driven through its whole life cycle against a real AWS-compatible
 * endpoint (moto_server in CI: `.ci/run` starts it and sets AWS_ENDPOINT_URL), then the real
 * state read back. Without an endpoint the suite is skipped, and says so.
 */
import { CreateRepositoryCommand, DescribeRepositoriesCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CREATE_FAILED_MARKER, CROSS_ACCOUNT_PULL_ACTIONS } from '../../handler/src/contract';
import {
  ACCOUNT,
  aliasTarget,
  ecr,
  endpoint,
  readKey,
  readParameters,
  readRepository,
  ResponseServer,
  retainedCount,
  runBundle,
  SETTINGS,
  Stack,
  unique,
} from './harness';

if (!endpoint) {
  console.warn('Integration suite SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (e.g. `moto_server -p 5000` and AWS_ENDPOINT_URL=http://127.0.0.1:5000); .ci/run does this in CI.');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(120_000);

/** The statement Lambda adds to a repository policy when a function in the account uses one of its images. */
const LAMBDA_STATEMENT = {
  Sid: 'LambdaECRImageRetrievalPolicy',
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
};

describeWithEndpoint('provider bundle against an AWS-compatible endpoint', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  const base = unique('orders-api');
  const name = `acme-shop-${base}`;
  const stem = `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const full = {
    ApplicationName: 'Shop',
    RepositoryBaseName: base,
    UseKmsKey: 'true',
    ImagesRetained: '10',
    ShareableWithAllEnvs: 'true',
    Tags: [{ Key: 'team', Value: 'payments' }],
  };

  it('creates the repository, its key, policies, parameters and tags', async () => {
    // GIVEN a stack asking for a shared, encrypted repository keeping 10 images
    const stack = new Stack(responses);
    // WHEN CloudFormation sends Create
    const [response] = await runBundle(responses, [stack.create(full)]);
    // THEN it answers SUCCESS with the repository name as physical id and every attribute
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect(response!.Data).toMatchObject({
      RepositoryName: name,
      RepositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`,
      RepositoryUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${name}`,
      ArnParameterName: `${stem}_arn`,
      NameParameterName: `${stem}_name`,
      KmsKeyArnParameterName: `${stem}_kms_key_arn`,
    });
    const keyArn = response!.Data!.KmsKeyArn!;
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);

    // AND the repository is scanned on push, encrypted with that key, tagged, with its policies
    const state = await readRepository(name);
    expect(state?.repository.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(state?.repository.encryptionConfiguration).toMatchObject({ encryptionType: 'KMS' });
    expect(state?.repository.encryptionConfiguration?.kmsKey).toContain(keyArn.split('/').pop());
    expect(state?.tags).toMatchObject({ team: 'payments', 'cost-center': 'cc-42', owner: 'platform', 'org-ecr:stack-id': stack.stackId, 'org-ecr:logical-id': 'Repository' });
    expect(state?.lifecycle?.rules).toEqual([
      expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'untagged' }) }),
      expect.objectContaining({ selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 } }),
    ]);
    const statement = state?.policy?.Statement[0];
    expect([statement?.Principal].flatMap((principal) => (principal as { AWS: string | string[] }).AWS)).toEqual(
      expect.arrayContaining(['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root']),
    );
    expect(JSON.stringify(statement?.Principal)).not.toContain(ACCOUNT);
    expect([statement?.Action].flat().sort()).toEqual([...CROSS_ACCOUNT_PULL_ACTIONS].sort());

    // AND the key: rotation per the settings, env accounts may decrypt, alias and tags
    const key = await readKey(keyArn);
    expect(key.state).toBe('Enabled');
    expect(key.rotation).toBe(true);
    expect(key.policy.Statement.find((entry) => entry.Sid === 'EnvironmentAccountsDecrypt')?.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(key.policy.Statement.find((entry) => entry.Sid === 'ProviderManagesKey')?.Principal).toEqual({ AWS: SETTINGS.ORG_PROVIDER_ROLE_ARN });
    expect(key.tags).toMatchObject({ 'org-ecr:repository': name, 'cost-center': 'cc-42' });
    expect(await aliasTarget(`alias/${name}`)).toBe(keyArn);

    // AND the parameters, tagged like the repository
    const parameters = await readParameters([`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`]);
    expect(parameters[`${stem}_arn`]?.value).toBe(response!.Data!.RepositoryArn);
    expect(parameters[`${stem}_name`]?.value).toBe(name);
    expect(parameters[`${stem}_kms_key_arn`]?.value).toBe(keyArn);
    expect(parameters[`${stem}_name`]?.tags).toMatchObject({ 'org-ecr:repository': name, team: 'payments' });

    // WHEN the same Create is delivered again (Lambda's at-least-once delivery)
    const [again] = await runBundle(responses, [{ ...stack.create(full) }]);
    // THEN it adopts what is its own and the alias still names the one key the repository uses
    expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect(again!.Data!.KmsKeyArn).toBe(keyArn);
    expect(await aliasTarget(`alias/${name}`)).toBe(keyArn);

    // WHEN the stack updates retention, stops sharing and changes tags in place
    const updated = { ...full, ImagesRetained: '3', ShareableWithAllEnvs: 'false', Tags: [{ Key: 'team', Value: 'checkout' }] };
    const [update] = await runBundle(responses, [stack.update(name, updated, full)]);
    // THEN the same repository changed in place
    expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const afterUpdate = await readRepository(name);
    expect(retainedCount(afterUpdate)).toBe(3);
    expect(afterUpdate?.policy).toBeUndefined();
    expect(afterUpdate?.tags.team).toBe('checkout');
    const keyAfterUpdate = await readKey(keyArn);
    expect(keyAfterUpdate.policy.Statement.map((entry) => entry.Sid)).not.toContain('EnvironmentAccountsDecrypt');
    expect(keyAfterUpdate.tags.team).toBe('checkout');
    expect((await readParameters([`${stem}_name`]))[`${stem}_name`]?.tags.team).toBe('checkout');

    // WHEN retention is removed
    const [unretained] = await runBundle(responses, [stack.update(name, { ...updated, ImagesRetained: '' }, updated)]);
    expect(unretained?.Status).toBe('SUCCESS');
    expect(retainedCount(await readRepository(name))).toBeUndefined();

    // WHEN UseKmsKey flips while the name stays
    const [flip] = await runBundle(responses, [stack.update(name, { ...updated, UseKmsKey: 'false' }, updated)]);
    // THEN it fails, says how to do it instead, and changes nothing
    expect(flip?.Status).toBe('FAILED');
    expect(flip?.Reason).toMatch(/UseKmsKey cannot change.*change RepositoryBaseName/s);
    expect((await readRepository(name))?.repository.encryptionConfiguration?.encryptionType).toBe('KMS');

    // WHEN the stack is deleted
    const [deleted] = await runBundle(responses, [stack.delete(name, updated)]);
    // THEN the repository, parameters and alias are gone and the key is scheduled for deletion
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect(await readRepository(name)).toBeUndefined();
    expect(await readParameters([`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`])).toEqual({});
    expect(await aliasTarget(`alias/${name}`)).toBeUndefined();
    expect((await readKey(keyArn)).state).toBe('PendingDeletion');
  });

  it('turns retention, sharing and tags on in place, and follows a new environment account in the settings', async () => {
    // GIVEN a bare repository with a customer key: no retention, not shared, no tags of its own
    const stack = new Stack(responses);
    const base = unique('catalog');
    const name = `acme-shop-${base}`;
    const bare = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true' };
    const [created] = await runBundle(responses, [stack.create(bare)]);
    expect(created?.Status).toBe('SUCCESS');
    const keyArn = created!.Data!.KmsKeyArn!;
    expect(retainedCount(await readRepository(name))).toBeUndefined();
    expect((await readRepository(name))?.policy).toBeUndefined();

    // WHEN retention, sharing and a tag are added in one update
    const rich = { ...bare, ImagesRetained: '7', ShareableWithAllEnvs: 'true', Tags: [{ Key: 'tier', Value: 'gold' }] };
    const [turnedOn] = await runBundle(responses, [stack.update(name, rich, bare)]);
    // THEN the same repository has them, and its key lets the environment accounts decrypt
    expect(turnedOn).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const state = await readRepository(name);
    expect(retainedCount(state)).toBe(7);
    expect(JSON.stringify(state?.policy)).toContain('arn:aws:iam::222222222222:root');
    expect(state?.tags.tier).toBe('gold');
    const key = await readKey(keyArn);
    expect(key.policy.Statement.find((entry) => entry.Sid === 'EnvironmentAccountsDecrypt')).toBeDefined();
    expect(key.tags.tier).toBe('gold');

    // AND Lambda adds its own statement to the repository policy, as it does for a function using an image
    const withLambda = { ...state!.policy!, Statement: [...state!.policy!.Statement, LAMBDA_STATEMENT] };
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: JSON.stringify(withLambda) }));

    // WHEN the platform team adds an environment account and the stack is updated again (tag removed)
    const untagged = { ...rich, Tags: [] };
    const widened = { ...SETTINGS, ORG_ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: '111111111111', prod: '222222222222', qa: '333333333333' }) };
    const [followed] = await runBundle(responses, [stack.update(name, untagged, rich)], widened);
    // THEN the repository and key policies name the new account, and the removed tag is gone everywhere
    expect(followed?.Status).toBe('SUCCESS');
    const after = await readRepository(name);
    expect(JSON.stringify(after?.policy)).toContain('arn:aws:iam::333333333333:root');
    expect(JSON.stringify((await readKey(keyArn)).policy)).toContain('arn:aws:iam::333333333333:root');
    expect(after?.policy?.Statement.map((statement) => statement.Sid)).toContain(LAMBDA_STATEMENT.Sid);
    expect(after?.tags.tier).toBeUndefined();
    expect((await readKey(keyArn)).tags.tier).toBeUndefined();
    const stem = `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    expect((await readParameters([`${stem}_name`]))[`${stem}_name`]?.tags.tier).toBeUndefined();

    await runBundle(responses, [stack.delete(name, untagged)], widened);
    expect(await readRepository(name)).toBeUndefined();
  });

  it('replaces on a name change, rolls back to the old repository and cleans up the new one', async () => {
    // GIVEN a repository without a customer key
    const stack = new Stack(responses);
    const oldBase = unique('billing');
    const newBase = unique('invoicing');
    const oldProps = { ApplicationName: 'shop', RepositoryBaseName: oldBase, ImagesRetained: '5' };
    const newProps = { ...oldProps, RepositoryBaseName: newBase };
    const oldName = `acme-shop-${oldBase}`;
    const newName = `acme-shop-${newBase}`;
    const [created] = await runBundle(responses, [stack.create(oldProps)]);
    expect(created?.PhysicalResourceId).toBe(oldName);

    // WHEN an update changes the base name, then the stack rolls back (properties swapped)
    const [replaced, rolledBack, cleanup] = await runBundle(responses, [
      stack.update(oldName, newProps, oldProps),
      stack.update(newName, oldProps, newProps),
      stack.delete(newName, newProps),
    ]);
    // THEN the update created the new repository under a new physical id
    expect(replaced).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newName });
    // AND the rollback went back to the old one, which CloudFormation keeps
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: oldName });
    // AND the cleanup Delete removed only the new repository
    expect(cleanup).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newName });
    expect(await readRepository(newName)).toBeUndefined();
    const old = await readRepository(oldName);
    expect(retainedCount(old)).toBe(5);
    const oldStem = `ECR_${oldBase.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    expect((await readParameters([`${oldStem}_name`]))[`${oldStem}_name`]?.value).toBe(oldName);

    // WHEN a lifecycle policy is deleted by hand and the stack updates a tag
    const { DeleteLifecyclePolicyCommand } = await import('@aws-sdk/client-ecr');
    await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: oldName }));
    const tagged = { ...oldProps, Tags: [{ Key: 'tier', Value: 'gold' }] };
    const [repaired] = await runBundle(responses, [stack.update(oldName, tagged, oldProps)]);
    // THEN the drift is repaired along with the change
    expect(repaired?.Status).toBe('SUCCESS');
    expect(retainedCount(await readRepository(oldName))).toBe(5);

    await runBundle(responses, [stack.delete(oldName, tagged)]);
    expect(await readRepository(oldName)).toBeUndefined();
  });

  it('fails with a conflict and the marker id when the name belongs to someone else, and never touches it', async () => {
    // GIVEN a repository created outside the provider with the name the resource would get
    const stack = new Stack(responses);
    const base = unique('legacy');
    const name = `acme-shop-${base}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    // WHEN a stack asks for it, then rolls back with a Delete of the id it was given
    const [create] = await runBundle(responses, [stack.create({ ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true' })]);
    const [rollback] = await runBundle(responses, [stack.delete(create!.PhysicalResourceId, { ApplicationName: 'shop', RepositoryBaseName: base })]);
    // THEN the Create failed with a clear conflict and the marker id, and the foreign repository remains
    expect(create?.Status).toBe('FAILED');
    expect(create?.Reason).toMatch(/ConflictError: Repository acme-shop-legacy-\w+ already exists and is not managed by this resource/);
    expect(create?.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(rollback?.Status).toBe('SUCCESS');
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories).toHaveLength(1);
    // AND a Delete from another stack naming it succeeds without deleting it
    const [foreign] = await runBundle(responses, [new Stack(responses).delete(name, { ApplicationName: 'shop', RepositoryBaseName: base })]);
    expect(foreign?.Status).toBe('SUCCESS');
    expect(await readRepository(name)).toBeDefined();
  });

  it('fails bad input with a reason naming the property and creates nothing', async () => {
    const stack = new Stack(responses);
    const base = unique('bad');
    const [response] = await runBundle(responses, [stack.create({ ApplicationName: 'shop', RepositoryBaseName: base, ImagesRetained: 'ten', Colour: 'blue' })]);
    expect(response?.Status).toBe('FAILED');
    expect(response?.Reason).toContain('`ImagesRetained` must be a whole number from 1 to 10000; got: "ten"');
    expect(response?.Reason).toContain('`Colour`');
    expect(response?.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(await readRepository(`acme-shop-${base}`)).toBeUndefined();
  });

  it('fails every request with a message naming the setting when the provider settings are invalid', async () => {
    const stack = new Stack(responses);
    const [response] = await runBundle(responses, [stack.create({ ApplicationName: 'shop', RepositoryBaseName: unique('x') })], {
      ORG_PREFIX: 'Acme Corp',
    });
    expect(response?.Status).toBe('FAILED');
    expect(response?.Reason).toContain('`ORG_PREFIX`');
  });
});
