/**
 * The provider template's parameters: one per provider setting (contract `Setting`), plus where
 * the code is and whether to create the Service Catalog launch role. Defined once, so the
 * provider template and the StackSet that passes them through cannot disagree. Constraints
 * mirror handler/src/props/settings.ts and the contract's `Limits`; where CloudFormation cannot
 * say it (the JSON objects' full rules), the provider checks the value on every request.
 */
import { CfnParameter, type CfnParameterProps, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Limits, SettingDefault, TAG_MUTABILITY_VALUES } from '../../../handler/src/contract';
import { OrgEcrRepositoryProvider } from '../../provider';
import { providerCodeKey } from './template-stack';

/** The parameter names, as template authors and StackSet operators write them. */
export const ProviderParameter = {
  OrganizationPrefix: 'OrganizationPrefix',
  EnvironmentAccounts: 'EnvironmentAccounts',
  MandatoryTags: 'MandatoryTags',
  KmsKeyRotation: 'KmsKeyRotation',
  KmsKeyDeletionWindowDays: 'KmsKeyDeletionWindowDays',
  ParameterPrefix: 'ParameterPrefix',
  ImageTagMutability: 'ImageTagMutability',
  ImageTagMutabilityExclusionFilters: 'ImageTagMutabilityExclusionFilters',
  UntaggedImageExpiryDays: 'UntaggedImageExpiryDays',
  RequireKmsKey: 'RequireKmsKey',
  OrganizationId: 'OrganizationId',
  CodeBucketPrefix: 'CodeBucketPrefix',
  CodeKey: 'CodeKey',
  CreateLaunchRole: 'CreateLaunchRole',
  PermissionsBoundaryArn: 'PermissionsBoundaryArn',
  Timeout: 'Timeout',
  MemorySize: 'MemorySize',
  LogRetentionDays: 'LogRetentionDays',
} as const;
/** One of {@link ProviderParameter}. */
export type ProviderParameterName = (typeof ProviderParameter)[keyof typeof ProviderParameter];

/** Longest Region name the bucket convention leaves room for (`ap-southeast-5` is 14). */
const REGION_NAME_ROOM = 15;
const BUCKET_NAME_MAX = 63;

const ENVIRONMENT_ENTRY = '"[A-Za-z0-9_.-]{1,64}"\\s*:\\s*"[0-9]{12}"';
const TAG_ENTRY = `"[^"\\\\]{1,${Limits.tagKeyMax}}"\\s*:\\s*"[^"\\\\]{0,${Limits.tagValueMax}}"`;
const jsonObjectOf = (entry: string) => `^\\s*\\{\\s*(${entry}\\s*(,\\s*${entry}\\s*)*)?\\}\\s*$`;

/** The retention periods CloudWatch Logs accepts, in days ("never expire" is not offered: logs are kept bounded). */
export const LOG_RETENTION_DAYS = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number' && days !== logs.RetentionDays.INFINITE);

