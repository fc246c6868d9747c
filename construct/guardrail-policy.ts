/**
 * The organisation guardrail's policies: a service control policy (SCP) for the principals of
 * the organisation's accounts and a resource control policy (RCP) for the organisation's ECR
 * repositories and KMS keys, whoever calls them. Every statement is a Deny with the provider
 * role (matched by its path in every account), the break-glass principals and, where a
 * deployment must do it, the provider's deployer exempt. The statements and their reasons are
 * documented in README "Guardrails".
 */
import { Aws, Fn, Token } from 'aws-cdk-lib';
import { OwnershipTag, PROVIDER_FUNCTION_TAG, PROVIDER_ROLE_PATH } from '../handler/src/contract';

/** Roles under this path are the provider's and break-glass roles: only the deployer may write them. */
export const GUARDED_ROLE_PATH = '/org-ecr/' as const;
/** The path of the documented break-glass role(s). */
export const BREAK_GLASS_ROLE_PATH = '/org-ecr/break-glass/' as const;

/** ECR writes on an existing organisation repository (its tags, policy, lifecycle, scanning, mutability, existence). */
export const GUARDED_REPOSITORY_ACTIONS = [
  'ecr:DeleteRepository',
  'ecr:TagResource',
  'ecr:UntagResource',
  'ecr:SetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
] as const;

/** Registry settings through which ECR itself creates repositories (templates, pull-through cache, replication). */
export const IMPLICIT_REPOSITORY_CREATION_ACTIONS = [
  'ecr:CreateRepositoryCreationTemplate',
  'ecr:UpdateRepositoryCreationTemplate',
  'ecr:CreatePullThroughCacheRule',
  'ecr:UpdatePullThroughCacheRule',
  'ecr:PutReplicationConfiguration',
  'ecr:PutRegistryPolicy',
] as const;

/** Every call that can write a tag key, by service. */
export const TAG_WRITE_ACTIONS = [
  'ecr:CreateRepository',
  'ecr:TagResource',
  'ecr:UntagResource',
  'kms:CreateKey',
  'kms:TagResource',
  'kms:UntagResource',
  'ssm:PutParameter',
  'ssm:AddTagsToResource',
  'ssm:RemoveTagsFromResource',
  'lambda:CreateFunction',
  'lambda:TagResource',
  'lambda:UntagResource',
  'tag:TagResources',
  'tag:UntagResources',
] as const;

/**
 * The calls among {@link TAG_WRITE_ACTIONS} that add tags. IAM matches the tag key of
 * `aws:RequestTag/...` and `aws:ResourceTag/...` ignoring case, while `aws:TagKeys` compares
 * exact strings: a tag `ORG-ECR:Stack-Id` escapes a `org-ecr:*` pattern yet satisfies the
 * provider's `aws:ResourceTag/org-ecr:stack-id` conditions, so these are also denied by
 * the request tag itself.
 */
export const TAG_ADD_ACTIONS = TAG_WRITE_ACTIONS.filter((action) => !/:Untag/.test(action));

/** Administration of a key the provider owns (its policy, state, rotation, grants). */
export const GUARDED_KEY_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:UpdateKeyDescription',
  'kms:RevokeGrant',
] as const;

export const GUARDED_ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'] as const;

/** Writes to the provider and break-glass roles, and handing them to a service. */
export const GUARDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:PassRole',
] as const;

/** Changes to the provider function's code, configuration and invokers. */
export const GUARDED_FUNCTION_ACTIONS = [
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:DeleteFunction',
  'lambda:AddPermission',
  'lambda:RemovePermission',
] as const;

/** What the guardrail protects and whom it exempts. Lists may be CloudFormation list tokens. */
export interface GuardrailPolicyInput {
  /** The organisation prefix of repository names and key aliases; may be a token. */
  readonly organizationPrefix: string;
  /** ARN patterns of the provider role in every account. */
  readonly providerPrincipalArns: string[];
  /** ARN patterns of the break-glass principals. */
  readonly breakGlassPrincipalArns: string[];
  /** ARN patterns of the principals that deploy the provider (the StackSet's execution role). */
  readonly deployerPrincipalArns: string[];
  /** ARN patterns of repositories anyone may still create (e.g. the CDK bootstrap's `repository/cdk-*`). */
  readonly exemptRepositoryArns: string[];
}

/** The default ARN pattern of the provider role in every account (its path, see contract.ts). */
export function defaultProviderPrincipalArns(): string[] {
  return [`arn:${Aws.PARTITION}:iam::*:role${PROVIDER_ROLE_PATH}*`];
}

export function defaultBreakGlassPrincipalArns(): string[] {
  return [`arn:${Aws.PARTITION}:iam::*:role${BREAK_GLASS_ROLE_PATH}*`];
}

/** The execution role of service-managed StackSets, which deploys the provider (templates/stackset.yaml). */
export function defaultDeployerPrincipalArns(): string[] {
  return [`arn:${Aws.PARTITION}:iam::*:role/stacksets-exec-*`];
}

type Statement = Record<string, unknown>;

