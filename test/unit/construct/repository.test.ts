import { CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrgEcrRepository } from '../../../construct/repository';
import type { OrgEcrRepositoryProps } from '../../../construct/repository-props';
import { givenProvider, givenStack, logicalIdOf, templateOf } from './given';

const REQUIRED = { applicationName: 'shop', repositoryBaseName: 'orders-api' } as const;

function givenRepository(stack: Stack, props: Partial<OrgEcrRepositoryProps> = {}): OrgEcrRepository {
  return new OrgEcrRepository(stack, 'Orders', { ...REQUIRED, ...props });
}

function customResourceOf(stack: Stack): { Properties: Record<string, unknown>; DependsOn?: string[] } {
  const resources = Object.values(templateOf(stack).findResources('Custom::OrgEcrRepository'));
  expect(resources).toHaveLength(1);
  return resources[0] as { Properties: Record<string, unknown>; DependsOn?: string[] };
}

const getAtt = (stack: Stack, attribute: string) => ({ 'Fn::GetAtt': [logicalIdOf(templateOf(stack), 'Custom::OrgEcrRepository'), attribute] });

describe('OrgEcrRepository', () => {
  describe('properties', () => {
    it('declares Custom::OrgEcrRepository with every contract property when given every prop', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, {
        useKmsKey: true,
        imagesRetained: 10,
        shareableWithAllEnvs: true,
        tags: { team: 'payments', tier: 'gold' },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: ['latest'],
      });
      // THEN
      const { Properties } = customResourceOf(stack);
      expect(Properties).toEqual({
        ServiceToken: { 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' },
        ServiceTimeout: '360',
        ApplicationName: 'shop',
        RepositoryBaseName: 'orders-api',
        UseKmsKey: true,
        ImagesRetained: 10,
        ShareableWithAllEnvs: true,
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: ['latest'],
        Tags: [
          { Key: 'team', Value: 'payments' },
          { Key: 'tier', Value: 'gold' },
        ],
      });
    });

    it('sends only the required properties when given only the required props', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack);
      // THEN
      expect(customResourceOf(stack).Properties).toEqual({
        ServiceToken: { 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' },
        ServiceTimeout: '360',
        ApplicationName: 'shop',
        RepositoryBaseName: 'orders-api',
      });
    });

    it('sends false values as given when given false', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { useKmsKey: false, shareableWithAllEnvs: false });
      // THEN
      expect(customResourceOf(stack).Properties).toMatchObject({ UseKmsKey: false, ShareableWithAllEnvs: false });
    });

    it('passes CfnParameter tokens through when given them', () => {
      // GIVEN
      const stack = givenStack();
      const parameter = (id: string, type = 'String') => new CfnParameter(stack, id, { type });
      // WHEN
      givenRepository(stack, {
        applicationName: parameter('App').valueAsString,
        repositoryBaseName: parameter('Base').valueAsString,
        imagesRetained: parameter('Images', 'Number').valueAsNumber,
        useKmsKey: Token.asAny(parameter('Kms').valueAsString) as unknown as boolean,
        tags: { team: parameter('Team').valueAsString },
      });
      // THEN
      expect(customResourceOf(stack).Properties).toMatchObject({
        ApplicationName: { Ref: 'App' },
        RepositoryBaseName: { Ref: 'Base' },
        ImagesRetained: { Ref: 'Images' },
        UseKmsKey: { Ref: 'Kms' },
        Tags: [{ Key: 'team', Value: { Ref: 'Team' } }],
      });
    });
  });

  describe('provider', () => {
    it('imports the published ServiceToken by default', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack);
      // THEN
      expect(customResourceOf(stack).Properties.ServiceToken).toEqual({ 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' });
    });

    it('uses the given serviceToken when given one', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:org-ecr' });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceToken).toBe('arn:aws:lambda:eu-west-1:111111111111:function:org-ecr');
    });

    it("uses the provider's function ARN when given a provider", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack);
      // WHEN
      givenRepository(stack, { provider });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOf(templateOf(stack), 'AWS::Lambda::Function'), 'Arn'] });
    });

    it("depends on the provider's function, role, policy, log group and parameter when both are in one stack", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack);
      // WHEN
      givenRepository(stack, { provider });
      // THEN
      const template = templateOf(stack);
      const expected = ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Logs::LogGroup', 'AWS::SSM::Parameter'].map((type) => logicalIdOf(template, type));
      expect([...(customResourceOf(stack).DependsOn ?? [])].sort()).toEqual([...expected].sort());
    });

    it('fails when given both a provider and a serviceToken', () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack);
      // WHEN / THEN
      expect(() => givenRepository(stack, { provider, serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:x' })).toThrow(/either `provider` or `serviceToken`, not both/);
    });
  });

  describe('serviceTimeout', () => {
    it('waits the default provider timeout plus one minute when not given a provider', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack);
      // THEN
      expect(customResourceOf(stack).Properties.ServiceTimeout).toBe('360');
    });

    it("waits the provider's timeout plus one minute when given a provider", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { timeout: Duration.minutes(2) });
      // WHEN
      givenRepository(stack, { provider });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceTimeout).toBe('180');
    });

    it("waits Lambda's 15-minute maximum plus one minute when the provider's timeout is a token", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { timeout: Duration.seconds(new CfnParameter(stack, 'Timeout', { type: 'Number' }).valueAsNumber) });
      // WHEN
      givenRepository(stack, { provider });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceTimeout).toBe('960');
    });

    it('waits as long as given when given serviceTimeout', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { serviceTimeout: Duration.minutes(10) });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceTimeout).toBe('600');
    });
  });

  describe('attributes', () => {
    it('exposes every returned attribute through Fn::GetAtt', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      const repo = givenRepository(stack);
      // THEN
      const resolved = (value: string) => stack.resolve(value);
      expect(resolved(repo.repositoryName)).toEqual(getAtt(stack, 'RepositoryName'));
      expect(resolved(repo.repositoryArn)).toEqual(getAtt(stack, 'RepositoryArn'));
      expect(resolved(repo.repositoryUri)).toEqual(getAtt(stack, 'RepositoryUri'));
      expect(resolved(repo.kmsKeyArn)).toEqual(getAtt(stack, 'KmsKeyArn'));
      expect(resolved(repo.arnParameterName)).toEqual(getAtt(stack, 'ArnParameterName'));
      expect(resolved(repo.nameParameterName)).toEqual(getAtt(stack, 'NameParameterName'));
      expect(resolved(repo.kmsKeyArnParameterName)).toEqual(getAtt(stack, 'KmsKeyArnParameterName'));
      expect(resolved(repo.repository.repositoryName)).toEqual(getAtt(stack, 'RepositoryName'));
      expect(resolved(repo.repository.repositoryArn)).toEqual(getAtt(stack, 'RepositoryArn'));
    });
  });

  describe('use as a CDK repository', () => {
    const pullActions = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

    it('grants pulls on the repository and no key permission when useKmsKey is true (ECR decrypts through its own grant)', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack, { useKmsKey: true });
      const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      // WHEN
      repo.grantPull(role);
      // THEN
      templateOf(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            { Action: pullActions, Effect: 'Allow', Resource: getAtt(stack, 'RepositoryArn') },
            { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          ],
        },
      });
    });

    it('grants no key permission when useKmsKey is not set', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      // WHEN
      repo.grantPull(role);
      // THEN
      const policy = JSON.stringify(templateOf(stack).findResources('AWS::IAM::Policy'));
      expect(policy).toContain('ecr:BatchGetImage');
      expect(policy).not.toContain('kms:');
    });

    it('grants pushes and no key permission when granting pull and push on a KMS repository', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack, { useKmsKey: true });
      const role = new iam.Role(stack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      // WHEN
      repo.grantPullPush(role);
      // THEN
      const policy = JSON.stringify(templateOf(stack).findResources('AWS::IAM::Policy'));
      for (const action of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', 'ecr:BatchGetImage']) expect(policy).toContain(action);
      expect(policy).not.toContain('kms:');
    });

    it('runs as an ECS container image through ContainerImage.fromEcrRepository', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      // WHEN
      task.addContainer('App', { image: ecs.ContainerImage.fromEcrRepository(repo.repository, 'v1') });
      // THEN
      const template = templateOf(stack);
      const image = JSON.stringify(template.findResources('AWS::ECS::TaskDefinition'));
      expect(image).toContain(logicalIdOf(template, 'Custom::OrgEcrRepository'));
      expect(image).toContain(':v1');
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([{ Action: pullActions, Effect: 'Allow', Resource: getAtt(stack, 'RepositoryArn') }]) },
      });
    });

    it('runs as a Lambda image through DockerImageCode.fromEcr', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN
      new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo.repository, { tagOrDigest: 'v1' }) });
      // THEN
      const template = templateOf(stack);
      const fn = JSON.stringify(template.findResources('AWS::Lambda::Function'));
      expect(fn).toContain('"PackageType":"Image"');
      expect(fn).toContain(logicalIdOf(template, 'Custom::OrgEcrRepository'));
      expect(fn).toContain(':v1');
    });
  });

  describe('validation', () => {
    it.each<[string, Partial<OrgEcrRepositoryProps>, RegExp]>([
      ['applicationName', { applicationName: '' }, /`applicationName` is required.*got: ""/],
      ['applicationName', { applicationName: '---' }, /`applicationName` must contain at least one letter or digit.*got: "---"/],
      ['repositoryBaseName', { repositoryBaseName: '_'.repeat(300) }, /`repositoryBaseName` must contain at least one letter or digit/],
      ['useKmsKey', { useKmsKey: 'yes' as unknown as boolean }, /`useKmsKey` must be true or false; got: "yes"/],
      ['imagesRetained', { imagesRetained: 0 }, /`imagesRetained` must be a whole number from 1 to 10000; got: 0/],
      ['imagesRetained', { imagesRetained: 2.5 }, /`imagesRetained` must be a whole number from 1 to 10000; got: 2.5/],
      ['shareableWithAllEnvs', { shareableWithAllEnvs: 1 as unknown as boolean }, /`shareableWithAllEnvs` must be true or false; got: 1/],
      ['tags', { tags: { 'org-ecr:owner': 'me' } }, /`tags` key must not start with `org-ecr:`.*"org-ecr:owner"/],
      ['tags', { tags: { team: 'a|b' } }, /`tags.team` may hold only .*"a\|b"/],
      ['imageTagMutability', { imageTagMutability: 'FROZEN' as 'MUTABLE' }, /`imageTagMutability` must be one of IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE; got: "FROZEN"/],
      ['imageTagMutabilityExclusionFilters', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: ['a/b'] }, /`imageTagMutabilityExclusionFilters` must hold 1 to 5 filters.*"a\/b"/],
      ['imageTagMutabilityExclusionFilters', { imageTagMutabilityExclusionFilters: ['latest'] }, /`imageTagMutabilityExclusionFilters` applies only with `imageTagMutability`: IMMUTABLE_WITH_EXCLUSION/],
    ])('fails naming `%s` and the value when it is invalid', (_prop, props, message) => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenRepository(stack, props)).toThrow(message);
    });

    it('accepts a repositoryBaseName of 300 characters, as the handler does (names are cut with a hash)', () => {
      expect(() => givenRepository(givenStack(), { repositoryBaseName: 'x'.repeat(300) })).not.toThrow();
    });

    it("fails when a tag overrides the provider's organisation tag", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { mandatoryTags: { 'cost-center': 'platform' } });
      // WHEN / THEN
      expect(() => givenRepository(stack, { provider, tags: { 'cost-center': 'mine' } })).toThrow(/`tags.cost-center` cannot override the organisation tag "cost-center"/);
    });

    it('fails listing every problem at once, prefixed by the construct path', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenRepository(stack, { applicationName: '', imagesRetained: -1 })).toThrow(/^Test\/Orders: `applicationName`.*; `imagesRetained`/);
    });
  });

  describe('cdk-nag', () => {
    it('reports no AwsSolutions finding for a repository and its provider in one stack', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { provider: givenProvider(stack), useKmsKey: true });
      // THEN
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    });
  });
});
