/**
 * The grants of OrgEcrRepository, evaluated with the IAM policy simulator as AWS would
 * authorise each call of a pull: the grantee's policies as synthesized, the repository policy
 * the provider writes. KMS is not in these requests on purpose: ECR decrypts and encrypts
 * layers itself, through the grants it creates on the key, so a puller's or pusher's own
 * policies never meet a KMS call (the tests assert no grant adds one, whatever `useKmsKey` is).
 */
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { repositoryPolicy } from '../../../handler/src/core/desired';
import { OrgEcrRepository } from '../../../construct/repository';
import type { OrgEcrRepositoryProps } from '../../../construct/repository-props';
import { resolveTemplate } from '../../helpers/cfn-resolve';
import { type PolicyDocument, simulate } from '../../helpers/iam-simulator';
import type { Template } from '../../helpers/templates';
import { ACCOUNT, givenProvider, givenStack, logicalIdOf, REGION, templateOf } from './given';

const ENV_ACCOUNT = '222222222222';
const NAME = 'acme-shop-orders-api';
const REPOSITORY_ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${NAME}`;
const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
/** The statement Lambda adds itself when a function of the account is deployed with an image of the repository. */
const LAMBDA_STATEMENT = { Sid: 'LambdaECRImageRetrievalPolicy', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };

function givenRepository(stack: Stack, props: Partial<OrgEcrRepositoryProps> = {}): OrgEcrRepository {
  return new OrgEcrRepository(stack, 'Orders', { applicationName: 'shop', repositoryBaseName: 'orders-api', ...props });
}

/** A value with every cross-account reference to the repository's ARN (`Fn::GetStackOutput`) made the ARN itself. */
function withRepositoryArn(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withRepositoryArn);
  if (typeof node !== 'object' || node === null) return node;
  if ('Fn::GetStackOutput' in node) return REPOSITORY_ARN;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRepositoryArn(value)]));
}

/** Every IAM policy attached to a role of the stack, as deployed (the repository's ARN is the real one). */
function policiesOf(stack: Stack, roleLogicalId: string): PolicyDocument[] {
  const template = templateOf(stack).toJSON() as Template;
  const repository = Object.keys(template.Resources).find((id) => template.Resources[id]?.Type === 'Custom::OrgEcrRepository');
  // Every resource stays (so a Ref to it resolves), but only the policies keep their properties.
  const policies = Object.fromEntries(
    Object.entries(template.Resources).map(([id, resource]) => [id, resource.Type === 'AWS::IAM::Policy' ? resource : { Type: resource.Type, Properties: {} }]),
  );
  const resolved = resolveTemplate(withRepositoryArn({ Parameters: template.Parameters, Conditions: template.Conditions, Resources: policies }) as Template, {
    account: stack.account,
    region: stack.region,
    attributes: repository === undefined ? {} : { [`${repository}.RepositoryArn`]: REPOSITORY_ARN, [`${repository}.KmsKeyArn`]: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k1` },
  });
  const roleName = `${roleLogicalId}-physical`;
  return Object.values(resolved.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy' && (resource.Properties?.Roles as string[]).includes(roleName))
    .map((resource) => resource.Properties?.PolicyDocument as PolicyDocument);
}

/** The logical id of the role a task definition runs ECS's agent with (it pulls the images). */
function executionRoleOf(stack: Stack): string {
  const [task] = Object.values(templateOf(stack).findResources('AWS::ECS::TaskDefinition')) as Array<{ Properties: { ExecutionRoleArn: { 'Fn::GetAtt': [string, string] } } }>;
  return task!.Properties.ExecutionRoleArn['Fn::GetAtt'][0];
}

const roleArn = (account: string, logicalId: string) => `arn:aws:iam::${account}:role/${logicalId}-physical`;

