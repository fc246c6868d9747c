import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../../construct/app/build-app';
import { OrgEcrRepository } from '../../../construct/repository';
import { cdkJsonContext, givenStack, templateOf } from './given';

function givenApp(context: Record<string, unknown> = cdkJsonContext()): App {
  return buildApp({ context, outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
}

describe('the CDK app', () => {
  it('synthesizes the provider and the example application stacks from cdk.json with cdk-nag on', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'OrgEcrExampleApplication',
      'OrgEcrGuardrail',
      'OrgEcrProviderBoundary',
      'OrgEcrProviderStackSet',
      'OrgEcrRepositoryProvider',
      'OrgEcrRepositoryProviderTemplate',
      'OrgEcrServiceCatalog',
      'OrgEcrServiceCatalogTemplate',
    ]);
  });

  it('reports no unacknowledged AwsSolutions finding in any stack', () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(app);
    // THEN
    expect(report.violations).toEqual([]);
  });

  it("builds the example repository exactly from the environment's cdk.json config", () => {
    // GIVEN
    const app = givenApp();
    // WHEN
    const stack = app.node.findChild('OrgEcrExampleApplication') as Stack;
    // THEN
    templateOf(stack).hasResourceProperties('Custom::OrgEcrRepository', {
      ServiceToken: { 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' },
      ApplicationName: 'shop',
      RepositoryBaseName: 'repository_name',
      UseKmsKey: true,
      ImagesRetained: 10,
      ShareableWithAllEnvs: true,
    });
    expect(stack.account).toBe('111111111111');
  });

  it('configures the provider from the context of the chosen environment', () => {
    // GIVEN
    const app = givenApp({ ...cdkJsonContext(), env: 'prod' });
    // WHEN
    const stack = app.node.findChild('OrgEcrRepositoryProvider') as Stack;
    // THEN
    expect(stack.account).toBe('222222222222');
    templateOf(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ORG_PREFIX: 'acme', ORG_ENVIRONMENT_ACCOUNTS: '{"dev":"111111111111","prod":"222222222222"}', ORG_MANDATORY_TAGS: '{"cost-center":"platform"}' } },
    });
  });

  it('fails naming the key when the provider context has an unknown key', () => {
    // GIVEN
    const context = { ...cdkJsonContext(), provider: { rotation: true } };
    // WHEN / THEN
    expect(() => givenApp(context)).toThrow(/`provider.rotation` is not a known key \(known: mandatoryTags, kmsKeyRotation, kmsKeyDeletionWindowDays, parameterPrefix, organizationId\); got: true/);
  });

  it('fails the synth when a finding is not acknowledged, so the clean result above means something', () => {
    // GIVEN
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = givenStack('Puller', app);
    const repository = new OrgEcrRepository(stack, 'Repo', { applicationName: 'shop', repositoryBaseName: 'api' });
    // WHEN
    repository.grantPull(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    // THEN (grantPull adds ecr:GetAuthorizationToken on "*", which cdk-nag reports)
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});
