/**
 * The provider role's permissions: one statement per need, each with the reason it exists.
 * Scoping, from narrowest available to widest:
 * - ECR: repositories named `{prefix}-*` (the only names the provider can produce); besides,
 *   every call but CreateRepository on repositories of any name carrying the provider ownership
 *   tag (those it made under an earlier `ORG_PREFIX`, which it still updates and deletes).
 * - KMS keys: each key's own policy names the provider role (effective at once). In IAM, only
 *   keys carrying the provider's ownership tag `org-ecr:stack-id` naming a CloudFormation
 *   stack of this account and Region AND an organisation alias (ABAC); ECR's grants
 *   additionally only through ECR in this Region and only for AWS resources.
 * - KMS aliases: any name on the alias side (an alias carries no tags, so its owner is the
 *   owner of the key it names); KMS also authorises every alias call on that key, which only
 *   the provider's own keys allow. Keys found through an organisation alias are only read.
 * - SSM: parameters `ECR_*` under the configured path prefix; deleting, anywhere, only parameters
 *   tagged as the provider's (this resource's under an earlier prefix), found by listing by tag.
 * - CloudFormation: DescribeStacks (read-only) on the stacks of this account and Region.
 * The one `*` resource is `kms:CreateKey`, which has no resource to name before the key
 * exists; it is allowed only when the request tags the new key as ours.
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { OwnershipTag, PROVIDER_KEY_ACTIONS } from '../handler/src/contract';

/** A statement and the reason it exists (also the reason given to cdk-nag for its wildcard). */
export interface ProviderStatement {
  readonly statement: iam.PolicyStatement;
  readonly why: string;
}

export interface ProviderPolicyInput {
  /** The organisation prefix; may be a token. */
  readonly organizationPrefix: string;
  /** `''` or an SSM path such as `/platform/ecr`; may be a token. */
  readonly parameterPrefix: string;
  /** The provider's own log group. */
  readonly logGroupArn: string;
}

/** ECR calls the provider makes, all on one repository at a time. */
export const ECR_ACTIONS = [
  'ecr:CreateRepository',
  'ecr:DescribeRepositories',
  // `force: true` empties the repository: ECR deletes the images itself, so no ecr:BatchDeleteImage.
  'ecr:DeleteRepository',
  'ecr:TagResource',
  'ecr:UntagResource',
  'ecr:ListTagsForResource',
  'ecr:PutLifecyclePolicy',
  'ecr:GetLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy',
  'ecr:SetRepositoryPolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
] as const;

/**
 * KMS calls on keys the provider created: the same lifecycle actions each key's own policy
 * grants the provider role (contract.ts), so the IAM fallback can never drift from it. Alias
 * calls are authorised on the alias and on the key it points to; these are the key side.
 */
export const KMS_OWNED_KEY_ACTIONS = PROVIDER_KEY_ACTIONS;

export const KMS_ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'] as const;

export const SSM_ACTIONS = [
  'ssm:PutParameter',
  'ssm:GetParameters',
  'ssm:DeleteParameters',
  'ssm:AddTagsToResource',
  'ssm:RemoveTagsFromResource',
  'ssm:ListTagsForResource',
] as const;

/** Reading the requesting stack's tags. */
export const CLOUDFORMATION_ACTIONS = ['cloudformation:DescribeStacks'] as const;

