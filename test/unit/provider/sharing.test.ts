/**
 * Organisation, organisational-unit and Lambda sharing through the whole handler: Create,
 * Update in place both ways, the refusals and their rollbacks.
 */
import { InvalidPropertiesError } from '../../../handler/src/errors';
import { FakeWorld } from '../../helpers/fake-world';
import { DEV_ACCOUNT, givenProperties, givenSettingsEnv, PROD_ACCOUNT } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';
const ORG = 'o-a1b2c3d4e5';
const OU = `${ORG}/r-ab12/ou-ab12-11111111/`;
const withOrganization = givenSettingsEnv({ ORG_ORGANIZATION_ID: ORG });

type Statement = { Sid: string; Principal: unknown; Action: string[]; Condition?: unknown };
const sids = (policy: string | null | undefined): string[] => (policy ? (JSON.parse(policy) as { Statement: Statement[] }).Statement.map((statement) => statement.Sid) : []);

/** A statement a team (or Lambda itself) added by hand: never the provider's to touch. */
const TEAM_STATEMENT = { Sid: 'TeamCiPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: ['ecr:BatchGetImage'] };

describe('createRepositoryHandler with organisation, OU and Lambda sharing', () => {
  it('shares a new repository with the organisation, units and Lambda, and the key policy follows', async () => {
    // GIVEN a provider with the organisation id set
    const { world, send } = givenProvider({ settings: withOrganization });

    // WHEN a repository with a key asks for every kind of sharing
    await send(givenCreateRequest(givenProperties({ UseKmsKey: 'true', ShareWithOrganization: 'true', ShareWithOrganizationalUnitPaths: OU, LambdaPullFromEnvs: 'true' })));

    // THEN the repository policy holds one statement per kind, and the key policy lets them decrypt
    const repository = world.repositories.get(NAME);
    expect(sids(repository?.repositoryPolicy)).toEqual(['OrgEcrOrganizationPull', 'OrgEcrOrganizationalUnitsPull', 'OrgEcrLambdaEnvironmentAccountsPull', 'OrgEcrLambdaPull']);
    expect(repository?.repositoryPolicy).toContain(`arn:aws:lambda:eu-west-1:${DEV_ACCOUNT}:function:*`);
    expect(repository?.repositoryPolicy).toContain(`arn:aws:lambda:eu-west-1:${PROD_ACCOUNT}:function:*`);
    const keyPolicy = world.keys.get(repository?.kmsKeyArn ?? '')?.policy ?? '';
    expect(sids(keyPolicy)).toEqual(expect.arrayContaining(['EnvironmentAccountsDecrypt', 'OrganizationDecrypt', 'OrganizationalUnitsDecrypt']));
  });

  it('accepts the unit paths as a list, as the CDK construct sends them', async () => {
    const { world, send } = givenProvider({ settings: withOrganization });
    await send(givenCreateRequest(givenProperties({ ShareWithOrganizationalUnitPaths: [OU, `${ORG}/r-ab12/ou-ab12-22222222`] })));
    expect(world.repositories.get(NAME)?.repositoryPolicy).toContain(`${ORG}/r-ab12/ou-ab12-22222222/*`);
  });

  it.each([
    ['ShareWithOrganization', { ShareWithOrganization: 'true' }, /`ShareWithOrganization` needs the organisation id.*`ORG_ORGANIZATION_ID`/],
    ['ShareWithOrganizationalUnitPaths', { ShareWithOrganizationalUnitPaths: OU }, /`ShareWithOrganizationalUnitPaths` needs the organisation id/],
  ])('fails a Create asking for %s when the provider has no organisation id, writing nothing', async (_property, properties, message) => {
    const { world, send } = givenProvider();
    const error = await rejectionOf(send(givenCreateRequest(givenProperties(properties))));
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect(error.message).toMatch(message);
    expect(world.calls).toEqual([]);
  });

  it('fails a Create naming a unit of another organisation, the value and what is allowed', async () => {
    const { world, send } = givenProvider({ settings: withOrganization });
    const error = await rejectionOf(send(givenCreateRequest(givenProperties({ ShareWithOrganizationalUnitPaths: 'o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/' }))));
    expect(error.message).toMatch(/`ShareWithOrganizationalUnitPaths` may only name units of the organisation o-a1b2c3d4e5; got: "o-zzzzzzzzzz\/r-ab12\/ou-ab12-11111111\/"/);
    expect(world.calls).toEqual([]);
  });

  it.each([
    [{ ShareWithOrganization: 'yes' }, /`ShareWithOrganization` must be true or false.*"yes"/],
    [{ LambdaPullFromEnvs: 'on' }, /`LambdaPullFromEnvs` must be true or false.*"on"/],
    [{ ShareWithOrganizationalUnitPaths: 'ou-ab12-11111111' }, /`ShareWithOrganizationalUnitPaths` must hold organisational-unit paths like "o-a1b2c3d4e5\/r-ab12\/ou-ab12-11111111\/".*got: "ou-ab12-11111111"/],
  ])('fails on a malformed value, naming the property, the value and what is allowed: %j', async (properties, message) => {
    const { send } = givenProvider({ settings: withOrganization });
    await expect(send(givenCreateRequest(givenProperties(properties)))).rejects.toThrow(message);
  });

  it('turns each kind of sharing on and off in place, keeping statements others added', async () => {
    // GIVEN an unshared repository with a key, and a team's own statement in its policy
    const world = new FakeWorld();
    const provider = givenProvider({ world, settings: withOrganization });
    const plain = givenProperties({ UseKmsKey: 'true' });
    await provider.send(givenCreateRequest(plain));
    const repository = world.repositories.get(NAME);
    if (repository) repository.repositoryPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [TEAM_STATEMENT] });
    const key = repository?.kmsKeyArn ?? '';
    world.calls.length = 0;

    // WHEN an Update turns every kind of sharing on
    const shared = givenProperties({ UseKmsKey: 'true', ShareWithOrganization: 'true', ShareWithOrganizationalUnitPaths: OU, LambdaPullFromEnvs: 'true' });
    const on = await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: plain, new: shared }));

    // THEN in place: same repository and key, the statements are there next to the team's, the key policy follows
    expect(on.physicalResourceId).toBe(NAME);
    expect(world.calls.map((action) => action.kind)).not.toContain('ecr.createRepository');
    expect(sids(world.repositories.get(NAME)?.repositoryPolicy)).toEqual(['TeamCiPull', 'OrgEcrOrganizationPull', 'OrgEcrOrganizationalUnitsPull', 'OrgEcrLambdaEnvironmentAccountsPull', 'OrgEcrLambdaPull']);
    expect(sids(world.keys.get(key)?.policy)).toEqual(expect.arrayContaining(['OrganizationDecrypt', 'OrganizationalUnitsDecrypt', 'EnvironmentAccountsDecrypt']));

    // WHEN a second Update turns them off again
    await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: shared, new: plain }));

    // THEN only the team's statement is left, and the key policy names no one outside the account
    expect(sids(world.repositories.get(NAME)?.repositoryPolicy)).toEqual(['TeamCiPull']);
    expect(sids(world.keys.get(key)?.policy)).not.toEqual(expect.arrayContaining(['OrganizationDecrypt']));
    expect(world.keys.get(key)?.policy).not.toContain('EnvironmentAccountsDecrypt');
    expect(world.repositories.get(NAME)?.kmsKeyArn).toBe(key);
  });

  it('refuses an Update with a malformed sharing value, writing nothing, and its rollback succeeds leaving everything as it was', async () => {
    // GIVEN a shared repository
    const world = new FakeWorld();
    const provider = givenProvider({ world, settings: withOrganization });
    const deployed = givenProperties({ ShareWithOrganization: 'true', LambdaPullFromEnvs: 'true' });
    await provider.send(givenCreateRequest(deployed));
    const before = JSON.stringify(world.repositories.get(NAME));
    world.calls.length = 0;

    // WHEN an Update sends a value that does not parse
    const forward = givenProperties({ ShareWithOrganization: 'maybe', LambdaPullFromEnvs: 'false' });
    const error = await rejectionOf(provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: forward })));

    // THEN it is refused naming the property and the value, having written nothing
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect(error.message).toMatch(/`ShareWithOrganization` must be true or false.*"maybe"/);
    expect(world.calls).toEqual([]);

    // WHEN CloudFormation rolls it back (the properties swapped)
    const rollback = await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: forward, new: deployed }));

    // THEN the rollback succeeds and the repository is as it was
    expect(rollback.physicalResourceId).toBe(NAME);
    expect(JSON.stringify(world.repositories.get(NAME))).toBe(before);
  });

  it('never fails an Update over sharing the settings do not allow: leaves it out with a warning, so the rollback of a forward Update succeeds', async () => {
    // GIVEN a repository deployed by a provider without an organisation id
    const world = new FakeWorld();
    const provider = givenProvider({ world });
    const deployed = givenProperties({ ShareableWithAllEnvs: 'true' });
    await provider.send(givenCreateRequest(deployed));
    const before = JSON.stringify(world.repositories.get(NAME));

    // WHEN an Update asks for the whole organisation anyway
    const forward = givenProperties({ ShareableWithAllEnvs: 'true', ShareWithOrganization: 'true' });
    const outcome = await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: forward }));

    // THEN it succeeds in place without that sharing, and the log names the property and the setting
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(sids(world.repositories.get(NAME)?.repositoryPolicy)).toEqual(['OrgEcrEnvironmentAccountsPull']);
    expect(provider.logger.text()).toMatch(/Update: not shared: `ShareWithOrganization` needs the organisation id.*ORG_ORGANIZATION_ID/);

    // AND its rollback succeeds, leaving the repository as it was
    await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: forward, new: deployed }));
    expect(JSON.stringify(world.repositories.get(NAME))).toBe(before);
  });

  it('leaves out, with a warning, sharing the deployed properties had when the organisation id was removed since', async () => {
    // GIVEN a repository shared with the organisation
    const world = new FakeWorld();
    const shared = givenProperties({ ShareWithOrganization: 'true' });
    await givenProvider({ world, settings: withOrganization }).send(givenCreateRequest(shared));
    expect(sids(world.repositories.get(NAME)?.repositoryPolicy)).toEqual(['OrgEcrOrganizationPull']);

    // WHEN the platform team removed the organisation id, and the stack changes a tag
    const { send, logger } = givenProvider({ world });
    const tagged = { ...shared, Tags: [{ Key: 'team', Value: 'x' }] };
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: shared, new: tagged }));

    // THEN the Update succeeds, the organisation statement goes, and the log says why
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.repositoryPolicy ?? null).toBeNull();
    expect(logger.text()).toMatch(/not shared: `ShareWithOrganization` needs the organisation id/);
  });
});
