import { CustomResource, Duration, Fn, type ITaggableV2, Lazy, RemovalPolicy, Stack, TagManager, TagType } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { Attribute, Property, RESOURCE_TYPE, SERVICE_TOKEN_EXPORT_NAME } from '../handler/src/contract';
import { InvalidConstructPropsError } from './errors';
import { OrgEcrRepositoryProvider } from './provider';
import type { OrgEcrRepositoryProps } from './repository-props';
import { type GrantTarget, grantAuthorizationToken, grantOnRepository, isServicePrincipal, PULL_ACTIONS, PUSH_ACTIONS, READ_ACTIONS } from './repository-grants';
import { checkRemovalPolicy, checkServiceTimeout, renderTags, validateTags, warnShortServiceTimeout } from './repository-checks';
import { checkOrganizationalUnitPaths, sharingProblems } from '../handler/src/props/sharing';
import { checkRepository, isUnresolved, REPOSITORY_PROP_SUBJECTS } from './validation';


/**
 * The application team's construct: an organisation-standard ECR repository created by the
 * Org::ECR::Repository provider. It is an `ecr.IRepository` itself (and `repository` returns
 * it), so ECS, Lambda and every construct that takes a CDK repository take it. Methods that
 * would need a repository policy or lifecycle rule the provider does not write fail the synth
 * and say which property to use instead; `Tags.of(...)` reaches the repository's `Tags`.
 *
 * @example
 * const repo = new OrgEcrRepository(stack, 'Orders', {
 *   applicationName: 'shop',
 *   repositoryBaseName: 'orders-api',
 *   useKmsKey: true,
 *   imagesRetained: 10,
 * });
 * ecs.ContainerImage.fromEcrRepository(repo, 'v1'); // grants pulls to the task execution role
 * repo.grantPush(ciRole);
 */
export class OrgEcrRepository extends ecr.RepositoryBase implements ITaggableV2 {
  /** The CloudFormation type the construct declares. */
  public static readonly RESOURCE_TYPE = RESOURCE_TYPE;
  /** Seconds `serviceTimeout` adds to the provider's timeout. */
  public static readonly SERVICE_TIMEOUT_MARGIN_SECONDS = 60;

  /** This repository, for code written against `ecr.IRepository` (kept for earlier versions' users). */
  public readonly repository: ecr.IRepository;
  /** The repository name (`{prefix}-{application}-{base}`, made ECR-safe). */
  public readonly repositoryName: string;
  /** The repository ARN. */
  public readonly repositoryArn: string;
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
  /** The tags `Tags.of(...)` and `tags` give the repository; rendered into the resource's `Tags`. */
  public readonly cdkTagManager: TagManager;

  private readonly props: OrgEcrRepositoryProps;
  private key?: kms.IKey;

