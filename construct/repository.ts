import { CustomResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Attribute, Property, RESOURCE_TYPE, SERVICE_TOKEN_EXPORT_NAME } from '../handler/src/contract';
import { InvalidConstructPropsError } from './errors';
import { OrgEcrRepositoryProvider } from './provider';
import { checkRepository, isUnresolved, REPOSITORY_PROP_SUBJECTS } from './validation';

/** Props of {@link OrgEcrRepository}: the resource contract in camelCase, plus how to find the provider. */
export interface OrgEcrRepositoryProps {
  /** The application the repository belongs to; the name's middle part. Changing it replaces the repository. */
  readonly applicationName: string;

  /** The repository's base name (the seed's config key); the name's last part. Changing it replaces the repository. */
  readonly repositoryBaseName: string;

  /**
   * Encrypt images with a new customer-managed KMS key instead of AES256. ECR fixes
   * encryption at creation: change it only together with a new name.
   *
   * @default false
   */
  readonly useKmsKey?: boolean;

  /**
   * Keep only this many most recently pushed images (1 to 10000); older ones expire.
   *
   * @default - no lifecycle policy: images are kept forever
   */
  readonly imagesRetained?: number;

  /**
   * Grant read-only pulls to every environment account the provider knows, other than the owner.
   *
   * @default false
   */
  readonly shareableWithAllEnvs?: boolean;

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
}

/**
 * The application team's construct: an organisation-standard ECR repository created by the
 * Org::ECR::Repository provider, usable like any CDK repository through `repository`.
 *
 * @example
 * const repo = new OrgEcrRepository(stack, 'Orders', {
 *   applicationName: 'shop',
 *   repositoryBaseName: 'orders-api',
 *   useKmsKey: true,
 *   imagesRetained: 10,
 * });
 * repo.grantPull(taskRole);
 * ecs.ContainerImage.fromEcrRepository(repo.repository, 'v1');
 */
export class OrgEcrRepository extends Construct {
  /** The CloudFormation type the construct declares. */
  public static readonly RESOURCE_TYPE = RESOURCE_TYPE;
  /** Seconds `serviceTimeout` adds to the provider's timeout. */
  public static readonly SERVICE_TIMEOUT_MARGIN_SECONDS = 60;

  /** The repository, for grants, ECS and Lambda container images. */
  public readonly repository: ecr.IRepository;
  /** The repository name (`{prefix}-{application}-{base}`, made ECR-safe). */
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly repositoryUri: string;
  /** The customer key's ARN; empty without `useKmsKey`. */
  public readonly kmsKeyArn: string;
  /** The SSM parameter holding the repository ARN (`ECR_{BASE}_arn`). */
  public readonly arnParameterName: string;
  /** The SSM parameter holding the repository name (`ECR_{BASE}_name`). */
  public readonly nameParameterName: string;
  /** The SSM parameter holding the key ARN (`ECR_{BASE}_kms_key_arn`); empty without `useKmsKey`. */
  public readonly kmsKeyArnParameterName: string;
  /** The underlying custom resource. */
  public readonly resource: CustomResource;

  private readonly useKmsKey?: boolean;

  constructor(scope: Construct, id: string, props: OrgEcrRepositoryProps) {
    super(scope, id);
    const problems = checkRepository(props, REPOSITORY_PROP_SUBJECTS, props.provider?.mandatoryTags);
    if (props.provider !== undefined && props.serviceToken !== undefined) {
      problems.push('give either `provider` or `serviceToken`, not both: they name the same provider in two ways');
    }
    if (problems.length > 0) throw new InvalidConstructPropsError(this.node.path, problems);
    this.useKmsKey = props.useKmsKey;

    const serviceToken = props.provider?.serviceToken ?? props.serviceToken ?? Fn.importValue(SERVICE_TOKEN_EXPORT_NAME);
    const serviceTimeout = props.serviceTimeout ?? defaultServiceTimeout(props.provider);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken,
      resourceType: RESOURCE_TYPE,
      serviceTimeout,
      properties: renderProperties(props),
    });
    if (props.provider !== undefined && Stack.of(props.provider) === Stack.of(this)) {
      // Every resource of the provider (function, role, policy, log group): without them a Delete cannot run.
      this.resource.node.addDependency(props.provider);
    }

    this.repositoryName = this.resource.getAttString(Attribute.RepositoryName);
    this.repositoryArn = this.resource.getAttString(Attribute.RepositoryArn);
    this.repositoryUri = this.resource.getAttString(Attribute.RepositoryUri);
    this.kmsKeyArn = this.resource.getAttString(Attribute.KmsKeyArn);
    this.arnParameterName = this.resource.getAttString(Attribute.ArnParameterName);
    this.nameParameterName = this.resource.getAttString(Attribute.NameParameterName);
    this.kmsKeyArnParameterName = this.resource.getAttString(Attribute.KmsKeyArnParameterName);
    this.repository = ecr.Repository.fromRepositoryAttributes(this, 'Repository', {
      repositoryArn: this.repositoryArn,
      repositoryName: this.repositoryName,
    });
  }

  /**
   * Lets the grantee pull images: ECR's pull actions on this repository, plus `kms:Decrypt`
   * on its customer key when `useKmsKey` is true (the CDK's own `grantPull` never touches
   * the key).
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.withKeyDecrypt(grantee, this.repository.grantPull(grantee));
  }

  /** Lets the grantee pull and push images; the key grant is the same as {@link grantPull}'s. */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.withKeyDecrypt(grantee, this.repository.grantPullPush(grantee));
  }

  private withKeyDecrypt(grantee: iam.IGrantable, grant: iam.Grant): iam.Grant {
    if (this.useKmsKey !== true) return grant;
    const keyGrant = iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.kmsKeyArn] });
    return grant.combine(keyGrant);
  }
}

/** The provider's timeout plus the margin; a token timeout (a raw template's parameter) counts as Lambda's maximum. */
function defaultServiceTimeout(provider: OrgEcrRepositoryProvider | undefined): Duration {
  const timeout = provider?.timeout;
  const seconds = timeout === undefined ? OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS : timeout.isUnresolved() ? LAMBDA_MAX_TIMEOUT_SECONDS : timeout.toSeconds();
  return Duration.seconds(seconds + OrgEcrRepository.SERVICE_TIMEOUT_MARGIN_SECONDS);
}

const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** The contract's properties, PascalCase, optional ones only when given. */
function renderProperties(props: OrgEcrRepositoryProps): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    [Property.ApplicationName]: props.applicationName,
    [Property.RepositoryBaseName]: props.repositoryBaseName,
  };
  if (props.useKmsKey !== undefined) properties[Property.UseKmsKey] = props.useKmsKey;
  if (props.imagesRetained !== undefined) properties[Property.ImagesRetained] = props.imagesRetained;
  if (props.shareableWithAllEnvs !== undefined) properties[Property.ShareableWithAllEnvs] = props.shareableWithAllEnvs;
  if (props.tags !== undefined) {
    properties[Property.Tags] = isUnresolved(props.tags) ? props.tags : Object.entries(props.tags).map(([Key, Value]) => ({ Key, Value }));
  }
  return properties;
}
