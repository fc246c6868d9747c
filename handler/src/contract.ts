/**
 * The public contract of the Org::ECR::Repository provider: every name a template author,
 * a CDK user or the platform team writes. The handler, the CDK constructs, the raw templates
 * and the tests all read these constants, so no door can drift from another.
 *
 * This module is shared with `construct/`: it must not import the AWS SDK, `node:` modules
 * or anything with side effects.
 */

/** The CloudFormation type consumers declare (`Type: Custom::OrgEcrRepository`). */
export const RESOURCE_TYPE = 'Custom::OrgEcrRepository' as const;

/** The resource properties a template may set, as CloudFormation sends them. */
export const Property = {
  ApplicationName: 'ApplicationName',
  RepositoryBaseName: 'RepositoryBaseName',
  UseKmsKey: 'UseKmsKey',
  ImagesRetained: 'ImagesRetained',
  ShareableWithAllEnvs: 'ShareableWithAllEnvs',
  ShareWithOrganization: 'ShareWithOrganization',
  ShareWithOrganizationalUnitPaths: 'ShareWithOrganizationalUnitPaths',
  LambdaPullFromEnvs: 'LambdaPullFromEnvs',
  Tags: 'Tags',
  ImageTagMutability: 'ImageTagMutability',
  ImageTagMutabilityExclusionFilters: 'ImageTagMutabilityExclusionFilters',
  /**
   * `true`: a Delete (stack deleted, resource removed or replaced, a Service Catalog product
   * terminated) leaves the repository, its images, key and parameters in place. Default
   * `false`, the seed's delete-and-empty. The same as `DeletionPolicy: Retain`, but a
   * property, so a Service Catalog parameter (or any template parameter) can choose it.
   */
  RetainOnDelete: 'RetainOnDelete',
} as const;
export type PropertyName = (typeof Property)[keyof typeof Property];

/** Every property a consumer may set, in documentation order. */
export const PROPERTY_NAMES: readonly PropertyName[] = Object.values(Property);

/** Properties that only steer CloudFormation itself; the provider ignores them. */
export const FRAMEWORK_PROPERTIES = ['ServiceToken', 'ServiceTimeout'] as const;

/** What `Fn::GetAtt` can read. `Ref` (the physical id) is the repository name. */
export const Attribute = {
  RepositoryName: 'RepositoryName',
  RepositoryArn: 'RepositoryArn',
  RepositoryUri: 'RepositoryUri',
  KmsKeyArn: 'KmsKeyArn',
  ArnParameterName: 'ArnParameterName',
  NameParameterName: 'NameParameterName',
  KmsKeyArnParameterName: 'KmsKeyArnParameterName',
} as const;
export type AttributeName = (typeof Attribute)[keyof typeof Attribute];
export const ATTRIBUTE_NAMES: readonly AttributeName[] = Object.values(Attribute);

/**
 * Provider settings: environment variables of the provider Lambda, set once by the platform
 * team (the CDK provider construct and the raw provider template both write them).
 */
