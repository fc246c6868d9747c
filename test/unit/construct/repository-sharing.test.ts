/**
 * Organisation, OU and Lambda sharing through the CDK doors: the construct's props, the
 * builder's config keys and the provider's `organizationId`, checked at synth as a deploy would.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplicationHelper } from '../../../construct/application-helper';
import { EcrBuilder } from '../../../construct/builder';
import { OrgEcrRepository } from '../../../construct/repository';
import type { OrgEcrRepositoryProps } from '../../../construct/repository-props';
import { givenContext, givenProvider, givenStack, templateOf } from './given';

const REQUIRED = { applicationName: 'shop', repositoryBaseName: 'orders-api' } as const;
const ORG = 'o-a1b2c3d4e5';
const OU = `${ORG}/r-ab12/ou-ab12-11111111/`;

function givenRepository(stack: Stack, props: Partial<OrgEcrRepositoryProps> = {}): OrgEcrRepository {
  return new OrgEcrRepository(stack, 'Orders', { ...REQUIRED, ...props });
}

function customResourceProperties(stack: Stack): Record<string, unknown> {
  const resources = Object.values(templateOf(stack).findResources('Custom::OrgEcrRepository'));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('OrgEcrRepository sharing props', () => {
  it('renders every sharing prop as its contract property', () => {
    const stack = givenStack();
    givenRepository(stack, { shareWithOrganization: true, shareWithOrganizationalUnitPaths: [OU], lambdaPullFromEnvs: true });
    expect(customResourceProperties(stack)).toMatchObject({ ShareWithOrganization: true, ShareWithOrganizationalUnitPaths: [OU], LambdaPullFromEnvs: true });
  });

  it('renders no sharing property when none is given', () => {
    const stack = givenStack();
    givenRepository(stack);
    expect(Object.keys(customResourceProperties(stack))).not.toEqual(expect.arrayContaining(['ShareWithOrganization']));
  });

  it.each<[string, Partial<OrgEcrRepositoryProps>, RegExp]>([
    ['shareWithOrganization', { shareWithOrganization: 'yes' as unknown as boolean }, /`shareWithOrganization` must be true or false; got: "yes"/],
    ['lambdaPullFromEnvs', { lambdaPullFromEnvs: 1 as unknown as boolean }, /`lambdaPullFromEnvs` must be true or false; got: 1/],
    ['shareWithOrganizationalUnitPaths', { shareWithOrganizationalUnitPaths: ['ou-ab12-11111111'] }, /`shareWithOrganizationalUnitPaths` must hold organisational-unit paths like .*got: "ou-ab12-11111111"/],
  ])('fails the synth naming `%s` and the value when it is invalid', (_prop, props, message) => {
    expect(() => givenRepository(givenStack(), props)).toThrow(message);
  });

  it('fails the synth when the provider in the app has no organizationId, naming the prop to set', () => {
    const stack = givenStack();
    const provider = givenProvider(stack);
    expect(() => givenRepository(stack, { provider, shareWithOrganization: true })).toThrow(/`shareWithOrganization` needs the organisation id.*the provider's `organizationId` prop/);
  });

  it('fails the synth for a unit of another organisation than the provider’s', () => {
    const stack = givenStack();
    const provider = givenProvider(stack, { organizationId: ORG });
    expect(() => givenRepository(stack, { provider, shareWithOrganizationalUnitPaths: ['o-zzzzzzzzzz/r-ab12/'] })).toThrow(
      /`shareWithOrganizationalUnitPaths` may only name units of the organisation o-a1b2c3d4e5; got: "o-zzzzzzzzzz\/r-ab12\/"/,
    );
  });

  it('accepts organisation sharing when the provider has the organisation id, and writes it into the provider’s settings', () => {
    const stack = givenStack();
    const provider = givenProvider(stack, { organizationId: ORG });
    expect(() => givenRepository(stack, { provider, shareWithOrganization: true, shareWithOrganizationalUnitPaths: [OU] })).not.toThrow();
    templateOf(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ORG_ORGANIZATION_ID: ORG }) } });
  });

  it('leaves the check to the deploy when the provider’s organisationId is a token', () => {
    const stack = givenStack();
    const provider = givenProvider(stack, { organizationId: new CfnParameter(stack, 'Org').valueAsString });
    expect(() => givenRepository(stack, { provider, shareWithOrganization: true })).not.toThrow();
  });

  it('fails the synth naming `organizationId` when the provider’s is malformed', () => {
    expect(() => givenProvider(givenStack(), { organizationId: 'org-1' })).toThrow(/`organizationId` must be empty or an AWS Organizations id like "o-a1b2c3d4e5".*got: "org-1"/);
  });
});

describe('OrgEcrRepository grants to another account with organisation or OU sharing', () => {
  const MEMBER = '555555555555';
  function givenMemberRole(app: App): iam.Role {
    const other = new Stack(app, 'Member', { env: { account: MEMBER, region: 'eu-west-1' } });
    return new iam.Role(other, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), roleName: 'puller' });
  }

  it.each<[string, Partial<OrgEcrRepositoryProps>]>([
    ['shareWithOrganization', { shareWithOrganization: true }],
    ['shareWithOrganizationalUnitPaths', { shareWithOrganizationalUnitPaths: [OU] }],
  ])('grants pulls to a role of an account outside the environment list when %s shares the repository', (_prop, props) => {
    // GIVEN a provider whose environments do not include the member account
    const app = new App();
    const stack = givenStack('Owner', app);
    const provider = givenProvider(stack, { organizationId: ORG, environmentAccounts: { dev: '222222222222' } });
    const repo = givenRepository(stack, { provider, ...props });
    // WHEN
    const grant = repo.grantPull(givenMemberRole(app));
    // THEN the role's own policy gets the pull actions; the provider's statement is the other half
    expect(grant.success).toBe(true);
    expect(JSON.stringify(stack.resolve(grant.principalStatements.map((statement) => statement.toStatementJson())))).toContain('ecr:BatchGetImage');
  });

  it('still refuses a push to an account of the organisation', () => {
    const app = new App();
    const stack = givenStack('Owner', app);
    const repo = givenRepository(stack, { provider: givenProvider(stack, { organizationId: ORG }), shareWithOrganization: true });
    expect(() => repo.grantPush(givenMemberRole(app))).toThrow(/the organisation shares repositories read-only .*push from the owning account/);
  });

  it('names every way to share when nothing shares the repository', () => {
    const app = new App();
    const repo = givenRepository(givenStack('Owner', app));
    expect(() => repo.grantPull(givenMemberRole(app))).toThrow(/set `shareableWithAllEnvs: true` .*or `shareWithOrganization` \/ `shareWithOrganizationalUnitPaths` for accounts of the organisation/);
  });
});

describe('EcrBuilder sharing config keys', () => {
  function givenBuilt(entry: Record<string, unknown>): Stack {
    const app = new App({ context: givenContext() });
    const appHelper = new ApplicationHelper(app);
    const stack = new Stack(app, 'Application', { env: appHelper.environment });
    new EcrBuilder().setApplicationHelper(appHelper).setBuilderConfig({ api: entry }).setEcrRepoBaseName('api').build(stack);
    return stack;
  }

  it('reads share_with_organization, share_with_organizational_unit_paths and lambda_pull_from_envs', () => {
    const stack = givenBuilt({ share_with_organization: 'true', share_with_organizational_unit_paths: `${OU}, ${ORG}/r-ab12/ou-ab12-22222222`, lambda_pull_from_envs: true });
    expect(customResourceProperties(stack)).toMatchObject({
      ShareWithOrganization: true,
      ShareWithOrganizationalUnitPaths: [OU, `${ORG}/r-ab12/ou-ab12-22222222/`],
      LambdaPullFromEnvs: true,
    });
  });

  it('fails naming the config key and the value when a sharing key is invalid', () => {
    expect(() => givenBuilt({ lambda_pull_from_envs: 'sometimes' })).toThrow(/`api.lambda_pull_from_envs` must be true or false; got: "sometimes"/);
    expect(() => givenBuilt({ share_with_organizational_unit_paths: ['r-ab12'] })).toThrow(/`api.share_with_organizational_unit_paths` must hold organisational-unit paths/);
  });
});