/** Every parameter of the provider template, in the order the console shows them. */
export const PROVIDER_PARAMETER_SPECS: Readonly<Record<ProviderParameterName, CfnParameterProps>> = {
  [ProviderParameter.OrganizationPrefix]: {
    type: 'String',
    description: `Required. The organisation prefix every repository name starts with (ORG_PREFIX), e.g. acme: 1 to ${Limits.organizationPrefixMaxLength} lowercase letters, digits and single hyphens, starting with a letter. The provider's IAM permissions are scoped to repositories and KMS aliases under it.`,
    minLength: 1,
    maxLength: Limits.organizationPrefixMaxLength,
    allowedPattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
    constraintDescription: 'lowercase letters, digits and single hyphens, starting with a letter, e.g. acme',
  },
  [ProviderParameter.EnvironmentAccounts]: {
    type: 'String',
    description:
      'Environment name to 12-digit account id, as a JSON object (ORG_ENVIRONMENT_ACCOUNTS), e.g. {"dev":"111111111111","prod":"222222222222"}. Repositories with ShareableWithAllEnvs grant read-only pulls to each of these accounts other than the owner. {} shares with no one.',
    default: '{}',
    allowedPattern: jsonObjectOf(ENVIRONMENT_ENTRY),
    constraintDescription: 'a JSON object of environment names (1 to 64 letters, digits, ".", "_" or "-") to 12-digit account ids, e.g. {"dev":"111111111111"}',
  },
  [ProviderParameter.MandatoryTags]: {
    type: 'String',
    description:
      'The organisation\'s tags, as a JSON object of tag key to value (ORG_MANDATORY_TAGS), e.g. {"cost-center":"cc-42"}. Applied to every repository, key and parameter; consumers cannot override them. Keys may not start with aws: or org-ecr:.',
    default: '{}',
    allowedPattern: jsonObjectOf(TAG_ENTRY),
    constraintDescription: `a JSON object of tag keys (1 to ${Limits.tagKeyMax} characters) to values (at most ${Limits.tagValueMax}), e.g. {"cost-center":"cc-42"}`,
  },
  [ProviderParameter.KmsKeyRotation]: {
    type: 'String',
    description: 'Whether customer-managed keys rotate yearly (ORG_KMS_KEY_ROTATION). Off by default, as the seed says: rotation has a cost.',
    default: String(SettingDefault.KmsKeyRotation),
    allowedValues: ['false', 'true'],
  },
  [ProviderParameter.KmsKeyDeletionWindowDays]: {
    type: 'Number',
    description: `Days a deleted repository's customer key waits before KMS destroys it (ORG_KMS_DELETION_WINDOW_DAYS), ${Limits.deletionWindowMin} to ${Limits.deletionWindowMax}.`,
    default: SettingDefault.KmsKeyDeletionWindowDays,
    minValue: Limits.deletionWindowMin,
    maxValue: Limits.deletionWindowMax,
  },
  [ProviderParameter.ParameterPrefix]: {
    type: 'String',
    description:
      'SSM path the repository parameters are written under (ORG_SSM_PARAMETER_PREFIX), e.g. /platform/ecr. Empty keeps the seed\'s exact names (ECR_{BASE}_arn, ...).',
    default: SettingDefault.ParameterPrefix,
    maxLength: Limits.parameterPrefixMaxLength,
    allowedPattern: '^$|^/(?![aA][wW][sS]|[sS][sS][mM])[a-zA-Z0-9_.-]+(/[a-zA-Z0-9_.-]+){0,13}/?$',
    constraintDescription: 'empty, or a path like /platform/ecr: segments of letters, digits, ".", "_" or "-", at most 14 levels, not starting with aws or ssm',
  },
  [ProviderParameter.ImageTagMutability]: {
    type: 'String',
    description:
      'Tag mutability of every repository that sets no ImageTagMutability (ORG_IMAGE_TAG_MUTABILITY). IMMUTABLE passes Security Hub ECR.2; IMMUTABLE_WITH_EXCLUSION keeps the tags of ImageTagMutabilityExclusionFilters movable (AWS does not document it as passing ECR.2); MUTABLE fails ECR.2.',
    default: SettingDefault.ImageTagMutability,
    allowedValues: [...TAG_MUTABILITY_VALUES],
  },
  [ProviderParameter.ImageTagMutabilityExclusionFilters]: {
    type: 'String',
    description: `Comma-separated tags or wildcard patterns that stay movable under IMMUTABLE_WITH_EXCLUSION when a repository gives none (ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS), e.g. latest,dev-*. ${Limits.exclusionFiltersMin} to ${Limits.exclusionFiltersMax}; required with ImageTagMutability IMMUTABLE_WITH_EXCLUSION.`,
    default: SettingDefault.ImageTagMutabilityExclusionFilters,
    allowedPattern: '^$|^[0-9a-zA-Z._*-]{1,128}(,[0-9a-zA-Z._*-]{1,128}){0,4}$',
    constraintDescription: `empty, or ${Limits.exclusionFiltersMin} to ${Limits.exclusionFiltersMax} comma-separated filters of letters, digits, ".", "_", "-" and "*"`,
  },
  [ProviderParameter.UntaggedImageExpiryDays]: {
    type: 'Number',
    description: `Days after push an untagged image expires in every repository (ORG_UNTAGGED_IMAGE_EXPIRY_DAYS), 1 to ${Limits.untaggedExpiryDaysMax}: every repository then has a lifecycle policy (Security Hub ECR.3). 0 switches the rule off (the seed's "no lifecycle policy" without ImagesRetained).`,
    default: SettingDefault.UntaggedImageExpiryDays,
    minValue: 0,
    maxValue: Limits.untaggedExpiryDaysMax,
  },
  [ProviderParameter.RequireKmsKey]: {
    type: 'String',
    description:
      'Whether every new repository gets a customer-managed KMS key unless it says UseKmsKey false, which then fails (ORG_REQUIRE_KMS_KEY; AWS Config ecr-repository-cmk-encryption-enabled). Existing AES256 repositories keep AES256 until replaced.',
    default: String(SettingDefault.RequireKmsKey),
    allowedValues: ['false', 'true'],
  },
  [ProviderParameter.OrganizationId]: {
    type: 'String',
    description:
      'The AWS Organizations id (ORG_ORGANIZATION_ID), e.g. o-a1b2c3d4e5, within which repositories with ShareWithOrganization or ShareWithOrganizationalUnitPaths are shared (aws:PrincipalOrgID, aws:PrincipalOrgPaths); a team can never share outside it. Empty: those properties are refused.',
    default: '',
    allowedPattern: '^$|^o-[a-z0-9]{10,32}$',
    constraintDescription: 'empty, or o- and 10 to 32 lowercase letters or digits, e.g. o-a1b2c3d4e5',
  },
  [ProviderParameter.CodeBucketPrefix]: {
    type: 'String',
    description:
      'The code zip is read from the bucket named {CodeBucketPrefix}-{Region}, e.g. acme-org-ecr-artifacts-eu-west-1: Lambda only reads code from a bucket in its own Region, so a StackSet needs one such bucket per target Region.',
    minLength: 2,
    maxLength: BUCKET_NAME_MAX - 1 - REGION_NAME_ROOM,
    allowedPattern: '^[a-z0-9][a-z0-9.-]*[a-z0-9]$',
    constraintDescription: 'the start of an S3 bucket name: lowercase letters, digits, "." and "-"',
  },
  [ProviderParameter.CodeKey]: {
    type: 'String',
    description: 'S3 key of the provider code zip that `npm run package` builds, in every {CodeBucketPrefix}-{Region} bucket.',
    default: providerCodeKey(),
    minLength: 1,
    maxLength: 1024,
    allowedPattern: "^[a-zA-Z0-9!_.*'()/-]+$",
    constraintDescription: "an S3 key of letters, digits and ! _ . * ' ( ) / -",
  },
  [ProviderParameter.Timeout]: {
    type: 'Number',
    description:
      'The provider function\'s timeout in seconds (1 to 900), as the construct\'s `timeout`. Consumers\' ServiceTimeout should be a minute above it (the consumer example uses 360 for the default 300).',
    default: OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS,
    minValue: 1,
    maxValue: 900,
  },
  [ProviderParameter.MemorySize]: {
    type: 'Number',
    description: 'The provider function\'s memory in MB (128 to 10240), as the construct\'s `memorySize`; Lambda gives CPU in proportion (docs/performance.md).',
    default: OrgEcrRepositoryProvider.DEFAULT_MEMORY_SIZE,
    minValue: 128,
    maxValue: 10240,
  },
  [ProviderParameter.LogRetentionDays]: {
    type: 'Number',
    description: 'Days the provider\'s logs are kept, as the construct\'s `logRetention`.',
    default: String(OrgEcrRepositoryProvider.DEFAULT_LOG_RETENTION_DAYS),
    allowedValues: LOG_RETENTION_DAYS.map(String),
  },
  [ProviderParameter.CreateLaunchRole]: {
    type: 'String',
    description:
      'Whether to create the Service Catalog launch role OrgEcrRepositoryLaunchRole-{Region}, which may only run the product\'s stacks and invoke this provider. Set false where another stack (the CDK Service Catalog stack) already creates it.',
    default: 'true',
    allowedValues: ['false', 'true'],
  },
  [ProviderParameter.PermissionsBoundaryArn]: {
    type: 'String',
    description:
      'ARN of a managed policy to set as the provider role\'s permissions boundary, e.g. arn:aws:iam::111111111111:policy/org-ecr-provider-boundary (templates/provider-boundary.yaml, the recommended one). Empty: no boundary.',
    default: '',
    allowedPattern: '^$|^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$',
    constraintDescription: 'empty, or the ARN of an IAM managed policy',
  },
};