export const Setting = {
  /** Required. The organisation prefix every repository name starts with, e.g. `acme`. */
  OrganizationPrefix: 'ORG_PREFIX',
  /** JSON object, environment name to 12-digit account id, e.g. `{"dev":"111111111111"}`. */
  EnvironmentAccounts: 'ORG_ENVIRONMENT_ACCOUNTS',
  /** JSON object of tag key to value applied to every resource; consumers cannot override. */
  MandatoryTags: 'ORG_MANDATORY_TAGS',
  /** `true` or `false` (default `false`, as the seed says: cost). */
  KmsKeyRotation: 'ORG_KMS_KEY_ROTATION',
  /** Whole number of days from 7 to 30 (default 30). */
  KmsKeyDeletionWindowDays: 'ORG_KMS_DELETION_WINDOW_DAYS',
  /** Optional path prefix for the SSM parameters, e.g. `/platform/ecr`; default none. */
  ParameterPrefix: 'ORG_SSM_PARAMETER_PREFIX',
  /** The tag mutability of a repository that does not set `ImageTagMutability` (default `IMMUTABLE`: ECR.2). */
  ImageTagMutability: 'ORG_IMAGE_TAG_MUTABILITY',
  /** Comma-separated wildcard filters for `IMMUTABLE_WITH_EXCLUSION` when a repository gives none, e.g. `latest,dev-*`. */
  ImageTagMutabilityExclusionFilters: 'ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS',
  /** Days after push an untagged image expires, 1 to 3650; `0` switches the rule off (default 14: ECR.3). */
  UntaggedImageExpiryDays: 'ORG_UNTAGGED_IMAGE_EXPIRY_DAYS',
  /** `true`: every new repository gets a customer-managed key, whatever `UseKmsKey` leaves unsaid (default `false`). */
  RequireKmsKey: 'ORG_REQUIRE_KMS_KEY',
  /**
   * The AWS Organizations id (`o-...`) that `ShareWithOrganization` and
   * `ShareWithOrganizationalUnitPaths` share within; default none (those properties fail).
   */
  OrganizationId: 'ORG_ORGANIZATION_ID',
} as const;
export type SettingName = (typeof Setting)[keyof typeof Setting];

/**
 * Set by the provider's own deployment (the CDK construct and the generated raw template),
 * never by hand: the provider role's ARN. Each customer key's policy names this role, so the
 * provider may manage a key it just created at once; IAM conditions on resource tags may take
 * minutes to see a new key's tags.
 */
export const PROVIDER_ROLE_ARN_ENV = 'ORG_PROVIDER_ROLE_ARN' as const;

/**
 * The IAM path of the provider role in every account: the organisation guardrail (SCP/RCP)
 * exempts `arn:aws:iam::*:role/org-ecr/provider/*`, and only the provider's deployer and
 * break-glass may write roles under `/org-ecr/`.
 */
export const PROVIDER_ROLE_PATH = '/org-ecr/provider/' as const;

/** The tag on the provider function, so the guardrail can protect it without knowing its name. */
export const PROVIDER_FUNCTION_TAG = { key: 'org-ecr:component', value: 'provider' } as const;

/** Actions the provider role gets on its own keys through each key's policy. */
export const PROVIDER_KEY_ACTIONS = [
  'kms:DescribeKey',
  'kms:PutKeyPolicy',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListResourceTags',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:EnableKey',
  'kms:CancelKeyDeletion',
  'kms:ScheduleKeyDeletion',
] as const;

export const SettingDefault = {
  KmsKeyRotation: false,
  KmsKeyDeletionWindowDays: 30,
  ParameterPrefix: '',
  /** Compliant by default: Security Hub ECR.2 passes only with `IMMUTABLE`. */
  ImageTagMutability: 'IMMUTABLE',
  ImageTagMutabilityExclusionFilters: '',
  /** AWS's own example of untagged expiry; long enough to recover an image pushed by digest, short enough to matter. */
  UntaggedImageExpiryDays: 14,
  RequireKmsKey: false,
} as const;

/**
 * The tag mutability values a repository may take. `MUTABLE_WITH_EXCLUSION` is left out: it
 * fails ECR.2 like `MUTABLE` and no team has asked for it.
 */
export const TAG_MUTABILITY_VALUES = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE'] as const;
export type TagMutability = (typeof TAG_MUTABILITY_VALUES)[number];

/** Text in the description of every lifecycle rule the provider writes: how it tells its rules from a team's. */
export const LIFECYCLE_RULE_MARKER = 'Org::ECR::Repository' as const;

/**
 * Tags the provider writes on everything it creates. They prove ownership: the provider
 * adopts, changes or deletes only what carries the pair naming this very stack and logical
 * resource, and, for the key and the parameters, the repository they belong to.
 */