describe('OrgEcrRepository grants, evaluated with the IAM simulator', () => {
  describe('an ECS service of the owning account', () => {
    it.each<[string, Partial<OrgEcrRepositoryProps>]>([
      ['AES256', {}],
      ['a customer key', { useKmsKey: true }],
    ])('lets the task execution role, the role ECS pulls with, pull from a repository with %s', async (_case, props) => {
      // GIVEN a task whose image is the repository's
      const stack = givenStack();
      const repo = givenRepository(stack, props);
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('App', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1') });
      const executionRole = executionRoleOf(stack);
      const identityPolicies = policiesOf(stack, executionRole);
      // WHEN the execution role logs in and pulls (no repository policy: same account)
      const principal = roleArn(ACCOUNT, executionRole);
      const login = await simulate({ principal, action: 'ecr:GetAuthorizationToken', resource: '*' }, { identityPolicies });
      const pulls = await Promise.all(PULL.map((action) => simulate({ principal, action, resource: REPOSITORY_ARN }, { identityPolicies })));
      const push = await simulate({ principal, action: 'ecr:PutImage', resource: REPOSITORY_ARN }, { identityPolicies });
      // THEN login and every pull call are allowed, a push is not, and no KMS permission was added
      expect(login.explanation).toBe('');
      for (const pull of pulls) expect(pull.explanation).toBe('');
      expect(push.result).toBe('ImplicitlyDenied');
      expect(JSON.stringify(identityPolicies)).not.toContain('kms:');
    });
  });

  describe('a role of an environment account', () => {
    it('pulls when the repository is shared: its own policy from grantPull, the repository policy from the provider', async () => {
      // GIVEN a role in the environment account, granted pulls
      const app = new App();
      const stack = givenStack('Owner', app);
      const provider = givenProvider(stack, { environmentAccounts: { dev: ACCOUNT, prod: ENV_ACCOUNT } });
      const repo = givenRepository(stack, { provider, shareableWithAllEnvs: true, useKmsKey: true });
      const envStack = new Stack(app, 'Prod', { env: { account: ENV_ACCOUNT, region: REGION } });
      const role = new iam.Role(envStack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      repo.grantPull(role);
      const identityPolicies = policiesOf(envStack, logicalIdOf(templateOf(envStack), 'AWS::IAM::Role'));
      // AND the repository policy the provider writes for a shared repository
      const resourcePolicy = JSON.parse(repositoryPolicy({ partition: 'aws', account: ACCOUNT, region: REGION, urlSuffix: 'amazonaws.com' }, [ENV_ACCOUNT])) as PolicyDocument;
      const principal = roleArn(ENV_ACCOUNT, logicalIdOf(templateOf(envStack), 'AWS::IAM::Role'));
      // WHEN it pulls, with and without the provider's statement
      const shared = await Promise.all(PULL.map((action) => simulate({ principal, action, resource: REPOSITORY_ARN }, { identityPolicies, resourcePolicy })));
      const unshared = await simulate({ principal, action: 'ecr:BatchGetImage', resource: REPOSITORY_ARN }, { identityPolicies });
      // THEN each pull call is allowed only with the provider's statement, the reason the construct requires shareableWithAllEnvs
      for (const verdict of shared) expect(verdict.explanation).toBe('');
      expect(unshared.result).toBe('ImplicitlyDenied');
      expect(JSON.stringify(identityPolicies)).not.toContain('kms:');
    });
  });

  describe('Lambda', () => {
    it("pulls a function's image through the statement Lambda adds, with nothing granted by the construct", async () => {
      // GIVEN a function of the owning account whose code is an image of the repository
      const stack = givenStack();
      const repo = givenRepository(stack);
      new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
      const resourcePolicy = { Version: '2012-10-17', Statement: [LAMBDA_STATEMENT] };
      // WHEN Lambda fetches the image
      const verdicts = await Promise.all(
        LAMBDA_STATEMENT.Action.map((action) => simulate({ principal: 'lambda.amazonaws.com', action, resource: REPOSITORY_ARN }, { resourcePolicy })),
      );
      const withoutStatement = await simulate({ principal: 'lambda.amazonaws.com', action: 'ecr:BatchGetImage', resource: REPOSITORY_ARN }, {});
      // THEN the statement is what allows it
      for (const verdict of verdicts) expect(verdict.explanation).toBe('');
      expect(withoutStatement.result).toBe('ImplicitlyDenied');
    });
  });

  describe('a token useKmsKey', () => {
    it('grants exactly what a literal one grants: no statement depends on the key', () => {
      // GIVEN the same grant on repositories whose useKmsKey is true, false and a parameter
      const statementsFor = (useKmsKey: boolean | undefined) => {
        const stack = givenStack();
        const repo = givenRepository(stack, { useKmsKey: useKmsKey ?? (Token.asAny(new CfnParameter(stack, 'Kms').valueAsString) as unknown as boolean) });
        const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
        repo.grantPullPush(role);
        return JSON.stringify(policiesOf(stack, logicalIdOf(templateOf(stack), 'AWS::IAM::Role')));
      };
      // THEN the statements are the same
      expect(statementsFor(undefined)).toBe(statementsFor(true));
      expect(statementsFor(undefined)).toBe(statementsFor(false));
    });
  });
});
