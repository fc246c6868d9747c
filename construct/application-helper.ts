import type { Environment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Setting } from '../handler/src/contract';
import { checkNamePart, show } from '../handler/src/props/rules';
import { InvalidConfigurationError } from './errors';
import { checkSettings, type SettingSubjects } from './validation';

/** One environment of the `environments` context entry. */
export interface EnvironmentConfiguration {
  /** The environment's 12-digit AWS account id. */
  readonly account: string;
  /** The environment's AWS Region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The environment's configuration, read with `getFromEnv(key)`; the EcrBuilder's entries
   * keep the seed's shape, e.g. `{"ecr": {"repository_name": {"use_kms_key": true}}}`.
   *
   * @default - no configuration
   */
  readonly config?: Record<string, any>;
}

/** Props of {@link ApplicationHelper}. */
export interface ApplicationHelperProps {
  /**
   * The environment to use, instead of the `env` context value.
   *
   * @default - the `env` context value (`-c env=NAME`, else cdk.json's `"env"`); without one, the only environment when `environments` has exactly one
   */
  readonly environmentName?: string;
}

const ENVIRONMENT_KEYS = ['account', 'region', 'config'] as const;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** Settings problems named by the context keys they come from. */
const CONTEXT_SUBJECTS: SettingSubjects = {
  [Setting.OrganizationPrefix]: 'organizationPrefix',
  [Setting.EnvironmentAccounts]: 'environments',
  [Setting.MandatoryTags]: 'mandatoryTags',
  [Setting.KmsKeyRotation]: 'kmsKeyRotation',
  [Setting.KmsKeyDeletionWindowDays]: 'kmsKeyDeletionWindowDays',
  [Setting.ParameterPrefix]: 'parameterPrefix',
  [Setting.ImageTagMutability]: 'imageTagMutability',
  [Setting.ImageTagMutabilityExclusionFilters]: 'imageTagMutabilityExclusionFilters',
  [Setting.UntaggedImageExpiryDays]: 'untaggedImageExpiryDays',
  [Setting.RequireKmsKey]: 'requireKmsKey',
  [Setting.OrganizationId]: 'provider.organizationId',
};

/**
 * The seed's application helper: reads the organisation prefix, the application name, the
 * environments (name to account, Region and configuration) from the `cdk.json` context,
 * and picks the environment named by `-c env=NAME` (or the only one, when there is one).
 *
 * Context shape (cdk.json):
 * ```json
 * {
 *   "env": "dev",
 *   "organizationPrefix": "acme",
 *   "applicationName": "shop",
 *   "environments": {
 *     "dev": { "account": "111111111111", "region": "eu-west-1",
 *              "config": { "ecr": { "repository_name": { "use_kms_key": true, "images_retained": 10, "shareable_with_all_envs": true } } } }
 *   }
 * }
 * ```
 *
 * @example
 * const appHelper = new ApplicationHelper(app);
 * const stack = new Stack(app, 'Shop', { env: appHelper.environment });
 * const ecrConfig = appHelper.getFromEnv('ecr');
 */
export class ApplicationHelper {
  /** Context key naming the chosen environment (`-c env=NAME`). */
  public static readonly ENVIRONMENT_CONTEXT_KEY = 'env';
  /** Context key of the organisation prefix every repository name starts with. */
  public static readonly ORGANIZATION_PREFIX_CONTEXT_KEY = 'organizationPrefix';
  /** Context key of the application name (the repository name's middle part). */
  public static readonly APPLICATION_NAME_CONTEXT_KEY = 'applicationName';
  /** Context key of the environments: name to account, Region and configuration. */
  public static readonly ENVIRONMENTS_CONTEXT_KEY = 'environments';

  /** The organisation prefix, from the `organizationPrefix` context key. */
  public readonly organizationPrefix: string;
  /** The application name, from the `applicationName` context key. */
  public readonly applicationName: string;
  /** The chosen environment's name. */
  public readonly environmentName: string;
  /** Every environment, by name. */
  public readonly environments: Record<string, EnvironmentConfiguration>;

