/** The OU shares of the CDK Service Catalog stack (construct/app/stacks/portfolio-share.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, CfnParameter, type Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../../construct/app/build-app';
import { OrgEcrPortfolioShares, ORGANIZATION_READ_ACTIONS, PORTFOLIO_SHARE_ACTIONS } from '../../../construct/app/stacks/portfolio-share';
import { SERVICE_CATALOG_STACK_NAME, SERVICE_CATALOG_TEMPLATE_STACK_NAME } from '../../../construct/app/stacks/service-catalog';
import { ACCOUNT, cdkJsonContext, givenStack, REGION, templateOf } from './given';

const OU_A = 'ou-ab12-cd345678';
const OU_B = 'ou-ab12-ef901234';
const PORTFOLIO_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:catalog:${REGION}:${ACCOUNT}:portfolio/`, { Ref: 'CatalogPortfolio8A9A4646' }]] };

function givenApp(shareWithOrganizationalUnits?: unknown, extra: Record<string, unknown> = {}): App {
  const serviceCatalog = shareWithOrganizationalUnits === undefined ? {} : { serviceCatalog: { shareWithOrganizationalUnits, ...extra } };
  return buildApp({ context: { ...cdkJsonContext(), ...serviceCatalog }, outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
}
const stackOf = (app: App, name: string) => app.node.findChild(name) as Stack;

interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
}
const sharesOf = (template: Template) => Object.entries(template.findResources('Custom::PortfolioOrganizationalUnitShare') as Record<string, Resource>);

/** The SDK call of an AwsCustomResource property, with each `Ref` written as `<LogicalId>`. */
function sdkCall(resource: Resource, event: 'Create' | 'Update' | 'Delete'): Record<string, any> {
  const [, parts] = resource.Properties[event]['Fn::Join'] as [string, Array<string | { Ref: string }>];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join(''));
}

