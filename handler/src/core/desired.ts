/**
 * From a validated spec and the platform's settings to the desired state of every resource.
 */
import { CROSS_ACCOUNT_KEY_ACTIONS, CROSS_ACCOUNT_PULL_ACTIONS, OwnershipTag, ParameterSuffix, PROVIDER_KEY_ACTIONS, REPLACES_TAG } from '../contract';
import type { RepositorySpec } from '../props/properties';
import { isRepositoryNameOf, keyAliasName, parameterStemUnder, repositoryName } from '../props/rules';
import type { Settings } from '../props/settings';
import type { Desired, DesiredParameter, Environment, Owner } from './model';
import { lifecyclePolicy } from './lifecycle-policy';
import { PULL_STATEMENT_SID } from './repository-policy';
import { type Sharing, sharingKeyStatements, sharingStatements } from './sharing';

const URL_SUFFIX: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

const STACK_ARN = /^arn:([a-z-]+):cloudformation:([a-z0-9-]+):(\d{12}):stack\/.+$/;

/** The partition, region and account of a stack, from its StackId ARN. */
export function environmentFromStackId(stackId: string): Environment | undefined {
  const match = STACK_ARN.exec(stackId);
  if (!match) return undefined;
  const [, partition, region, account] = match as unknown as [string, string, string, string];
  return { partition, region, account, urlSuffix: URL_SUFFIX[partition] ?? 'amazonaws.com' };
}

/** The ARN of a repository of this account and Region. */
export function repositoryArnOf(env: Environment, repository: string): string {
  return `arn:${env.partition}:ecr:${env.region}:${env.account}:repository/${repository}`;
}

/**
 * The names a repository's resources have; also what Delete looks for. `existingName` keeps
 * the name a repository already has (its physical id): an in-place Update never renames,
 * even when the prefix setting or the naming rules changed since the repository was created.
 */
export function resourceNames(spec: Pick<RepositorySpec, 'applicationName' | 'baseName'>, settings: Settings, existingName?: string) {
  const name = existingName ?? repositoryName(settings.organizationPrefix, spec.applicationName, spec.baseName);
  const stem = parameterStemUnder(settings.parameterPrefix, spec.baseName);
  return {
    repositoryName: name,
    aliasName: keyAliasName(name),
    arnParameter: `${stem}${ParameterSuffix.arn}`,
    nameParameter: `${stem}${ParameterSuffix.name}`,
    kmsKeyArnParameter: `${stem}${ParameterSuffix.kmsKeyArn}`,
  };
}

export function desiredState(spec: RepositorySpec, settings: Settings, env: Environment, owner: Owner, existingName?: string): Desired {
  const names = resourceNames(spec, settings, existingName);
  const repositoryArn = repositoryArnOf(env, names.repositoryName);
  const repositoryUri = `${env.account}.dkr.ecr.${env.region}.${env.urlSuffix}/${names.repositoryName}`;
  const sharedWith = spec.shareableWithAllEnvs ? environmentAccountsOtherThan(settings, env.account) : [];
  const sharing = sharingFor(spec, settings, env, sharedWith);
  const sharingPolicy = sharingStatements(env, sharing);

  const repositoryTags: Record<string, string> = {
    ...spec.tags,
    ...settings.mandatoryTags,
    [OwnershipTag.StackId]: owner.stackId,
    [OwnershipTag.LogicalId]: owner.logicalId,
  };
  const childTags = { ...repositoryTags, [OwnershipTag.Repository]: names.repositoryName };
  const parameter = (name: string, value?: string): DesiredParameter => (value === undefined ? { name } : { name, value });

  return {
    repositoryName: names.repositoryName,
    repositoryArn,
    repositoryUri,
    aliasName: names.aliasName,
    ...(spec.useKmsKey
      ? {
          key: {
            aliasName: names.aliasName,
            description: `Encrypts the images of ECR repository ${names.repositoryName} (Org::ECR::Repository)`,
            policy: keyPolicy(env, sharing, settings.providerRoleArn),
            rotation: settings.keyRotation,
            deletionWindowDays: settings.deletionWindowDays,
          },
        }
      : {}),
    ...lifecycleOf(spec, settings),
    ...tagMutabilityOf(spec, settings),
    ...(sharingPolicy.length === 0 ? {} : { repositoryPolicy: JSON.stringify({ Version: '2012-10-17', Statement: sharingPolicy }) }),
    repositoryTags,
    childTags,
    parameters: {
      arn: parameter(names.arnParameter, repositoryArn),
      name: parameter(names.nameParameter, names.repositoryName),
      ...(spec.useKmsKey ? { kmsKeyArn: parameter(names.kmsKeyArnParameter) } : {}),
    },
  };
}

/**
 * Whether an Update replaces the repository named by `physicalId`: its new name parts no longer
 * name it. Under today's prefix first; when the old properties do not name it under today's
 * prefix either (it was made under an earlier `ORG_PREFIX`, or they do not parse), under any
 * prefix, so a settings change alone, or the rollback of a refused Update, never replaces.
 */