export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** The statements of the provider's policy, in the order they appear in the template. */
export function providerStatements(scope: IConstruct, input: ProviderPolicyInput): ProviderStatement[] {
  const stack = Stack.of(scope);
  const prefix = input.organizationPrefix;
  const keys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  const ownStacks = stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: '*' });
  const organisationAlias = `alias/${prefix}-*`;
  // Ours: tagged by the provider AND named by an organisation alias. The tag alone is not
  // enough, since KmsTagKeysAtCreation can put a tag on any key; an alias on a key needs
  // CreateAlias on that key, which only the key's own policy (naming the provider) grants.
  const ownedKey = {
    StringLike: { [`aws:ResourceTag/${OwnershipTag.StackId}`]: ownStacks },
    'ForAnyValue:StringLike': { 'kms:ResourceAliases': organisationAlias },
  };
  const taggedAsOurs = { StringLike: { [`aws:RequestTag/${OwnershipTag.StackId}`]: ownStacks } };
  const viaEcr = { StringEquals: { 'kms:ViaService': `ecr.${stack.region}.${stack.urlSuffix}` } };

  const statement = (sid: string, why: string, props: Omit<iam.PolicyStatementProps, 'sid' | 'effect'>): ProviderStatement => ({
    statement: new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, ...props }),
    why,
  });

  return [
    statement(
      'EcrManageOrganisationRepositories',
      'The provider creates, configures, tags and deletes only repositories named {prefix}-{application}-{base}; the name pattern is the narrowest resource IAM can express before the repository exists.',
      {
        actions: [...ECR_ACTIONS],
        resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: `${prefix}-*` })],
      },
    ),
    statement(
      'EcrManageOwnedRepositoriesUnderEarlierNames',
      'After an ORG_PREFIX change the provider still updates, rolls back to and deletes the repositories it made under the earlier prefix; every repository action supports aws:ResourceTag, so those calls are allowed on any name, but only on a repository carrying the provider ownership tag naming a CloudFormation stack of this account and Region (ABAC; only the provider can write org-ecr:* tags under the organisation guardrail). Not CreateRepository: a new repository is always named with today\'s prefix.',
      {
        actions: ECR_ACTIONS.filter((action) => action !== 'ecr:CreateRepository'),
        resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' })],
        conditions: { StringLike: { [`aws:ResourceTag/${OwnershipTag.StackId}`]: ownStacks } },
      },
    ),
    statement(
      'KmsCreateOwnedKeys',
      'kms:CreateKey has no resource before the key exists, so IAM only accepts "*"; the request must tag the new key with the provider ownership tag naming a CloudFormation stack of this account and Region.',
      { actions: ['kms:CreateKey'], resources: ['*'], conditions: taggedAsOurs },
    ),
    statement(
      'KmsTagKeysAtCreation',
      'CreateKey with Tags also authorises kms:TagResource, on a key that has no tags yet; KMS requires this permission to cover every key of the account and Region, so it is limited to requests that set the provider ownership tag.',
      { actions: ['kms:TagResource'], resources: [keys], conditions: taggedAsOurs },
    ),
    statement(
      'KmsManageOwnedKeys',
      'Each key the provider creates names the provider role in its key policy, which takes effect at once; this statement is the fallback that survives a replaced provider role: lifecycle calls (policy, rotation, tags, alias target, scheduled deletion) only on keys carrying the provider ownership tag naming a stack of this account and Region and an organisation alias (ABAC); key ids are unknown before creation.',
      { actions: [...KMS_OWNED_KEY_ACTIONS], resources: [keys], conditions: ownedKey },
    ),
    statement(
      'KmsManageAliasesOfOwnedKeys',
      'Each customer key gets the alias alias/{repository name}, and a repository made under an earlier ORG_PREFIX keeps alias/{earlier name}, which the provider deletes with it and repairs on Update. An alias carries no tags and supports no condition key naming its owner, so the alias side is any alias of this account and Region; KMS authorises every alias call on the key as well (the key the alias names, and the new target), which only the provider\'s own keys allow it: their key policies name the provider role, and in IAM only KmsManageOwnedKeys covers alias calls on a key. An alias naming someone else\'s key can thus be neither deleted nor repointed.',
      { actions: [...KMS_ALIAS_ACTIONS], resources: [stack.formatArn({ service: 'kms', resource: 'alias', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })] },
    ),
    statement(
      'KmsDescribeKeysByOrganisationAlias',
      'When it converges, adopts or deletes a repository, the provider looks its key up by alias (DescribeKey with alias/{prefix}-...) to find its own key or report a conflict; the key behind the alias is unknown, so the request alias is the scope.',
      { actions: ['kms:DescribeKey'], resources: [keys], conditions: { StringLike: { 'kms:RequestAlias': organisationAlias } } },
    ),
    statement(
      'KmsReadKeysBehindOrganisationAliases',
      'To tell its own key from a conflicting one, the provider reads the tags of the key an alias/{prefix}-... points to, which may not carry its ownership tag yet; read-only, and only for keys that carry an organisation alias.',
      {
        actions: ['kms:DescribeKey', 'kms:ListResourceTags'],
        resources: [keys],
        conditions: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': organisationAlias } },
      },
    ),
    statement(
      'KmsListKeysToFindALostKey',
      'When a CreateKey answer is lost, the provider looks for the key it may have made by the request named in its description: KMS cannot search by tag, so it lists the keys (ListKeys has no resource, IAM only accepts "*") and describes them; each key the provider made lets it describe the key in its key policy, other keys it may not read are skipped.',
      { actions: ['kms:ListKeys'], resources: ['*'] },
    ),
    statement(
      'KmsEcrCreateGrantOnOwnedKeys',
      'ECR encrypts a repository with the customer key by creating grants with the caller\'s permissions (each key policy also allows this through ECR, for a key IAM cannot see the tags of yet); allowed only through ECR in this Region, only for AWS resources, and only on keys the provider created.',
      {
        actions: ['kms:CreateGrant'],
        resources: [keys],
        conditions: { ...ownedKey, ...viaEcr, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ),
    statement(
      'KmsEcrRetireGrantOnOwnedKeys',
      'When a KMS-encrypted repository is deleted, ECR retires its grants with the caller\'s permissions; allowed only through ECR in this Region and only on keys the provider created. (The kms:DescribeKey ECR also needs is in KmsManageOwnedKeys.)',
      { actions: ['kms:RetireGrant'], resources: [keys], conditions: { ...ownedKey, ...viaEcr } },
    ),
    statement(
      'SsmManageRepositoryParameters',
      'The provider writes, reads, tags and deletes the parameters ECR_{BASE}_arn, _name and _kms_key_arn under the configured path prefix; their names are only known per request.',
      { actions: [...SSM_ACTIONS], resources: parameterResources(stack, input.parameterPrefix) },
    ),
    statement(
      'SsmListOwnParametersByTag',
      'Update and Delete find this resource\'s parameters under names it no longer computes (an earlier parameter prefix or base-name spelling) with DescribeParameters filtered by the provider ownership tags; DescribeParameters supports no resource-level permission, so IAM only accepts "*"; it returns names and metadata, never values.',
      { actions: ['ssm:DescribeParameters'], resources: ['*'] },
    ),
    statement(
      'SsmDeleteOwnParametersUnderEarlierNames',
      'Those parameters may lie outside today\'s prefix (ORG_SSM_PARAMETER_PREFIX changed), so deleting them is allowed on any parameter name, but only on parameters carrying the provider ownership tag naming a CloudFormation stack of this account and Region (ABAC).',
      {
        actions: ['ssm:DeleteParameters'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: '*' })],
        conditions: { StringLike: { [`aws:ResourceTag/${OwnershipTag.StackId}`]: ownStacks } },
      },
    ),
    statement(
      'CloudFormationReadStackTags',
      'Create and Update copy the tags of the stack a request comes from onto its repository, key and parameters, as CloudFormation does for native resources, with DescribeStacks on the request\'s StackId; read-only, and only stacks of this account and Region (the provider serves every stack there).',
      { actions: [...CLOUDFORMATION_ACTIONS], resources: [stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: '*/*' })] },
    ),
    statement('LogsWriteOwnLogGroup', 'The function writes its structured logs to its own log group only.', {
      actions: [...LOG_ACTIONS],
      resources: [input.logGroupArn],
    }),
  ];
}

/**
 * Parameter ARNs for `ECR_*` under the prefix. A literal prefix is normalised like the
 * handler does (`/platform/ecr` and `/platform/ecr/` both give `parameter/platform/ecr/ECR_*`).
 * A token prefix cannot be normalised at synth, so both spellings are listed: one matches,
 * the other names parameters the provider never writes.
 */
function parameterResources(stack: Stack, parameterPrefix: string): string[] {
  const arn = (path: string) => stack.formatArn({ service: 'ssm', resource: `parameter${path}`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
  if (Token.isUnresolved(parameterPrefix)) return [arn(`${parameterPrefix}/ECR_*`), arn(`${parameterPrefix}ECR_*`)];
  const trimmed = parameterPrefix.trim().replace(/\/+$/, '');
  return [arn(`${trimmed}/ECR_*`)];
}