  /**
   * @param scope the construct (usually a stack) to declare the repository in.
   * @param id the construct id.
   * @param props the repository's settings and how to find the provider.
   * @throws InvalidConstructPropsError listing every invalid prop.
   */
  constructor(scope: Construct, id: string, props: OrgEcrRepositoryProps) {
    super(scope, id);
    const problems = checkRepository(props, REPOSITORY_PROP_SUBJECTS, props.provider?.mandatoryTags);
    problems.push(...checkSharingAgainstProvider(props));
    if (props.provider !== undefined && props.serviceToken !== undefined) {
      problems.push('give either `provider` or `serviceToken`, not both: they name the same provider in two ways');
    }
    problems.push(...checkServiceTimeout(props.serviceTimeout, props.provider?.timeout, OrgEcrRepository.SERVICE_TIMEOUT_MARGIN_SECONDS));
    problems.push(...checkRemovalPolicy(props.removalPolicy));
    if (problems.length > 0) throw new InvalidConstructPropsError(this.node.path, problems);
    this.props = props;
    warnShortServiceTimeout(this, props.serviceTimeout, props.provider !== undefined);

    const serviceToken = props.provider?.serviceToken ?? props.serviceToken ?? Fn.importValue(SERVICE_TOKEN_EXPORT_NAME);
    const serviceTimeout = props.serviceTimeout ?? defaultServiceTimeout(props.provider);
    const tokenTags = isUnresolved(props.tags);
    this.cdkTagManager = new TagManager(TagType.KEY_VALUE, RESOURCE_TYPE, tokenTags ? undefined : props.tags);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken,
      resourceType: RESOURCE_TYPE,
      serviceTimeout,
      properties: {
        ...renderProperties(props),
        // Lazy: Tags.of(...) adds tags after construction, when its aspect runs at synth.
        [Property.Tags]: tokenTags ? props.tags : Lazy.any({ produce: () => renderTags(this, props.provider?.mandatoryTags) }),
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.node.addValidation({
      validate: () => {
        if (tokenTags) return this.cdkTagManager.hasTags() ? [TOKEN_TAGS_PROBLEM] : [];
        return validateTags(this, props.provider?.mandatoryTags);
      },
    });
    if (props.provider !== undefined && Stack.of(props.provider) === Stack.of(this)) {
      // Every resource of the provider (function, role, policy, log group): without them a Delete cannot run.
      this.resource.node.addDependency(props.provider);
    }

    this.repositoryName = this.resource.getAttString(Attribute.RepositoryName);
    this.repositoryArn = this.resource.getAttString(Attribute.RepositoryArn);
    this.kmsKeyArn = this.resource.getAttString(Attribute.KmsKeyArn);
    this.arnParameterName = this.resource.getAttString(Attribute.ArnParameterName);
    this.nameParameterName = this.resource.getAttString(Attribute.NameParameterName);
    this.kmsKeyArnParameterName = this.resource.getAttString(Attribute.KmsKeyArnParameterName);
    this.repository = this;
  }

  /** The repository URI the provider returns (`{account}.dkr.ecr.{region}.{suffix}/{name}`). */
  public override get repositoryUri(): string {
    return this.resource.getAttString(Attribute.RepositoryUri);
  }

  /** The registry part of the URI (`{account}.dkr.ecr.{region}.{suffix}`). */
  public override get registryUri(): string {
    return Fn.select(0, Fn.split('/', this.repositoryUri));
  }

  /** The URI of an image by tag, e.g. for `docker pull`; without a tag, the repository URI. */
  public override repositoryUriForTag(tag?: string): string {
    return tag ? `${this.repositoryUri}:${tag}` : this.repositoryUri;
  }

  /** The URI of an image by digest (`sha256:...`); without one, the repository URI. */
  public override repositoryUriForDigest(digest?: string): string {
    return digest ? `${this.repositoryUri}@${digest}` : this.repositoryUri;
  }

  /** The URI of an image by tag, or by digest when it starts with `sha256:`. */
  public override repositoryUriForTagOrDigest(tagOrDigest?: string): string {
    return tagOrDigest?.startsWith('sha256:') ? this.repositoryUriForDigest(tagOrDigest) : this.repositoryUriForTag(tagOrDigest);
  }

  /**
   * The customer-managed key when `useKmsKey` is true; `undefined` without one. ECR uses the key
   * through its own grants: pushing and pulling need no permission on it.
   *
   * @throws InvalidConstructPropsError when `useKmsKey` is a token (unknown until deploy): use `kmsKeyArn`.
   */
  public get encryptionKey(): kms.IKey | undefined {
    const useKmsKey = this.props.useKmsKey;
    if (isUnresolved(useKmsKey)) {
      throw new InvalidConstructPropsError(this.node.path, [
        '`encryptionKey` is unknown at synth because `useKmsKey` is a token; use `kmsKeyArn` (empty without a key) in the same condition as `useKmsKey`',
      ]);
    }
    if (useKmsKey !== true) return undefined;
    this.key ??= kms.Key.fromKeyArn(this, 'Key', this.kmsKeyArn);
    return this.key;
  }

  /**
   * Not supported: the repository policy is the provider's.
   *
   * @throws InvalidConstructPropsError always, saying what to use instead.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    throw new InvalidConstructPropsError(this.node.path, [
      `addToResourcePolicy is not supported (statement: ${JSON.stringify(this.stack.resolve(statement.toStatementJson()))}): the repository policy is the provider's, ` +
        'which rewrites its own statement on every Update. Use the grant methods for principals of this account, `shareableWithAllEnvs: true` for the environment accounts, ' +
        'or lambda.DockerImageCode.fromEcr for Lambda',
    ]);
  }

  /**
   * Not supported: the lifecycle policy is the provider's.
   *
   * @throws InvalidConstructPropsError always, saying what to use instead.
   */
  public addLifecycleRule(rule: ecr.LifecycleRule): void {
    throw new InvalidConstructPropsError(this.node.path, [
      `addLifecycleRule is not supported (rule: ${JSON.stringify(rule)}): the lifecycle policy is the provider's, which rewrites it on every Update. ` +
        'Set `imagesRetained` to keep the N most recently pushed images',
    ]);
  }

  /**
   * `RETAIN`, `RETAIN_ON_UPDATE_OR_DELETE` or `DESTROY`, as the `removalPolicy` prop.
   *
   * @throws InvalidConstructPropsError for `SNAPSHOT`.
   */
  public override applyRemovalPolicy(policy: RemovalPolicy): void {
    const problems = checkRemovalPolicy(policy);
    if (problems.length > 0) throw new InvalidConstructPropsError(this.node.path, problems);
    this.resource.applyRemovalPolicy(policy);
  }

  /**
   * Grants `actions` on this repository: on the grantee's IAM policy for principals of this
   * account; for another account, read-only actions when `shareableWithAllEnvs` shares the
   * repository with it. Fails the synth for anything the provider's repository policy does not allow.
   */
  public override grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return grantOnRepository(this.grantTarget(), grantee, actions);
  }