/** Lists joined, also when some are CloudFormation list tokens. */
function concat(...lists: string[][]): string[] {
  if (!lists.some((list) => Token.isUnresolved(list))) return lists.flat();
  return Fn.split(',', Fn.join(',', lists.map((list) => Fn.join(',', list))));
}

/** The ARN patterns of repositories named by `names` (`cdk-*`), in every account and Region. */
export function repositoryArnPatterns(names: readonly string[]): string[] {
  return names.map((name) => `arn:${Aws.PARTITION}:ecr:*:*:repository/${name}`);
}

function pieces(input: GuardrailPolicyInput) {
  const p = Aws.PARTITION;
  const exempt = (...lists: string[][]) => ({ ArnNotLike: { 'aws:PrincipalArn': concat(...lists) } });
  const core = exempt(input.providerPrincipalArns, input.breakGlassPrincipalArns);
  const withDeployer = exempt(input.providerPrincipalArns, input.breakGlassPrincipalArns, input.deployerPrincipalArns);
  const adminsOnly = exempt(input.breakGlassPrincipalArns, input.deployerPrincipalArns);
  const repositories = `arn:${p}:ecr:*:*:repository/${input.organizationPrefix}-*`;
  const ownedKey = { Null: { [`aws:ResourceTag/${OwnershipTag.StackId}`]: 'false' } };
  return { p, core, withDeployer, adminsOnly, repositories, ownedKey };
}

/** The SCP: what no principal of the organisation's accounts may do outside the provider. */
export function guardrailServiceControlPolicy(input: GuardrailPolicyInput): object {
  const { p, core, withDeployer, adminsOnly, repositories, ownedKey } = pieces(input);
  const statements: Statement[] = [
    {
      Sid: 'DenyRepositoryCreationOutsideProvider',
      Effect: 'Deny',
      Action: 'ecr:CreateRepository',
      NotResource: input.exemptRepositoryArns,
      Condition: core,
    },
    { Sid: 'DenyImplicitRepositoryCreation', Effect: 'Deny', Action: [...IMPLICIT_REPOSITORY_CREATION_ACTIONS], Resource: '*', Condition: core },
    { Sid: 'DenyChangesToOrganisationRepositories', Effect: 'Deny', Action: [...GUARDED_REPOSITORY_ACTIONS], Resource: repositories, Condition: core },
    {
      Sid: 'DenyOwnershipTagWrites',
      Effect: 'Deny',
      Action: [...TAG_WRITE_ACTIONS],
      Resource: '*',
      Condition: { ...withDeployer, 'ForAnyValue:StringLike': { 'aws:TagKeys': 'org-ecr:*' } },
    },
    {
      Sid: 'DenyOwnershipTagWritesInAnyCase',
      Effect: 'Deny',
      Action: [...TAG_ADD_ACTIONS],
      Resource: '*',
      Condition: { ...withDeployer, Null: { [`aws:RequestTag/${OwnershipTag.StackId}`]: 'false' } },
    },
    { Sid: 'DenyChangesToOrganisationKeys', Effect: 'Deny', Action: [...GUARDED_KEY_ACTIONS], Resource: `arn:${p}:kms:*:*:key/*`, Condition: { ...core, ...ownedKey } },
    { Sid: 'DenyChangesToOrganisationAliases', Effect: 'Deny', Action: [...GUARDED_ALIAS_ACTIONS], Resource: `arn:${p}:kms:*:*:alias/${input.organizationPrefix}-*`, Condition: core },
    { Sid: 'DenyChangesToProviderRoles', Effect: 'Deny', Action: [...GUARDED_ROLE_ACTIONS], Resource: `arn:${p}:iam::*:role${GUARDED_ROLE_PATH}*`, Condition: adminsOnly },
    {
      Sid: 'DenyChangesToProviderFunction',
      Effect: 'Deny',
      Action: [...GUARDED_FUNCTION_ACTIONS],
      Resource: `arn:${p}:lambda:*:*:function:*`,
      Condition: { ...adminsOnly, StringEquals: { [`aws:ResourceTag/${PROVIDER_FUNCTION_TAG.key}`]: PROVIDER_FUNCTION_TAG.value } },
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The RCP: the same protection of repositories and keys, enforced on the resources, so it also
 * binds principals of other accounts (inside or outside the organisation) that a repository
 * policy or key policy lets in, which no SCP of ours can see. AWS services acting as
 * themselves (service principals) are left alone.
 */
export function guardrailResourceControlPolicy(input: GuardrailPolicyInput): object {
  const { p, core, repositories, ownedKey } = pieces(input);
  const notService = { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyChangesToOrganisationRepositories', Effect: 'Deny', Principal: '*', Action: [...GUARDED_REPOSITORY_ACTIONS], Resource: repositories, Condition: { ...core, ...notService } },
      { Sid: 'DenyChangesToOrganisationKeys', Effect: 'Deny', Principal: '*', Action: [...GUARDED_KEY_ACTIONS], Resource: `arn:${p}:kms:*:*:key/*`, Condition: { ...core, ...ownedKey, ...notService } },
    ],
  };
}