  /**
   * @param scope the app (or any construct in it) whose context to read.
   * @param props the environment to use, instead of the `env` context value.
   * @throws InvalidConfigurationError listing every problem of the context, each naming its key.
   */
  constructor(scope: IConstruct, props: ApplicationHelperProps = {}) {
    const context = (key: string): unknown => scope.node.tryGetContext(key);
    const problems: string[] = [];

    const prefix = context(ApplicationHelper.ORGANIZATION_PREFIX_CONTEXT_KEY);
    const applicationName = context(ApplicationHelper.APPLICATION_NAME_CONTEXT_KEY);
    const environments = readEnvironments(context(ApplicationHelper.ENVIRONMENTS_CONTEXT_KEY), problems);
    const environmentAccounts = Object.fromEntries(Object.entries(environments).map(([name, environment]) => [name, environment.account]));
    if (typeof prefix !== 'string') problems.push(`\`organizationPrefix\` must be set in the cdk.json context, e.g. "acme"; got: ${show(prefix)}`);
    problems.push(...checkSettings({ organizationPrefix: typeof prefix === 'string' ? prefix : 'placeholder', environmentAccounts }, CONTEXT_SUBJECTS));
    const application = checkNamePart('applicationName', applicationName);
    if (!application.ok) problems.push(`${application.problem} (cdk.json context)`);

    const known = Object.keys(environments);
    // One environment is no choice: `-c env=` would only repeat it.
    const environmentName = props.environmentName ?? context(ApplicationHelper.ENVIRONMENT_CONTEXT_KEY) ?? (known.length === 1 ? known[0] : undefined);
    if (typeof environmentName !== 'string' || environmentName === '') {
      problems.push(`\`env\` is not set: choose the environment with -c env=NAME (one of: ${known.join(', ') || 'none defined'}), or set "env" in the cdk.json context`);
    } else if (known.length > 0 && !(environmentName in environments)) {
      problems.push(`\`env\` names an environment the cdk.json context does not define: ${show(environmentName)}; choose one of: ${known.join(', ')}`);
    }
    if (problems.length > 0) throw new InvalidConfigurationError(problems);

    this.organizationPrefix = prefix as string;
    this.applicationName = applicationName as string;
    this.environmentName = environmentName as string;
    this.environments = environments;
  }

  /** The chosen environment's account. */
  public get account(): string {
    return this.current.account;
  }

  /** The chosen environment's Region. */
  public get region(): string {
    return this.current.region;
  }

  /** The chosen environment as a stack `env`. */
  public get environment(): Environment {
    return { account: this.current.account, region: this.current.region };
  }

  /** Environment name to account id, for the provider's `environmentAccounts`. */
  public environmentAccounts(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.environments).map(([name, environment]) => [name, environment.account]));
  }

  /**
   * The chosen environment's configuration for `key`, e.g. the EcrBuilder config.
   *
   * @param key the key under `environments.{env}.config`, e.g. `ecr`.
   * @throws InvalidConfigurationError naming the environment and the keys it does have.
   */
  public getFromEnv(key: string): any {
    const config = this.current.config ?? {};
    if (!(key in config)) {
      const keys = Object.keys(config);
      throw new InvalidConfigurationError([
        `\`environments.${this.environmentName}.config\` has no key ${show(key)}; it has: ${keys.length > 0 ? keys.join(', ') : 'nothing'}`,
      ]);
    }
    return config[key];
  }

  private get current(): EnvironmentConfiguration {
    return this.environments[this.environmentName] as EnvironmentConfiguration;
  }
}

function readEnvironments(value: unknown, problems: string[]): Record<string, EnvironmentConfiguration> {
  if (!isObject(value) || Object.keys(value).length === 0) {
    problems.push(
      `\`environments\` must be a non-empty object of environment name to {"account", "region", "config"} in the cdk.json context; got: ${show(value)}`,
    );
    return {};
  }
  const environments: Record<string, EnvironmentConfiguration> = {};
  for (const [name, entry] of Object.entries(value)) {
    const where = `environments.${name}`;
    if (!isObject(entry)) {
      problems.push(`\`${where}\` must be an object {"account", "region", "config"}; got: ${show(entry)}`);
      continue;
    }
    const unknown = Object.keys(entry).filter((key) => !(ENVIRONMENT_KEYS as readonly string[]).includes(key));
    for (const key of unknown) problems.push(`\`${where}.${key}\` is not a known key (known: ${ENVIRONMENT_KEYS.join(', ')}); got: ${show(entry[key])}`);
    // The 12-digit rule is the provider's (checked through checkSettings); only the type is checked here.
    if (typeof entry.account !== 'string') problems.push(`\`${where}.account\` must be a 12-digit account id in quotes; got: ${show(entry.account)}`);
    if (typeof entry.region !== 'string' || !REGION.test(entry.region)) {
      problems.push(`\`${where}.region\` must be an AWS Region such as "eu-west-1"; got: ${show(entry.region)}`);
    }
    if (entry.config !== undefined && !isObject(entry.config)) problems.push(`\`${where}.config\` must be an object; got: ${show(entry.config)}`);
    environments[name] = {
      account: String(entry.account),
      region: String(entry.region),
      config: isObject(entry.config) ? entry.config : {},
    };
  }
  return environments;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