  /**
   * Lets the grantee pull images (and `ecr:GetAuthorizationToken`). No key permission: ECR
   * decrypts through its own grant. For ECS, `ContainerImage.fromEcrRepository(repo)` calls this
   * with the task execution role, the role that pulls; for Lambda, `DockerImageCode.fromEcr`.
   */
  public override grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.withAuthorizationToken(grantee, this.grant(grantee, ...PULL_ACTIONS));
  }

  /** Lets the grantee push images (and `ecr:GetAuthorizationToken`); principals of this account only. */
  public override grantPush(grantee: iam.IGrantable): iam.Grant {
    return this.withAuthorizationToken(grantee, this.grant(grantee, ...PUSH_ACTIONS));
  }

  /** Lets the grantee pull and push images (and `ecr:GetAuthorizationToken`); principals of this account only. */
  public override grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.withAuthorizationToken(grantee, this.grant(grantee, ...new Set([...PULL_ACTIONS, ...PUSH_ACTIONS])));
  }

  /** Lets the grantee describe the repository and its images. */
  public override grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...READ_ACTIONS);
  }

  private withAuthorizationToken(grantee: iam.IGrantable, grant: iam.Grant): iam.Grant {
    return isServicePrincipal(grantee) ? grant : grant.combine(grantAuthorizationToken(grantee));
  }

  private grantTarget(): GrantTarget {
    return {
      scope: this,
      repositoryArn: this.repositoryArn,
      ownerAccount: this.stack.account,
      shareableWithAllEnvs: this.props.shareableWithAllEnvs,
      shareWithOrganization: this.props.shareWithOrganization,
      shareWithOrganizationalUnitPaths: this.props.shareWithOrganizationalUnitPaths,
      environmentAccounts: this.props.provider?.environmentAccounts === undefined ? undefined : Object.values(this.props.provider.environmentAccounts),
    };
  }
}

const TOKEN_TAGS_PROBLEM =
  '`tags` is a token (one CloudFormation value), so the tags Tags.of(...) adds cannot be merged into it; give those tags in `tags` too, or exclude Custom::OrgEcrRepository from Tags.of(...)';

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
  if (props.imageTagMutability !== undefined) properties[Property.ImageTagMutability] = props.imageTagMutability;
  if (props.imageTagMutabilityExclusionFilters !== undefined) properties[Property.ImageTagMutabilityExclusionFilters] = props.imageTagMutabilityExclusionFilters;
  if (props.shareWithOrganization !== undefined) properties[Property.ShareWithOrganization] = props.shareWithOrganization;
  if (props.shareWithOrganizationalUnitPaths !== undefined) properties[Property.ShareWithOrganizationalUnitPaths] = props.shareWithOrganizationalUnitPaths;
  if (props.lambdaPullFromEnvs !== undefined) properties[Property.LambdaPullFromEnvs] = props.lambdaPullFromEnvs;
  return properties;
}

/**
 * Organisation and OU sharing against the provider in the same app: refused at synth when it
 * has no `organizationId`, or for a unit of another organisation, as a deploy would refuse it.
 */
function checkSharingAgainstProvider(props: OrgEcrRepositoryProps): string[] {
  const provider = props.provider;
  if (provider === undefined || (provider.hasOrganizationId && provider.organizationId === undefined)) return [];
  const paths = props.shareWithOrganizationalUnitPaths;
  const known = (value: unknown) => value !== undefined && !isUnresolved(value);
  const request = {
    shareWithOrganization: known(props.shareWithOrganization) && props.shareWithOrganization === true,
    organizationalUnitPaths: known(paths) && Array.isArray(paths) ? (checkOrganizationalUnitPaths('shareWithOrganizationalUnitPaths', paths.filter((path) => !isUnresolved(path))) as { value?: string[] }).value ?? [] : [],
  };
  const problems = sharingProblems(request, provider.organizationId, { organization: 'shareWithOrganization', paths: 'shareWithOrganizationalUnitPaths' });
  return problems.map((problem) => problem.replace(/\(`ORG_ORGANIZATION_ID`: CDK `organizationId`, template parameter `OrganizationId`\)/, '(the provider\'s `organizationId` prop)'));
}
