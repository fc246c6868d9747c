import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OrgEcrRepository } from '../../../construct/repository';
import type { OrgEcrRepositoryProps } from '../../../construct/repository-props';
import { givenProvider, givenStack, logicalIdOf, templateOf } from './given';

const REQUIRED = { applicationName: 'shop', repositoryBaseName: 'orders-api' } as const;
const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

function givenRepository(stack: Stack, props: Partial<OrgEcrRepositoryProps> = {}): OrgEcrRepository {
  return new OrgEcrRepository(stack, 'Orders', { ...REQUIRED, ...props });
}

const getAtt = (stack: Stack, attribute: string) => ({ 'Fn::GetAtt': [logicalIdOf(templateOf(stack), 'Custom::OrgEcrRepository'), attribute] });
const statementsOf = (stack: Stack) =>
  Object.values(templateOf(stack).findResources('AWS::IAM::Policy')).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement);

describe('OrgEcrRepository as an ecr.IRepository', () => {
  describe('no silent no-ops', () => {
    it.each<[string, (repo: OrgEcrRepository) => ecr.IRepository]>([
      ['the construct', (repo) => repo],
      ['its repository', (repo) => repo.repository],
    ])('fails saying to use the grants and the sharing property when addToResourcePolicy is called on %s', (_name, target) => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      const statement = new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], principals: [new iam.AccountPrincipal('222222222222')] });
      // WHEN / THEN
      expect(() => target(repo).addToResourcePolicy(statement)).toThrow(
        /Test\/Orders: addToResourcePolicy is not supported .*the repository policy is the provider's.*`shareableWithAllEnvs: true` for the environment accounts/,
      );
    });

    it('fails pointing at imagesRetained when a lifecycle rule is added', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN / THEN
      expect(() => repo.addLifecycleRule({ maxImageCount: 5 })).toThrow(/addLifecycleRule is not supported .*Set `imagesRetained` to keep the N most recently pushed images/);
    });

    it('fails saying to grant to a role when a service principal other than Lambda is granted', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN / THEN
      expect(() => repo.grantPull(new iam.ServicePrincipal('codebuild.amazonaws.com'))).toThrow(/service principal codebuild.amazonaws.com: .*Grant to the IAM role the service uses instead/);
    });

    it('fails when the grantee takes no IAM policy (an account principal of this account)', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN / THEN
      expect(() => repo.grantPull(new iam.AccountRootPrincipal())).toThrow(/it takes no IAM policy, and the repository policy is the provider's/);
    });
  });

  describe('what works', () => {
    it('is its own repository', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      const repo = givenRepository(stack);
      // THEN
      expect(repo.repository).toBe(repo);
    });

    it('builds image URIs from the returned RepositoryUri', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      const uri = getAtt(stack, 'RepositoryUri');
      // WHEN / THEN
      expect(stack.resolve(repo.repositoryUri)).toEqual(uri);
      expect(stack.resolve(repo.repositoryUriForTag('v1'))).toEqual({ 'Fn::Join': ['', [uri, ':v1']] });
      expect(stack.resolve(repo.repositoryUriForDigest('sha256:abc'))).toEqual({ 'Fn::Join': ['', [uri, '@sha256:abc']] });
      expect(stack.resolve(repo.repositoryUriForTagOrDigest('sha256:abc'))).toEqual({ 'Fn::Join': ['', [uri, '@sha256:abc']] });
      expect(stack.resolve(repo.registryUri)).toEqual({ 'Fn::Select': [0, { 'Fn::Split': ['/', uri] }] });
    });

    it('offers the customer key as encryptionKey when useKmsKey is true, and none without', () => {
      // GIVEN
      const stack = givenStack();
      const withKey = givenRepository(stack, { useKmsKey: true });
      const withoutKey = givenRepository(givenStack('Other'));
      // WHEN / THEN
      expect(stack.resolve(withKey.encryptionKey?.keyArn)).toEqual(getAtt(stack, 'KmsKeyArn'));
      expect(withoutKey.encryptionKey).toBeUndefined();
    });

    it('fails naming kmsKeyArn when encryptionKey is read and useKmsKey is a token', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack, { useKmsKey: Token.asAny(new CfnParameter(stack, 'Kms').valueAsString) as unknown as boolean });
      // WHEN / THEN
      expect(() => repo.encryptionKey).toThrow(/`encryptionKey` is unknown at synth because `useKmsKey` is a token; use `kmsKeyArn`/);
    });

    it('grants pushes, reads and custom actions to a role of this account on its own policy', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      // WHEN
      repo.grantPush(role);
      repo.grantRead(role);
      repo.grant(role, 'ecr:ListImages');
      // THEN
      const statements = JSON.stringify(statementsOf(stack));
      for (const action of ['ecr:PutImage', 'ecr:UploadLayerPart', 'ecr:DescribeImages', 'ecr:DescribeRepositories', 'ecr:ListImages', 'ecr:GetAuthorizationToken']) {
        expect(statements).toContain(action);
      }
    });

    it('grants pulls to the ECS task execution role, the role that pulls, through ContainerImage.fromEcrRepository', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack, { useKmsKey: true });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      // WHEN
      task.addContainer('App', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1') });
      // THEN
      const template = templateOf(stack);
      const executionRole = stack.resolve((task.executionRole as iam.Role).roleName);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [executionRole],
        PolicyDocument: { Statement: Match.arrayWith([{ Action: PULL, Effect: 'Allow', Resource: getAtt(stack, 'RepositoryArn') }]) },
      });
    });

    it('lets a Lambda function of this account use an image through DockerImageCode.fromEcr, with no statement of its own', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN
      new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
      // THEN
      const template = templateOf(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', Code: { ImageUri: { 'Fn::Join': ['', [getAtt(stack, 'RepositoryUri'), ':v1']] } } });
      expect(JSON.stringify(statementsOf(stack))).not.toContain('ecr:GetDownloadUrlForLayer');
      Annotations.fromStack(stack).hasInfo('/Test/Orders', Match.stringLikeRegexp('Lambda pulls function images through the repository policy statement'));
    });

    it('defines event rules on its name like any repository', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN
      repo.onImageScanCompleted('Scanned');
      // THEN
      templateOf(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.ecr'], detail: { 'repository-name': [getAtt(stack, 'RepositoryName')] } },
      });
    });
  });

  describe('other accounts', () => {
    const ENV_ACCOUNT = '222222222222';

    function givenCrossAccountRole(app: App): iam.Role {
      const other = new Stack(app, 'Env', { env: { account: ENV_ACCOUNT, region: 'eu-west-1' } });
      return new iam.Role(other, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), roleName: 'puller' });
    }

    it("grants an environment account's role pulls on its own policy when the repository is shared", () => {
      // GIVEN
      const app = new App();
      const stack = givenStack('Owner', app);
      const provider = givenProvider(stack, { environmentAccounts: { dev: '111111111111', prod: ENV_ACCOUNT } });
      const repo = givenRepository(stack, { provider, shareableWithAllEnvs: true, repositoryBaseName: 'orders' });
      const role = givenCrossAccountRole(app);
      // WHEN
      const grant = repo.grantPull(role);
      // THEN
      expect(grant.success).toBe(true);
      expect(JSON.stringify(stack.resolve(grant.principalStatements.map((statement) => statement.toStatementJson())))).toContain('ecr:BatchGetImage');
    });

    it.each<[string, Partial<OrgEcrRepositoryProps>, (repo: OrgEcrRepository, role: iam.Role) => void, RegExp]>([
      ['the repository is not shared', {}, (repo, role) => repo.grantPull(role), /set `shareableWithAllEnvs: true` so the provider lets the environment accounts pull/],
      ['pushing', { shareableWithAllEnvs: true }, (repo, role) => repo.grantPush(role), /the organisation shares repositories read-only .*push from the owning account/],
    ])('fails for a role of another account when %s', (_case, props, act, message) => {
      // GIVEN
      const app = new App();
      const stack = givenStack('Owner', app);
      const repo = givenRepository(stack, props);
      const role = givenCrossAccountRole(app);
      // WHEN / THEN
      expect(() => act(repo, role)).toThrow(message);
    });

    it("fails for an account that is not one of the provider's environment accounts", () => {
      // GIVEN
      const app = new App();
      const stack = givenStack('Owner', app);
      const provider = givenProvider(stack, { environmentAccounts: { dev: '111111111111' } });
      const repo = givenRepository(stack, { provider, shareableWithAllEnvs: true });
      // WHEN / THEN
      expect(() => repo.grantPull(givenCrossAccountRole(app))).toThrow(/account 222222222222: it is not one of the provider's environment accounts \(111111111111\)/);
    });
  });
});
