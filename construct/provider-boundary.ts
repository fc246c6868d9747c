import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag';
import { OwnershipTag } from '../handler/src/contract';
import type { ProviderStatement } from './provider-policy';

/** The recommended boundary's name, the same in every account (`policy/org-ecr-provider-boundary`). */
export const PROVIDER_BOUNDARY_NAME = 'org-ecr-provider-boundary' as const;

/** Props of {@link OrgEcrProviderBoundary}. */
export interface OrgEcrProviderBoundaryProps {
  /** The organisation prefix of repository names and key aliases; may be a token. */
  readonly organizationPrefix: string;
  /**
   * The managed policy's name.
   *
   * @default 'org-ecr-provider-boundary'
   */
  readonly managedPolicyName?: string;
}

/**
 * The recommended permissions boundary of the provider role: the most the role can ever do,
 * whatever its own policy says. ECR on organisation repositories (and, after an `ORG_PREFIX`
 * change, on repositories carrying the provider's ownership tag), KMS on keys and aliases,
 * SSM parameters named `ECR_*`, and CloudWatch Logs; nothing else (no IAM, no STS, no other
 * service). Its own policy narrows this further (conditions on tags and aliases);
 * the boundary is what a platform team can hold the provider to without reading that policy.
 *
 * @example
 * const boundary = new OrgEcrProviderBoundary(stack, 'Boundary', { organizationPrefix: 'acme' });
 * new OrgEcrRepositoryProvider(stack, 'Provider', { organizationPrefix: 'acme', permissionsBoundary: boundary.managedPolicy });
 */
export class OrgEcrProviderBoundary extends Construct {
  /** The boundary policy. */
  public readonly managedPolicy: iam.ManagedPolicy;

  /**
   * @param scope the stack of the account the provider runs in.
   * @param id the construct id.
   * @param props the organisation prefix the boundary is scoped to.
   */
  constructor(scope: Construct, id: string, props: OrgEcrProviderBoundaryProps) {
    super(scope, id);
    const statements = boundaryStatements(this, props.organizationPrefix);
    this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName ?? PROVIDER_BOUNDARY_NAME,
      description: 'Permissions boundary of the Org::ECR::Repository provider role: organisation ECR repositories, KMS keys and aliases, ECR_* parameters and logs only',
      statements: statements.map(({ statement }) => statement),
    });
    acknowledgeWildcardResources(this.managedPolicy, statements);
    // A boundary caps by service and resource; the role's own policy names the actions.
    for (const { statement, why } of statements) {
      for (const action of statement.actions.filter((name) => name.endsWith(':*'))) {
        Validations.of(this.managedPolicy).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${statement.sid}: a permissions boundary caps the role by service and resource; the provider's own policy names each action. ${why}` });
      }
    }
  }
}

function boundaryStatements(scope: Construct, prefix: string): ProviderStatement[] {
  const stack = Stack.of(scope);
  const statement = (sid: string, why: string, props: Omit<iam.PolicyStatementProps, 'sid' | 'effect'>): ProviderStatement => ({
    statement: new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, ...props }),
    why,
  });
  return [
    statement('EcrOrganisationRepositories', 'Every ECR action, on organisation repositories only ({prefix}-*, any Region of this account).', {
      actions: ['ecr:*'],
      resources: [stack.formatArn({ service: 'ecr', region: '*', resource: 'repository', resourceName: `${prefix}-*` })],
    }),
    statement('KmsKeysAndOrganisationAliases', 'KMS keys have no name before they exist and are found through their alias; the provider\'s own policy limits key actions to tagged, aliased keys. Aliases of the organisation only.', {
      actions: ['kms:*'],
      resources: [
        stack.formatArn({ service: 'kms', region: '*', resource: 'key', resourceName: '*' }),
        stack.formatArn({ service: 'kms', region: '*', resource: 'alias', resourceName: `${prefix}-*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      ],
    }),
    statement('EcrOwnedRepositoriesUnderEarlierNames', 'Repositories the provider made under an earlier organisation prefix, which it still updates and deletes: only repositories carrying its ownership tag naming a stack of this account (a repository being created carries no tags yet, so this never allows creating one).', {
      actions: ['ecr:*'],
      resources: [stack.formatArn({ service: 'ecr', region: '*', resource: 'repository', resourceName: '*' })],
      conditions: { StringLike: { [`aws:ResourceTag/${OwnershipTag.StackId}`]: stack.formatArn({ service: 'cloudformation', region: '*', resource: 'stack', resourceName: '*' }) } },
    }),
    statement('KmsAliasesOfOwnedKeys', 'Aliases the provider made under an earlier organisation prefix: an alias carries no tags, so the alias side of alias calls is any alias; KMS authorises each alias call on the key it names too, which the provider\'s own policy allows on its own keys only.', {
      actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      resources: [stack.formatArn({ service: 'kms', region: '*', resource: 'alias', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
    }),
    statement('KmsCreateKey', 'kms:CreateKey has no resource before the key exists, so IAM only accepts "*".', { actions: ['kms:CreateKey'], resources: ['*'] }),
    statement('KmsListKeys', 'kms:ListKeys has no resource, so IAM only accepts "*"; the provider lists keys only to find one a CreateKey made without its answer arriving (a lost answer, or an attempt the SDK retried).', { actions: ['kms:ListKeys'], resources: ['*'] }),
    statement('SsmRepositoryParameters', 'The repository parameters are named ECR_* under any path prefix the platform chooses.', {
      actions: ['ssm:*'],
      resources: [stack.formatArn({ service: 'ssm', region: '*', resource: 'parameter', resourceName: '*ECR_*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
    }),
    statement('CloudFormationReadOwnStacks', 'The provider may read the stacks of this account (their tags) that own its resources.', {
      actions: ['cloudformation:DescribeStacks'],
      resources: [stack.formatArn({ service: 'cloudformation', region: '*', resource: 'stack', resourceName: '*' })],
    }),
    statement('SsmDescribeParameters', 'ssm:DescribeParameters takes no resource, so IAM only accepts "*"; it reads parameter metadata only.', { actions: ['ssm:DescribeParameters'], resources: ['*'] }),
    statement('LogsOwnLogGroups', 'The provider writes its logs to a log group of this account.', {
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [stack.formatArn({ service: 'logs', region: '*', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }),
  ];
}