export function isReplacement(physicalId: string, spec: NameParts, previous: NameParts | undefined, prefix: string): boolean {
  if (repositoryName(prefix, spec.applicationName, spec.baseName) === physicalId) return false;
  if (previous && repositoryName(prefix, previous.applicationName, previous.baseName) === physicalId) return true;
  return !isRepositoryNameOf(physicalId, spec.applicationName, spec.baseName);
}

type NameParts = Pick<RepositorySpec, 'applicationName' | 'baseName'>;

/**
 * The desired state of a repository created by a replacing Update: its tags name the
 * repository it replaces (`org-ecr:replaces`), so that Update's rollback finds its way back.
 */
export function replacing(desired: Desired, replacedName: string): Desired {
  return { ...desired, repositoryTags: { ...desired.repositoryTags, [REPLACES_TAG]: replacedName } };
}

/**
 * Who may pull, from the spec and the settings. Organisation and OU sharing need the
 * organisation id; without it (checked before, with a message, by the provider) they are off.
 */
export function sharingFor(spec: RepositorySpec, settings: Settings, env: Environment, sharedWith: readonly string[] = spec.shareableWithAllEnvs ? environmentAccountsOtherThan(settings, env.account) : []): Sharing {
  const organizationId = settings.organizationId;
  return {
    accounts: sharedWith,
    ...(spec.shareWithOrganization === true && organizationId !== undefined ? { organizationId } : {}),
    organizationalUnitPaths: organizationId === undefined ? [] : (spec.organizationalUnitPaths ?? []).filter((path) => path.startsWith(`${organizationId}/`)),
    lambdaAccounts: spec.lambdaPullFromEnvs === true ? environmentAccountsOtherThan(settings, env.account) : [],
  };
}

function isAccountList(shared: Sharing | readonly string[]): shared is readonly string[] {
  return Array.isArray(shared);
}

/** Environment accounts other than the owner, sorted and unique, so the policy is stable. */
export function environmentAccountsOtherThan(settings: Settings, owner: string): string[] {
  return [...new Set(Object.values(settings.environmentAccounts))].filter((account) => account !== owner).sort();
}

/** Our lifecycle rules: the organisation's untagged expiry, then `ImagesRetained`. */
function lifecycleOf(spec: RepositorySpec, settings: Settings): { lifecyclePolicy?: string } {
  const policy = lifecyclePolicy(spec.imagesRetained, settings.untaggedImageExpiryDays);
  return policy === undefined ? {} : { lifecyclePolicy: policy };
}

/** The property's mutability, else the organisation's; filters only where ECR takes them. */
function tagMutabilityOf(spec: RepositorySpec, settings: Settings): Pick<Desired, 'imageTagMutability' | 'exclusionFilters'> {
  const imageTagMutability = spec.imageTagMutability ?? settings.imageTagMutability;
  const exclusionFilters = imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION' ? (spec.exclusionFilters ?? settings.exclusionFilters) : [];
  return { imageTagMutability, exclusionFilters };
}

const root = (env: Environment, account: string) => `arn:${env.partition}:iam::${account}:root`;

/** Read-only pulls for the environment accounts: exactly the seed's actions, never a push. */
export function repositoryPolicy(env: Environment, accounts: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: PULL_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { AWS: accounts.map((account) => root(env, account)) },
        Action: [...CROSS_ACCOUNT_PULL_ACTIONS],
      },
    ],
  });
}

/**
 * The owning account administers the key (IAM decides who in it); any principal of that
 * account may use it through ECR only (the shape of AWS's own `aws/ecr` key policy, including
 * the grant ECR retires when the repository is deleted); the provider's role manages the key's
 * life cycle by name, which takes effect with the key itself rather than when IAM sees the
 * key's tags; when shared, the environment accounts may decrypt and describe, nothing else.
 */
export function keyPolicy(env: Environment, shared: Sharing | readonly string[], providerRoleArn?: string): string {
  const sharing: Sharing = isAccountList(shared) ? { accounts: shared, organizationalUnitPaths: [], lambdaAccounts: [] } : shared;
  const statements: object[] = [
    {
      Sid: 'OwnerAccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: root(env, env.account) },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'EcrUsesKeyForOwnerAccount',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:RetireGrant'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': env.account, 'kms:ViaService': `ecr.${env.region}.${env.urlSuffix}` },
      },
    },
  ];
  if (providerRoleArn !== undefined) {
    statements.push({
      Sid: 'ProviderManagesKey',
      Effect: 'Allow',
      Principal: { AWS: providerRoleArn },
      Action: [...PROVIDER_KEY_ACTIONS],
      Resource: '*',
    });
  }
  statements.push(...sharingKeyStatements(env, sharing));
  return JSON.stringify({ Version: '2012-10-17', Id: 'org-ecr-repository-key', Statement: statements });
}
