import { CfnOutput, Duration, Stack, Tags, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { HANDLER_ENTRY, PROVIDER_FUNCTION_TAG, PROVIDER_ROLE_ARN_ENV, PROVIDER_ROLE_PATH, SERVICE_TOKEN_EXPORT_NAME, SERVICE_TOKEN_PARAMETER_NAME, Setting, SettingDefault } from '../handler/src/contract';
import { show } from '../handler/src/props/rules';
import { InvalidConstructPropsError } from './errors';
import { handlerBundleDirectory } from './handler-bundle';
import { acknowledgeWildcardResources } from './nag';
import { providerStatements } from './provider-policy';
import { checkSettings, isUnresolved, PROVIDER_PROP_SUBJECTS, repositoryDefaultsEnvironment, resolvedEntries } from './validation';

/** Props of {@link OrgEcrRepositoryProvider}: the organisation's settings and the function's sizing. */
export interface OrgEcrRepositoryProviderProps {
  /**
   * The organisation prefix every repository name starts with: 1 to 64 lowercase letters,
   * digits and single hyphens, starting with a letter. The provider's IAM permissions are
   * scoped to repositories, aliases and keys under this prefix.
   */
  readonly organizationPrefix: string;

  /**
   * Environment name to 12-digit account id. Repositories with `ShareableWithAllEnvs` grant
   * read-only pulls to every one of these accounts other than the owner.
   *
   * @default - no environments: repositories are never shared
   */
  readonly environmentAccounts?: Record<string, string>;

  /**
   * Organisational tags applied to every repository, key and parameter; consumers may
   * repeat them with the same value but never override them.
   *
   * @default - no organisational tags
   */
  readonly mandatoryTags?: Record<string, string>;

  /**
   * Whether customer-managed keys rotate yearly.
   *
   * @default false (as the seed says: rotation has a cost)
   */
  readonly kmsKeyRotation?: boolean;

  /**
   * Days from 7 to 30 a deleted repository's key waits before KMS destroys it.
   *
   * @default 30
   */
  readonly kmsKeyDeletionWindowDays?: number;

  /**
   * SSM path the repository parameters are written under, e.g. `/platform/ecr`.
   *
   * @default '' - no prefix: the seed's exact names (`ECR_{BASE}_arn`, ...)
   */
  readonly parameterPrefix?: string;

  /**
   * The tag mutability of every repository that sets none: `IMMUTABLE` (Security Hub ECR.2
   * passes), `IMMUTABLE_WITH_EXCLUSION` (with `imageTagMutabilityExclusionFilters`; AWS does not
   * document it as passing ECR.2) or `MUTABLE` (fails ECR.2). Reaches an existing repository at
   * its stack's next update.
   *
   * @default 'IMMUTABLE'
   */
  readonly imageTagMutability?: 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' | 'MUTABLE';

  /**
   * Tags or wildcard patterns (1 to 5, e.g. `['latest']`) that stay movable in a repository with
   * `IMMUTABLE_WITH_EXCLUSION` that gives no filters of its own. Required when
   * `imageTagMutability` is `IMMUTABLE_WITH_EXCLUSION`.
   *
   * @default - none
   */
  readonly imageTagMutabilityExclusionFilters?: string[];

  /**
   * Days after push an untagged image expires, in every repository (1 to 3650): every
   * repository then has a lifecycle policy (Security Hub ECR.3). `0` switches the rule off: a
   * repository without `ImagesRetained` then has no lifecycle policy, as in the seed.
   *
   * @default 14
   */
  readonly untaggedImageExpiryDays?: number;

  /**
   * Every new repository gets a customer-managed KMS key unless it says `UseKmsKey: false`,
   * which then fails with a message (AWS Config `ecr-repository-cmk-encryption-enabled`).
   * Existing AES256 repositories keep AES256 (ECR cannot change it in place) until replaced.
   *
   * @default false
   */
  readonly requireKmsKey?: boolean;

  /**
   * The AWS Organizations id (`o-` and 10 to 32 lowercase letters or digits) that repositories
   * with `ShareWithOrganization` or `ShareWithOrganizationalUnitPaths` share within. Set by the
   * platform team, never by a team: a repository can only be shared inside this organisation.
   *
   * @default - none: organisation and OU sharing are refused with a message naming this setting
   */
  readonly organizationId?: string;

  /**
   * Memory of the provider function in MB. Measured by `npm run bench` (docs/performance.md):
   * a cold Create peaks at 57 MiB resident on Node 20 and 70 MiB on Node 24, so 128 MB would
   * fit. 256 MB is chosen because Lambda gives CPU in proportion to memory and the cold path is
   * CPU-bound (loading and first use of the SDK, about 75 ms of a full core): twice the memory
   * halves that wait at about the same price per request, and leaves room for a heavier event.
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * The provider function's timeout. Measured by `npm run bench`: a request is 2 to 3 rounds of
   * AWS calls (well under a second), and 100 Creates at once with 30% of calls throttled finish
   * at p95 2.6 s; but the SDK's throttling backoff allows up to 8 attempts per call with waits
   * of up to 20 s, so a sustained throttling storm can hold one call for about a minute.
   * Five minutes covers several such calls plus the handler's reserves (it stops 20 s before
   * the deadline to clean up and answers CloudFormation 5 s before it), and still surfaces a
   * crash in minutes: `OrgEcrRepository` sets its `serviceTimeout` a minute above this.
   *
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * How long the provider's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The provider's code. Pass it only to deploy the bundle from elsewhere, e.g.
   * `lambda.Code.fromBucket(...)` in a raw template with the bucket as a parameter.
   *
   * @default - the prebuilt bundle shipped in this package (handler/dist)
   */
  readonly code?: lambda.Code;

  /**
   * Whether to publish the ServiceToken as the stack export `OrgEcrRepositoryServiceToken`
   * and the SSM parameter `/org-ecr/service-token`. Both names are unique per account and
   * Region, so only one provider there may publish.
   *
   * @default true
   */
  readonly publishServiceToken?: boolean;

  /**
   * A permissions boundary for the provider role, for platforms that require one on every role.
   * `OrgEcrProviderBoundary` is the recommended one: it still allows every call the provider
   * makes (proven by the IAM simulation in the tests).
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * The platform team's construct: deploys the Org::ECR::Repository provider Lambda from the
 * prebuilt bundle, with a least-privilege role, its own log group and the organisation's
 * settings, and publishes its ServiceToken for the account.
 *
 * @example
 * new OrgEcrRepositoryProvider(stack, 'Provider', {
 *   organizationPrefix: 'acme',
 *   environmentAccounts: { dev: '111111111111', prod: '222222222222' },
 *   mandatoryTags: { 'cost-center': 'platform' },
 * });
 */
export class OrgEcrRepositoryProvider extends Construct {
  /** The function's memory in MB when `memorySize` is not given. */
  public static readonly DEFAULT_MEMORY_SIZE = 256;
  /** The log retention in days when `logRetention` is not given (one year). */
  public static readonly DEFAULT_LOG_RETENTION_DAYS = 365;
  /** The function's timeout in seconds when `timeout` is not given. */
  public static readonly DEFAULT_TIMEOUT_SECONDS = 300;

  /** The ServiceToken custom resources use: the function's ARN. */
  public readonly serviceToken: string;
  /** The provider function. */
  public readonly lambdaFunction: lambda.IFunction;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The policy holding every permission of the role. */
  public readonly policy: iam.Policy;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's timeout; `OrgEcrRepository` derives its `serviceTimeout` from it. */
  public readonly timeout: Duration;
  /** The organisation's mandatory tags known at synth (consumers' tags are checked against them). */
  public readonly mandatoryTags: Record<string, string>;
  /** The organisation id when known at synth (consumers' organisation and OU sharing are checked against it). */
  public readonly organizationId?: string;
  /** Whether the organisation id is set at all (a token counts: it is set, only unknown until deploy). */
  public readonly hasOrganizationId: boolean;
  /**
   * Environment name to account id, when every entry is known at synth (repositories check
   * cross-account grants against it); `undefined` when any of it is a token.
   */
  public readonly environmentAccounts?: Record<string, string>;
  /** Whether this provider publishes the account's ServiceToken (export and SSM parameter). */
  public readonly publishesServiceToken: boolean;

  /**
   * @param scope the stack to deploy the provider in (one per account and Region publishes the ServiceToken).
   * @param id the construct id.
   * @param props the organisation's settings and the function's sizing.
   * @throws InvalidConstructPropsError listing every invalid prop.
   */
  constructor(scope: Construct, id: string, props: OrgEcrRepositoryProviderProps) {
    super(scope, id);
    const problems = checkSettings(props, PROVIDER_PROP_SUBJECTS);
    if (props.memorySize !== undefined && !isUnresolved(props.memorySize) && !(Number.isInteger(props.memorySize) && props.memorySize >= 128 && props.memorySize <= 10240)) {
      problems.push(`\`memorySize\` must be a whole number of MB from 128 to 10240; got: ${show(props.memorySize)}`);
    }
    this.publishesServiceToken = props.publishServiceToken ?? true;
    if (this.publishesServiceToken) problems.push(...otherPublishers(this));
    if (problems.length > 0) throw new InvalidConstructPropsError(this.node.path, problems);

    this.timeout = props.timeout ?? Duration.seconds(OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS);
    // A token map is unknown until deploy: consumers' tags are then checked by the provider only.
    this.mandatoryTags = resolvedEntries(props.mandatoryTags);
    if (props.organizationId !== undefined && !isUnresolved(props.organizationId) && props.organizationId.trim() !== '') this.organizationId = props.organizationId.trim();
    this.hasOrganizationId = props.organizationId !== undefined && (isUnresolved(props.organizationId) || props.organizationId.trim() !== '');
    const accounts = props.environmentAccounts ?? {};
    this.environmentAccounts = isUnresolved(accounts) || Object.keys(resolvedEntries(accounts)).length !== Object.keys(accounts).length ? undefined : { ...accounts };
    const parameterPrefix = props.parameterPrefix ?? SettingDefault.ParameterPrefix;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention ?? (OrgEcrRepositoryProvider.DEFAULT_LOG_RETENTION_DAYS as logs.RetentionDays) });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // The organisation guardrail exempts the provider by this path, in every account.
      path: PROVIDER_ROLE_PATH,
      ...(props.permissionsBoundary === undefined ? {} : { permissionsBoundary: props.permissionsBoundary }),
      description: 'Org::ECR::Repository provider: manages the organisation ECR repositories, their KMS keys and SSM parameters',
    });
    const statements = providerStatements(this, {
      organizationPrefix: props.organizationPrefix,
      parameterPrefix,
      logGroupArn: this.logGroup.logGroupArn,
    });
    this.policy = new iam.Policy(this, 'Policy', { statements: statements.map(({ statement }) => statement), roles: [this.role] });
    acknowledgeWildcardResources(this.policy, statements);

    const fn = new lambda.Function(this, 'Function', {
      description: 'Org::ECR::Repository CloudFormation custom resource provider',
      // NODEJS_24_X is in aws-cdk-lib from 2.22x on (2.225.0 has it, 2.220.0 not); our peer range starts lower.
      runtime: lambda.Runtime.NODEJS_24_X ?? new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
      architecture: lambda.Architecture.ARM_64,
      code: props.code ?? lambda.Code.fromAsset(handlerBundleDirectory()),
      handler: HANDLER_ENTRY,
      memorySize: props.memorySize ?? OrgEcrRepositoryProvider.DEFAULT_MEMORY_SIZE,
      timeout: this.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: settingsEnvironment(this, props),
    });
    // Every key the provider creates names this role in its key policy (see contract.ts).
    fn.addEnvironment(PROVIDER_ROLE_ARN_ENV, this.role.roleArn);
    // The organisation guardrail protects the function by this tag (its name is generated).
    Tags.of(fn).add(PROVIDER_FUNCTION_TAG.key, PROVIDER_FUNCTION_TAG.value);
    this.lambdaFunction = fn;
    this.serviceToken = fn.functionArn;

    if (this.publishesServiceToken) {
      new CfnOutput(this, 'ServiceToken', {
        description: 'ServiceToken of Custom::OrgEcrRepository resources in this account and Region',
        value: this.serviceToken,
        exportName: SERVICE_TOKEN_EXPORT_NAME,
      });
      new ssm.StringParameter(this, 'ServiceTokenParameter', {
        description: 'ServiceToken of Custom::OrgEcrRepository resources in this account and Region',
        parameterName: SERVICE_TOKEN_PARAMETER_NAME,
        stringValue: this.serviceToken,
      });
    }
  }
}