export const OwnershipTag = {
  StackId: 'org-ecr:stack-id',
  LogicalId: 'org-ecr:logical-id',
  Repository: 'org-ecr:repository',
} as const;

/**
 * On a repository created by a replacing Update: the physical id (repository name) it
 * replaces. The rollback of that Update (this repository's id, the old properties) returns
 * to the named repository, even when `ORG_PREFIX` changed in between so today's rules would
 * name another one. Only the repository carries it, so it takes no room from the consumer's
 * tags: the key and the parameters carry `org-ecr:repository` instead.
 */
export const REPLACES_TAG = 'org-ecr:replaces' as const;

/** Tag-key prefixes a consumer may not use: AWS reserves `aws:`, the provider `org-ecr:`. */
export const RESERVED_TAG_PREFIXES = ['aws:', 'org-ecr:'] as const;

/** Physical id answered for a Create that failed before creating anything. */
export const CREATE_FAILED_MARKER = 'OrgEcrRepository::CREATE_FAILED' as const;

/** The seed's read-only actions granted to the environment accounts on a shared repository. */
export const CROSS_ACCOUNT_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:BatchGetRepositoryScanningConfiguration',
  'ecr:Describe*',
  'ecr:Get*',
  'ecr:List*',
] as const;

/**
 * What Lambda needs to pull a function's container image from another account, for the
 * `lambda.amazonaws.com` service principal and the function creator's account (AWS's
 * documented cross-account statements).
 */
export const LAMBDA_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

/** The key actions environment accounts get on a shared repository's customer key. */
export const CROSS_ACCOUNT_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/** Bounds the rules enforce; shared so docs, templates and constructs say the same thing. */
export const Limits = {
  imagesRetainedMin: 1,
  imagesRetainedMax: 10_000,
  repositoryNameMin: 2,
  repositoryNameMax: 256,
  /** Tags per ECR repository, KMS key and SSM parameter. */
  tagsMax: 50,
  tagKeyMax: 128,
  tagValueMax: 256,
  deletionWindowMin: 7,
  deletionWindowMax: 30,
  organizationPrefixMaxLength: 64,
  parameterPrefixMaxLength: 512,
  /** OU paths one repository may share with: the repository policy is at most 10,240 characters. */
  organizationalUnitPathsMax: 20,
  /**
   * An SSM parameter name: SSM allows 1011 characters including the parameter's ARN prefix
   * (`arn:{partition}:ssm:{region}:{account}:parameter/`, at most 64 characters in any
   * partition and Region), so every name the provider makes stays within 1011 - 64.
   */
  parameterNameMax: 947,
  /** ECR's bounds on tag mutability exclusion filters (API reference, ImageTagMutabilityExclusionFilter). */
  exclusionFiltersMin: 1,
  exclusionFiltersMax: 5,
  exclusionFilterMaxLength: 128,
  untaggedExpiryDaysMax: 3650,
} as const;

/** ECR's pattern for one exclusion filter: letters, digits, `.`, `_`, `-` and the wildcard `*`. */
export const EXCLUSION_FILTER_PATTERN = /^[0-9a-zA-Z._*-]{1,128}$/;

/** SSM parameter name suffixes, after `ECR_{BASE}`. */
export const ParameterSuffix = {
  arn: '_arn',
  name: '_name',
  kmsKeyArn: '_kms_key_arn',
} as const;

/**
 * Where the provider publishes its ServiceToken (the Lambda ARN) in each account and region:
 * a CloudFormation export and an SSM parameter. Consumers' templates `!ImportValue` the
 * export; the CDK construct imports it by default.
 */
export const SERVICE_TOKEN_EXPORT_NAME = 'OrgEcrRepositoryServiceToken' as const;
export const SERVICE_TOKEN_PARAMETER_NAME = '/org-ecr/service-token' as const;

/** The Lambda handler of the bundle in handler/dist (`index.mjs`, export `handler`). */
export const HANDLER_ENTRY = 'index.handler' as const;
