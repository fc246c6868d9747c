import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { OrgEcrRepositoryProvider } from './provider';

/** Props of `OrgEcrRepository`: the resource contract in camelCase, plus how to find the provider. */
export interface OrgEcrRepositoryProps {
  /** The application the repository belongs to; the name's middle part. Changing it replaces the repository. */
  readonly applicationName: string;

  /** The repository's base name (the seed's config key); the name's last part. Changing it replaces the repository. */
  readonly repositoryBaseName: string;

  /**
   * Encrypt images with a new customer-managed KMS key instead of AES256. ECR fixes
   * encryption at creation: change it only together with a new name.
   *
   * @default - a new repository gets a key when the organisation requires one (the provider's
   *   `requireKmsKey`), else AES256; an existing repository keeps the encryption it has
   */
  readonly useKmsKey?: boolean;

  /**
   * Keep only this many most recently pushed images (1 to 10000); older ones expire.
   *
   * Untagged images expire under the organisation's own rule whatever this says
   * (`untaggedImageExpiryDays` of the provider).
   *
   * @default - no count rule: tagged images are kept forever
   */
  readonly imagesRetained?: number;

  /**
   * Whether a pushed tag may later point at another image. `IMMUTABLE` passes Security Hub
   * ECR.2; `IMMUTABLE_WITH_EXCLUSION` keeps the tags matching
   * `imageTagMutabilityExclusionFilters` (e.g. `latest`) movable; `MUTABLE` lets every tag move.
   * Changed in place.
   *
   * @default - the organisation's setting (the provider's `imageTagMutability`, itself `IMMUTABLE` by default)
   */
  readonly imageTagMutability?: 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' | 'MUTABLE';

  /**
   * With `IMMUTABLE_WITH_EXCLUSION`: 1 to 5 tags or wildcard patterns that stay movable, e.g.
   * `['latest', 'dev-*']`. Only with that mutability.
   *
   * @default - the organisation's filters (the provider's `imageTagMutabilityExclusionFilters`)
   */
  readonly imageTagMutabilityExclusionFilters?: string[];

  /**
   * Grant read-only pulls to every environment account the provider knows, other than the owner.
   *
   * @default false
   */
  readonly shareableWithAllEnvs?: boolean;

  /**
   * Grant read-only pulls to every account of the organisation (`aws:PrincipalOrgID`), the one
   * whose id the platform team set on the provider (`organizationId`). The key policy follows.
   *
   * @default false
   */
  readonly shareWithOrganization?: boolean;

  /**
   * Grant read-only pulls to the accounts of these organisational units and their child units
   * (`aws:PrincipalOrgPaths`), each written as AWS Organizations does:
   * `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`. Only units of the provider's `organizationId`.
   *
   * @default - no organisational unit
   */
  readonly shareWithOrganizationalUnitPaths?: string[];

  /**
   * Let Lambda functions of the environment accounts (other than the owner) use the
   * repository's images: the `lambda.amazonaws.com` service principal, limited by
   * `aws:SourceArn` to functions of those accounts in this Region, as AWS documents for
   * cross-account container images. Read-only; the key policy follows.
   *
   * @default false
   */
  readonly lambdaPullFromEnvs?: boolean;

  /**
   * Tags for the repository, its key and its parameters, besides the organisation's and the
   * provider's (which cannot be overridden).
   *
   * @default - no consumer tags
   */
  readonly tags?: Record<string, string>;

  /**
   * The provider to use, typically in the same app. When it is in the same stack, the
   * repository depends on everything the provider deploys, so Delete still has permissions.
   *
   * @default - `serviceToken`, else the account's published ServiceToken (`Fn::ImportValue OrgEcrRepositoryServiceToken`)
   */
  readonly provider?: OrgEcrRepositoryProvider;

  /**
   * The provider's ServiceToken (its Lambda ARN), when not given `provider`.
   *
   * @default - the account's published ServiceToken (`Fn::ImportValue OrgEcrRepositoryServiceToken`)
   */
  readonly serviceToken?: string;

  /**
   * How long CloudFormation waits for the provider's answer before failing the resource.
   * Kept a little above the provider's timeout so a crashed provider surfaces in minutes,
   * not after CloudFormation's default hour.
   *
   * @default - the provider's timeout plus one minute; without `provider`, the default provider timeout (5 minutes) plus one minute
   */
  readonly serviceTimeout?: Duration;

  /**
   * What happens to the repository when it leaves the stack (stack deleted, resource removed
   * or replaced). `DESTROY` is the seed's behaviour: the provider deletes the repository with
   * its images, schedules its key's deletion and deletes its parameters. `RETAIN` (or
   * `RETAIN_ON_UPDATE_OR_DELETE`) sets the resource's `DeletionPolicy` and
   * `UpdateReplacePolicy`: CloudFormation then never asks the provider to delete, and the
   * repository, its images, key and parameters stay. `SNAPSHOT` does not exist for a custom resource.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}
