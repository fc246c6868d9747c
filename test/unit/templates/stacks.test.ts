/** The app's stacks behind the raw-template doors, Service Catalog and the StackSet. */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SERVICE_TOKEN_PARAMETER_NAME } from '../../../handler/src/contract';
import { buildApp } from '../../../construct/app/build-app';
import { PROVIDER_TEMPLATE_STACK_NAME } from '../../../construct/app/stacks/provider-template-stack';
import { SERVICE_CATALOG_STACK_NAME, SERVICE_CATALOG_TEMPLATE_STACK_NAME } from '../../../construct/app/stacks/service-catalog';
import { STACKSET_STACK_NAME } from '../../../construct/app/stacks/stackset-stack';
import { newTemplateStack } from '../../../construct/app/stacks/template-stack';
import { cdkJsonContext } from '../../../scripts/generated-templates';

const TEMPLATE_STACKS = [PROVIDER_TEMPLATE_STACK_NAME, SERVICE_CATALOG_TEMPLATE_STACK_NAME, STACKSET_STACK_NAME];

function givenApp(context: Record<string, unknown> = cdkJsonContext()): App {
  return buildApp({ context });
}
const templateOf = (app: App, stackName: string) => Template.fromStack(app.node.findChild(stackName) as Stack);
const launchRolePolicy = (template: Template) => {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'servicecatalog.amazonaws.com' } }] } } });
  const [role] = Object.values(roles) as Array<{ Properties: { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } }> } }>;
  return role!.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
};

describe('the template stacks', () => {
  it.each(TEMPLATE_STACKS)('synthesizes %s with nothing from cdk bootstrap: no BootstrapVersion, no rule, no CDK metadata', (stackName) => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const template = templateOf(app, stackName).toJSON();
    // THEN
    expect(Object.keys(template.Parameters ?? {})).not.toContain('BootstrapVersion');
    expect(template).not.toHaveProperty('Rules');
    expect(JSON.stringify(template)).not.toMatch(/AWS::CDK::Metadata|aws:cdk:path|cdk-hnb659fds/);
  });

  it('fails naming the stack when a template stack is given an asset', () => {
    // GIVEN
    const app = new App();
    const stack = newTemplateStack(app, 'RawTemplate', { description: 'test' });
    // WHEN
    const addAsset = () => new lambda.Function(stack, 'Function', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(__dirname) });
    // THEN
    expect(addAsset).toThrow(/RawTemplate is shipped as a raw template and cannot hold assets/);
  });

  it('reports no unacknowledged AwsSolutions finding in any of them', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const violations = TEMPLATE_STACKS.flatMap((stackName) => new AwsSolutionsChecks().validateScope(app.node.findChild(stackName)).violations);
    // THEN
    expect(violations).toEqual([]);
  });
});

describe('the Service Catalog launch role', () => {
  it.each([PROVIDER_TEMPLATE_STACK_NAME, SERVICE_CATALOG_STACK_NAME])('holds no ECR, KMS or SSM permission in %s: the provider does that work', (stackName) => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const actions = launchRolePolicy(templateOf(app, stackName)).flatMap((statement) => statement.Action);
    // THEN
    expect(actions.filter((action) => /^(ecr|kms|ssm|iam):/.test(action))).toEqual([]);
    expect(actions).toContain('lambda:InvokeFunction');
  });

  it('may invoke only the provider of its own template', () => {
    // GIVEN
    const app = givenApp();
    const template = templateOf(app, PROVIDER_TEMPLATE_STACK_NAME);
    const functionId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];
    // WHEN
    const invoke = launchRolePolicy(template).filter((statement) => statement.Action === 'lambda:InvokeFunction');
    // THEN
    expect(invoke.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [functionId, 'Arn'] }]);
  });

  it('is only created by the provider template when CreateLaunchRole is true', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const template = templateOf(app, PROVIDER_TEMPLATE_STACK_NAME);
    // THEN
    template.hasResource('AWS::IAM::Role', { Condition: Match.anyValue(), Properties: { RoleName: { 'Fn::Join': ['', ['OrgEcrRepositoryLaunchRole-', { Ref: 'AWS::Region' }]] } } });
    template.hasCondition('CreateLaunchRoleCondition', { 'Fn::Equals': [{ Ref: 'CreateLaunchRole' }, 'true'] });
  });
});

describe('the CDK Service Catalog stack', () => {
  it("invokes the account's provider found through its published SSM parameter", () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const template = templateOf(app, SERVICE_CATALOG_STACK_NAME);
    // THEN
    const parameter = Object.entries(template.toJSON().Parameters as Record<string, { Type: string; Default?: string }>).find(([, value]) => value.Default === SERVICE_TOKEN_PARAMETER_NAME);
    expect(parameter?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    expect(launchRolePolicy(template).find((statement) => statement.Action === 'lambda:InvokeFunction')?.Resource).toEqual({ Ref: parameter?.[0] });
  });

  it("offers the organisation's mandatory tags of cdk.json as TagOptions on the portfolio", () => {
    // GIVEN
    const app = givenApp({ ...cdkJsonContext(), provider: { mandatoryTags: { 'cost-center': 'platform', owner: 'team-a' } } });
    // WHEN
    const template = templateOf(app, SERVICE_CATALOG_STACK_NAME);
    // THEN
    template.resourceCountIs('AWS::ServiceCatalog::TagOption', 2);
    template.hasResourceProperties('AWS::ServiceCatalog::TagOption', { Key: 'cost-center', Value: 'platform' });
    template.resourceCountIs('AWS::ServiceCatalog::TagOptionAssociation', 2);
  });

  it('creates no TagOption when the organisation has no mandatory tags', () => {
    // GIVEN
    const app = givenApp({ ...cdkJsonContext(), provider: {} });
    // WHEN
    const template = templateOf(app, SERVICE_CATALOG_STACK_NAME);
    // THEN
    template.resourceCountIs('AWS::ServiceCatalog::TagOption', 0);
  });

  it('constrains launches to the local launch role, by name, so shared accounts use their own', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const template = templateOf(app, SERVICE_CATALOG_STACK_NAME);
    // THEN
    template.hasResourceProperties('AWS::ServiceCatalog::LaunchRoleConstraint', { LocalRoleName: { Ref: Match.stringLikeRegexp('^LaunchRole') } });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'OrgEcrRepositoryLaunchRole-eu-west-1' });
  });
});
