/**
 * Organisation, OU and Lambda sharing against an AWS-compatible endpoint, driven through the
 * BUILT bundle: Create, Update in place both ways (keeping a team's own statement), the
 * refusal without an organisation id, and Delete. Skipped, saying so, without an endpoint.
 */
import { SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { ecr, endpoint, readKey, readRepository, ResponseServer, runBundle, SETTINGS, Stack, unique } from './harness';

if (!endpoint) {
  console.warn('Sharing integration suite SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (e.g. moto_server); .ci/run does this in CI.');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;
jest.setTimeout(120_000);

const ORG = 'o-a1b2c3d4e5';
const OU = `${ORG}/r-ab12/ou-ab12-11111111/`;
const WITH_ORGANIZATION = { ...SETTINGS, ORG_ORGANIZATION_ID: ORG };
const TEAM_STATEMENT = { Sid: 'TeamCiPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: ['ecr:BatchGetImage'] };

const sidsOf = (policy: { Statement: Record<string, unknown>[] } | undefined) => (policy?.Statement ?? []).map((statement) => statement.Sid);

describeWithEndpoint('organisation, OU and Lambda sharing against an AWS-compatible endpoint', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  it('shares on Create, turns sharing off and on in place keeping a team statement, the key policy following, and deletes cleanly', async () => {
    // GIVEN a provider with the organisation id, and a repository with a key asking for every kind of sharing
    const stack = new Stack(responses);
    const base = unique('shared');
    const name = `acme-shop-${base}`;
    const plain = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true' };
    const shared = { ...plain, ShareWithOrganization: 'true', ShareWithOrganizationalUnitPaths: OU, LambdaPullFromEnvs: 'true' };

    // WHEN CloudFormation sends Create
    const [created] = await runBundle(responses, [stack.create(shared)], WITH_ORGANIZATION);

    // THEN the repository policy holds the provider's statements, read-only, and the key policy follows
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const keyArn = created!.Data!.KmsKeyArn!;
    const repository = await readRepository(name);
    expect(sidsOf(repository?.policy)).toEqual(['OrgEcrOrganizationPull', 'OrgEcrOrganizationalUnitsPull', 'OrgEcrLambdaEnvironmentAccountsPull', 'OrgEcrLambdaPull']);
    const lambda = repository?.policy?.Statement.find((statement) => statement.Sid === 'OrgEcrLambdaPull');
    expect(lambda).toMatchObject({ Principal: { Service: 'lambda.amazonaws.com' }, Condition: { StringLike: { 'aws:sourceArn': expect.arrayContaining(['arn:aws:lambda:us-east-1:111111111111:function:*']) } } });
    expect(JSON.stringify(repository?.policy)).not.toMatch(/ecr:(Put|Upload|Initiate|Complete|Delete|Set)/);
    expect((await readKey(keyArn)).policy.Statement.map((statement) => statement.Sid)).toEqual(expect.arrayContaining(['EnvironmentAccountsDecrypt', 'OrganizationDecrypt', 'OrganizationalUnitsDecrypt']));

    // WHEN a team adds its own statement, and an Update turns every kind of sharing off
    const current = repository?.policy ?? { Statement: [] };
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: JSON.stringify({ Version: '2012-10-17', Statement: [...current.Statement, TEAM_STATEMENT] }) }));
    const [off] = await runBundle(responses, [stack.update(name, plain, shared)], WITH_ORGANIZATION);

    // THEN in place, only the team's statement is left, and the key policy names no one outside
    expect(off).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    expect(sidsOf((await readRepository(name))?.policy)).toEqual(['TeamCiPull']);
    const keyOff = (await readKey(keyArn)).policy.Statement.map((statement) => statement.Sid);
    expect(keyOff).not.toEqual(expect.arrayContaining(['OrganizationDecrypt']));
    expect(keyOff).not.toContain('EnvironmentAccountsDecrypt');

    // WHEN the stack rolls back (the properties swapped)
    const [rolledBack] = await runBundle(responses, [stack.update(name, shared, plain)], WITH_ORGANIZATION);

    // THEN the sharing is back next to the team's statement, on the same repository and key
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name, Data: { KmsKeyArn: keyArn } });
    expect(sidsOf((await readRepository(name))?.policy)).toEqual(['TeamCiPull', 'OrgEcrOrganizationPull', 'OrgEcrOrganizationalUnitsPull', 'OrgEcrLambdaEnvironmentAccountsPull', 'OrgEcrLambdaPull']);

    // WHEN the stack is deleted
    const [deleted] = await runBundle(responses, [stack.delete(name, shared)], WITH_ORGANIZATION);
    expect(deleted?.Status).toBe('SUCCESS');
    expect(await readRepository(name)).toBeUndefined();
  });

  it('refuses a Create asking for organisation sharing without the organisation id, creating nothing', async () => {
    const stack = new Stack(responses);
    const base = unique('unshareable');
    const [created] = await runBundle(responses, [stack.create({ ApplicationName: 'shop', RepositoryBaseName: base, ShareWithOrganization: 'true' })]);
    expect(created?.Status).toBe('FAILED');
    expect(created?.Reason).toMatch(/InvalidPropertiesError: `ShareWithOrganization` needs the organisation id.*ORG_ORGANIZATION_ID/);
    expect(await readRepository(`acme-shop-${base}`)).toBeUndefined();
  });
});