/** Creates every parameter of {@link PROVIDER_PARAMETER_SPECS} in the stack, by name. */
export function addProviderParameters(scope: Construct): Record<ProviderParameterName, CfnParameter> {
  const entries = Object.entries(PROVIDER_PARAMETER_SPECS).map(([name, props]) => [name, new CfnParameter(scope, name, props)] as const);
  return Object.fromEntries(entries) as Record<ProviderParameterName, CfnParameter>;
}

/** The console's grouping of the provider parameters (`AWS::CloudFormation::Interface`). */
export function providerParameterGroups(): Array<{ Label: { default: string }; Parameters: ProviderParameterName[] }> {
  return [
    {
      Label: { default: 'Organisation settings' },
      Parameters: [
        ProviderParameter.OrganizationPrefix,
        ProviderParameter.EnvironmentAccounts,
        ProviderParameter.MandatoryTags,
        ProviderParameter.KmsKeyRotation,
        ProviderParameter.KmsKeyDeletionWindowDays,
        ProviderParameter.ParameterPrefix,
        ProviderParameter.OrganizationId,
      ],
    },
    {
      Label: { default: 'Repository defaults (compliance)' },
      Parameters: [
        ProviderParameter.ImageTagMutability,
        ProviderParameter.ImageTagMutabilityExclusionFilters,
        ProviderParameter.UntaggedImageExpiryDays,
        ProviderParameter.RequireKmsKey,
      ],
    },
    { Label: { default: 'Provider code (npm run package)' }, Parameters: [ProviderParameter.CodeBucketPrefix, ProviderParameter.CodeKey] },
    { Label: { default: 'Provider function' }, Parameters: [ProviderParameter.Timeout, ProviderParameter.MemorySize, ProviderParameter.LogRetentionDays] },
    { Label: { default: 'Service Catalog' }, Parameters: [ProviderParameter.CreateLaunchRole] },
    { Label: { default: 'Platform controls' }, Parameters: [ProviderParameter.PermissionsBoundaryArn] },
  ];
}

/** `{prefix}-{Region}`: the bucket the code zip is read from in the deploying Region. */
export function codeBucketName(scope: Construct, prefix: string): string {
  return `${prefix}-${Stack.of(scope).region}`;
}