function shareRoleStatements(template: Template): Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } } });
  expect(Object.keys(roles)).toHaveLength(1);
  const [role] = Object.values(roles) as Array<{ Properties: { Policies: Array<{ PolicyDocument: { Statement: [] } }>; ManagedPolicyArns?: unknown } }>;
  expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  return role!.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('the Service Catalog OU shares', () => {
  it('creates one share resource per OU of cdk.json, calling createPortfolioShare with TagOptions and principals on create and update', () => {
    // GIVEN
    const app = givenApp([OU_A, OU_B]);
    // WHEN
    const shares = sharesOf(templateOf(stackOf(app, SERVICE_CATALOG_STACK_NAME)));
    // THEN
    expect(shares).toHaveLength(2);
    shares.forEach(([, share], index) => {
      const expected = {
        service: 'ServiceCatalog',
        action: 'createPortfolioShare',
        parameters: { PortfolioId: '<CatalogPortfolio8A9A4646>', OrganizationNode: { Type: 'ORGANIZATIONAL_UNIT', Value: [OU_A, OU_B][index] }, ShareTagOptions: true, SharePrincipals: true },
        physicalResourceId: { id: `<CatalogPortfolio8A9A4646>/${[OU_A, OU_B][index]}` },
      };
      expect(sdkCall(share, 'Create')).toEqual(expected);
      expect(sdkCall(share, 'Update')).toEqual(expected);
      expect(share.Properties.InstallLatestAwsSdk).toBe(false);
    });
  });

  it('calls deletePortfolioShare on delete, ignoring only a share or portfolio that is already gone', () => {
    // GIVEN
    const app = givenApp([OU_A]);
    // WHEN
    const [[, share] = ['', undefined]] = sharesOf(templateOf(stackOf(app, SERVICE_CATALOG_STACK_NAME)));
    // THEN
    expect(sdkCall(share!, 'Delete')).toEqual({
      service: 'ServiceCatalog',
      action: 'deletePortfolioShare',
      parameters: { PortfolioId: '<CatalogPortfolio8A9A4646>', OrganizationNode: { Type: 'ORGANIZATIONAL_UNIT', Value: OU_A } },
      physicalResourceId: { id: `<CatalogPortfolio8A9A4646>/${OU_A}` },
      ignoreErrorCodesMatching: '^ResourceNotFoundException$',
    });
  });

  it('starts each share only after the previous one, since Service Catalog runs one share operation per portfolio at a time', () => {
    // GIVEN
    const app = givenApp([OU_A, OU_B, 'ou-ab12-0000aaaa']);
    // WHEN
    const shares = sharesOf(templateOf(stackOf(app, SERVICE_CATALOG_STACK_NAME)));
    // THEN
    expect(shares.map(([, share]) => share.DependsOn)).toEqual([undefined, [shares[0]?.[0]], [shares[1]?.[0]]]);
  });

  it('grants the share function the share actions on this portfolio only, read-only Organizations calls and its own log group', () => {
    // GIVEN
    const app = givenApp([OU_A]);
    const template = templateOf(stackOf(app, SERVICE_CATALOG_STACK_NAME));
    // WHEN
    const statements = shareRoleStatements(template);
    // THEN
    expect(statements).toEqual([
      { Sid: 'ServiceCatalogShareThisPortfolio', Effect: 'Allow', Action: [...PORTFOLIO_SHARE_ACTIONS], Resource: PORTFOLIO_ARN },
      { Sid: 'OrganizationsReadStructure', Effect: 'Allow', Action: [...ORGANIZATION_READ_ACTIONS], Resource: '*' },
    ]);
    expect(ORGANIZATION_READ_ACTIONS.every((action) => /^organizations:(Describe|List)/.test(action))).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::Logs::LogGroup'))[0], 'Arn'] } }] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } } }))[0], 'Arn'] } });
  });

  it('reports no unacknowledged AwsSolutions finding in any stack when OUs are listed', () => {
    // GIVEN
    const app = givenApp([OU_A, OU_B]);
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(app);
    // THEN
    expect(report.violations).toEqual([]);
  });

  it('acknowledges only the read-only Organizations wildcard, with its reason, so the clean result above hides nothing else', () => {
    // GIVEN
    const stack = givenStack();
    const portfolio = new servicecatalog.Portfolio(stack, 'Portfolio', { displayName: 'p', providerName: 'p' });
    // WHEN
    const shares = new OrgEcrPortfolioShares(stack, 'Shares', { portfolio, organizationalUnitIds: [OU_A] });
    // THEN
    const acknowledged = shares.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledged).toEqual([[expect.stringMatching(/AwsSolutions-IAM5\[Resource::\*\]$/), expect.stringMatching(/^OrganizationsReadStructure: Read-only: /)]]);
  });

  it('adds no share, function or role when cdk.json lists no OU, as it does by default', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const template = templateOf(stackOf(app, SERVICE_CATALOG_STACK_NAME));
    // THEN
    expect(cdkJsonContext().serviceCatalog).toEqual({ shareWithOrganizationalUnits: [] });
    expect(sharesOf(template)).toHaveLength(0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } } })).toEqual({});
  });

  it('leaves the raw template stack exactly as it is, with no asset and no custom resource, when OUs are listed', () => {
    // GIVEN
    const withoutShares = templateOf(stackOf(givenApp(), SERVICE_CATALOG_TEMPLATE_STACK_NAME)).toJSON();
    const app = givenApp([OU_A, OU_B]);
    // WHEN
    const assembly = app.synth();
    // THEN
    const artifact = assembly.getStackByName(SERVICE_CATALOG_TEMPLATE_STACK_NAME);
    expect(artifact.template).toEqual(withoutShares);
    expect(artifact.assets).toEqual([]);
    expect(JSON.stringify(artifact.template)).not.toMatch(/Custom::|AWS::Lambda::Function/);
  });

  it.each([
    [['OU-AB12-CD345678'], /`serviceCatalog.shareWithOrganizationalUnits\[0\]` must be an organizational unit id: .*; got: "OU-AB12-CD345678"/],
    [[OU_A, 'r-ab12'], /`serviceCatalog.shareWithOrganizationalUnits\[1\]` must be an organizational unit id: .*; got: "r-ab12"/],
    [[OU_A, OU_A], /`serviceCatalog.shareWithOrganizationalUnits\[1\]` repeats "ou-ab12-cd345678"; list each organizational unit once/],
    [OU_A, /`serviceCatalog.shareWithOrganizationalUnits` must be a list of organizational unit ids, e.g. \["ou-ab12-cd345678"\]; got: "ou-ab12-cd345678"/],
  ])('fails naming the entry when cdk.json lists %j', (ids, message) => {
    // GIVEN / WHEN / THEN
    expect(() => givenApp(ids)).toThrow(message);
  });

  it('fails naming the key when the serviceCatalog context has an unknown key', () => {
    // GIVEN / WHEN / THEN
    expect(() => givenApp([OU_A], { shareWithOus: [OU_B] })).toThrow(/`serviceCatalog.shareWithOus` is not a known key \(known: shareWithOrganizationalUnits, previousReleases\); got: \["ou-ab12-ef901234"\]/);
  });

  it.each([
    [[], /`organizationalUnitIds` must name at least one organizational unit; got: \[\]/],
    ['token', /`organizationalUnitIds\[0\]` must be a literal organizational unit id \(each becomes its own resource\), not a token/],
  ])('fails naming the prop when the construct is given %s', (kind, message) => {
    // GIVEN
    const stack = givenStack();
    const portfolio = new servicecatalog.Portfolio(stack, 'Portfolio', { displayName: 'p', providerName: 'p' });
    const ids = kind === 'token' ? [new CfnParameter(stack, 'Ou').valueAsString] : [];
    // WHEN / THEN
    expect(() => new OrgEcrPortfolioShares(stack, 'Shares', { portfolio, organizationalUnitIds: ids })).toThrow(message);
  });

  it('fails naming the stack when another AwsCustomResource created the function first, with a role lacking the share permissions', () => {
    // GIVEN
    const stack = givenStack();
    const portfolio = new servicecatalog.Portfolio(stack, 'Portfolio', { displayName: 'p', providerName: 'p' });
    new cr.AwsCustomResource(stack, 'Other', {
      onCreate: { service: 'STS', action: 'getCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('caller') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    // WHEN / THEN
    expect(() => new OrgEcrPortfolioShares(stack, 'Shares', { portfolio, organizationalUnitIds: [OU_A] })).toThrow(
      /Test\/Shares: the stack's AwsCustomResource function already exists with another role, .*create OrgEcrPortfolioShares before any other AwsCustomResource of stack Test/,
    );
  });
});