/**
 * Another publishing provider where this one's export and parameter names would clash: in the
 * same stack, or in a stack of the same known account and Region. CloudFormation would only
 * say so at deploy, after the first stack deployed.
 */
function otherPublishers(provider: OrgEcrRepositoryProvider): string[] {
  const stack = Stack.of(provider);
  const clash = (other: Stack) =>
    other === stack ||
    (!Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region) && other.account === stack.account && other.region === stack.region);
  return provider.node.root.node
    .findAll()
    .filter((node): node is OrgEcrRepositoryProvider => node !== provider && node instanceof OrgEcrRepositoryProvider && node.publishesServiceToken)
    .filter((other) => clash(Stack.of(other)))
    .map(
      (other) =>
        `only one provider per account and Region may publish the ServiceToken (export \`${SERVICE_TOKEN_EXPORT_NAME}\`, parameter \`${SERVICE_TOKEN_PARAMETER_NAME}\`), and ${other.node.path} already does` +
        `${Stack.of(other) === stack ? ' in the same stack' : ` in ${stack.account}/${stack.region}`}; set \`publishServiceToken: false\` on this one and pass it to repositories with \`provider\``,
    );
}

/** The Lambda environment the handler reads its settings from (contract `Setting`). */
function settingsEnvironment(scope: Construct, props: OrgEcrRepositoryProviderProps): Record<string, string> {
  const stack = Stack.of(scope);
  const jsonMap = (map: Record<string, string> | undefined) => {
    // A whole-map token (a JSON CfnParameter) is passed through as the text it resolves to.
    if (isUnresolved(map)) return Token.asString(map);
    return stack.toJsonString(map ?? {});
  };
  const rotation = props.kmsKeyRotation ?? SettingDefault.KmsKeyRotation;
  const window = props.kmsKeyDeletionWindowDays ?? SettingDefault.KmsKeyDeletionWindowDays;
  const environment: Record<string, string> = {
    [Setting.OrganizationPrefix]: props.organizationPrefix,
    [Setting.EnvironmentAccounts]: jsonMap(props.environmentAccounts),
    [Setting.MandatoryTags]: jsonMap(props.mandatoryTags),
    [Setting.KmsKeyRotation]: isUnresolved(rotation) ? Token.asString(rotation) : String(rotation),
    [Setting.KmsKeyDeletionWindowDays]: isUnresolved(window) ? Tokenization.stringifyNumber(window) : String(window),
  };
  // Absent means the default (no prefix); an empty variable would say the same less clearly.
  const parameterPrefix = props.parameterPrefix ?? SettingDefault.ParameterPrefix;
  if (isUnresolved(parameterPrefix) || parameterPrefix.trim() !== '') environment[Setting.ParameterPrefix] = parameterPrefix;
  if (props.organizationId !== undefined && (isUnresolved(props.organizationId) || props.organizationId.trim() !== '')) environment[Setting.OrganizationId] = props.organizationId;
  return { ...environment, ...repositoryDefaultsTokens(props), ...repositoryDefaultsEnvironment(props) };
}

/** Repository defaults given as tokens (the raw provider template's parameters), as the text they resolve to. */
function repositoryDefaultsTokens(props: OrgEcrRepositoryProviderProps): Record<string, string> {
  const tokens: Record<string, string> = {};
  if (isUnresolved(props.imageTagMutability)) tokens[Setting.ImageTagMutability] = Token.asString(props.imageTagMutability);
  const filters = props.imageTagMutabilityExclusionFilters;
  // A whole-list token (the raw template's comma-separated String parameter) is passed through as its text.
  if (isUnresolved(filters)) tokens[Setting.ImageTagMutabilityExclusionFilters] = Token.asString(filters);
  if (isUnresolved(props.untaggedImageExpiryDays)) tokens[Setting.UntaggedImageExpiryDays] = Tokenization.stringifyNumber(props.untaggedImageExpiryDays as number);
  if (isUnresolved(props.requireKmsKey)) tokens[Setting.RequireKmsKey] = Token.asString(props.requireKmsKey);
  return tokens;
}
