import type { Construct } from 'constructs';
import { checkBoolean, checkExclusionFilters, checkImagesRetained, type Checked, checkTagMutability, show } from '../handler/src/props/rules';
import type { ApplicationHelper } from './application-helper';
import { BuilderUsageError, InvalidConfigurationError } from './errors';
import type { OrgEcrRepositoryProvider } from './provider';
import { OrgEcrRepository } from './repository';
import { checkOrganizationalUnitPaths } from '../handler/src/props/sharing';
import { checkRepository } from './validation';

/** The seed's per-repository config keys, snake_case as in the seed's `EcrConfig`. */
const CONFIG_KEYS = [
  'use_kms_key',
  'images_retained',
  'shareable_with_all_envs',
  'image_tag_mutability',
  'image_tag_mutability_exclusion_filters',
  'share_with_organization',
  'share_with_organizational_unit_paths',
  'lambda_pull_from_envs',
] as const;

/**
 * The seed's EcrBuilder in TypeScript's camelCase: builds an {@link OrgEcrRepository} from
 * the application helper and the seed's config shape.
 *
 * @example
 * const ecrConfig = appHelper.getFromEnv('ecr');
 * const ecrRepo = new EcrBuilder()
 *   .setApplicationHelper(appHelper)
 *   .setBuilderConfig(ecrConfig)
 *   .setEcrRepoBaseName('repository_name')
 *   .build(stack);
 */
export class EcrBuilder {
  private applicationHelper?: ApplicationHelper;
  private builderConfig?: unknown;
  private ecrRepoBaseName?: string;
  private provider?: OrgEcrRepositoryProvider;
  private serviceToken?: string;

  /**
   * The helper giving the application name (and, through it, the environment's config).
   *
   * @jsii ignore jsii reserves setXxx names (Java setters): see withApplicationHelper
   */
  public setApplicationHelper(applicationHelper: ApplicationHelper): EcrBuilder {
    this.applicationHelper = applicationHelper;
    return this;
  }

  /**
   * The seed's config: repository base name to its settings, e.g.
   * `{"repository_name": {"use_kms_key": true, "images_retained": 10, "shareable_with_all_envs": true}}`, plus
   * `image_tag_mutability` and `image_tag_mutability_exclusion_filters` (e.g. `["latest"]`).
   *
   * @jsii ignore jsii reserves setXxx names (Java setters): see withBuilderConfig
   */
  public setBuilderConfig(builderConfig: any): EcrBuilder {
    this.builderConfig = builderConfig;
    return this;
  }

  /**
   * The config key of the repository to build; it becomes the repository's base name.
   *
   * @jsii ignore jsii reserves setXxx names (Java setters): see withEcrRepoBaseName
   */
  public setEcrRepoBaseName(ecrRepoBaseName: string): EcrBuilder {
    this.ecrRepoBaseName = ecrRepoBaseName;
    return this;
  }

  /**
   * The provider to use instead of the account's published ServiceToken (e.g. one in the same app).
   *
   * @jsii ignore jsii reserves setXxx names (Java setters): see withProvider
   */
  public setProvider(provider: OrgEcrRepositoryProvider): EcrBuilder {
    this.provider = provider;
    return this;
  }

  /**
   * The provider's ServiceToken, instead of the account's published one.
   *
   * @jsii ignore jsii reserves setXxx names (Java setters): see withServiceToken
   */
  public setServiceToken(serviceToken: string): EcrBuilder {
    this.serviceToken = serviceToken;
    return this;
  }

  /**
   * Not supported: the abstract builder's usage selects between resource flavours, but an
   * organisation repository has exactly one (scan on push, read-only sharing, standard
   * naming), fixed by the provider.
   *
   * @throws BuilderUsageError always.
   * @jsii ignore jsii reserves setXxx names (Java setters): see withUsage
   */
  public setUsage(usage: string): EcrBuilder {
    throw new BuilderUsageError(
      `EcrBuilder does not use setUsage (got: ${show(usage)}): an organisation repository has one standard form, set by the provider ` +
        '(scan on push, read-only cross-account pulls, standard naming); remove the call and describe the repository in its config entry instead.',
    );
  }

  /**
   * Builds the repository.
   *
   * @param scope the stack (or other construct) to build the repository in.
   * @param id the construct id; default `EcrRepository-{base name}`.
   * @throws BuilderUsageError naming every missing piece and the call that sets it.
   * @throws InvalidConfigurationError naming every bad config key and its value.
   * @jsii ignore jsii reserves build (Java's generated builders): see buildRepository
   */
  public build(scope: Construct, id?: string): OrgEcrRepository {
    const missing: string[] = [];
    if (this.applicationHelper === undefined) missing.push('the application helper: call setApplicationHelper(appHelper)');
    if (this.builderConfig === undefined || this.builderConfig === null) missing.push("the builder config: call setBuilderConfig(appHelper.getFromEnv('<config key>'))");
    if (this.ecrRepoBaseName === undefined) missing.push("the repository base name: call setEcrRepoBaseName('<key of the builder config>')");
    if (missing.length > 0) throw new BuilderUsageError(`EcrBuilder.build() is missing ${missing.join('; ')}`);

    const baseName = this.ecrRepoBaseName as string;
    const entry = this.configEntry(baseName);
    // Validated above; the rules also coerce (a JSON "true" becomes true).
    const value = <T>(checked: Checked<T>): T => (checked as { value: T }).value;
    return new OrgEcrRepository(scope, id ?? `EcrRepository-${baseName}`, {
      applicationName: (this.applicationHelper as ApplicationHelper).applicationName,
      repositoryBaseName: baseName,
      ...(entry.use_kms_key === undefined ? {} : { useKmsKey: value(checkBoolean('use_kms_key', entry.use_kms_key)) }),
      ...(entry.images_retained === undefined ? {} : { imagesRetained: value(checkImagesRetained('images_retained', entry.images_retained)) }),
      ...(entry.shareable_with_all_envs === undefined ? {} : { shareableWithAllEnvs: value(checkBoolean('shareable_with_all_envs', entry.shareable_with_all_envs)) }),
      ...(entry.image_tag_mutability === undefined ? {} : { imageTagMutability: value(checkTagMutability('image_tag_mutability', entry.image_tag_mutability)) }),
      ...(entry.image_tag_mutability_exclusion_filters === undefined
        ? {}
        : { imageTagMutabilityExclusionFilters: [...value(checkExclusionFilters('image_tag_mutability_exclusion_filters', entry.image_tag_mutability_exclusion_filters))] }),
      ...(entry.share_with_organization === undefined ? {} : { shareWithOrganization: value(checkBoolean('share_with_organization', entry.share_with_organization)) }),
      ...(entry.share_with_organizational_unit_paths === undefined
        ? {}
        : { shareWithOrganizationalUnitPaths: value(checkOrganizationalUnitPaths('share_with_organizational_unit_paths', entry.share_with_organizational_unit_paths)) }),
      ...(entry.lambda_pull_from_envs === undefined ? {} : { lambdaPullFromEnvs: value(checkBoolean('lambda_pull_from_envs', entry.lambda_pull_from_envs)) }),
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.serviceToken === undefined ? {} : { serviceToken: this.serviceToken }),
    });
  }

  // -------------------------------------------------------------------------------------
  // The same calls under names jsii accepts in every CDK language: jsii rejects `setXxx`
  // (Java property setters) and `build` (Java's generated builders). The Python package adds
  // the seed's names back (`set_application_helper`, ..., `build`) as aliases of these.

  /**
   * Same as `setApplicationHelper`: the helper giving the application name.
   *
   * @param applicationHelper the helper made from the app, `new ApplicationHelper(app)`.
   */
  public withApplicationHelper(applicationHelper: ApplicationHelper): EcrBuilder {
    return this.setApplicationHelper(applicationHelper);
  }

  /**
   * Same as `setBuilderConfig`: the seed's config, repository base name to its settings.
   *
   * @param builderConfig the config, e.g. `appHelper.getFromEnv('ecr')`.
   */
  public withBuilderConfig(builderConfig: any): EcrBuilder {
    return this.setBuilderConfig(builderConfig);
  }

  /**
   * Same as `setEcrRepoBaseName`: the config key of the repository to build.
   *
   * @param ecrRepoBaseName a key of the builder config; it becomes the repository's base name.
   */
  public withEcrRepoBaseName(ecrRepoBaseName: string): EcrBuilder {
    return this.setEcrRepoBaseName(ecrRepoBaseName);
  }

  /**
   * Same as `setProvider`: the provider to use instead of the account's published ServiceToken.
   *
   * @param provider the provider, e.g. one in the same app.
   */
  public withProvider(provider: OrgEcrRepositoryProvider): EcrBuilder {
    return this.setProvider(provider);
  }

  /**
   * Same as `setServiceToken`: the provider's ServiceToken, instead of the account's published one.
   *
   * @param serviceToken the provider's Lambda ARN.
   */
  public withServiceToken(serviceToken: string): EcrBuilder {
    return this.setServiceToken(serviceToken);
  }

  /**
   * Same as `setUsage`: not supported, an organisation repository has one standard form.
   *
   * @param usage ignored: the call always fails.
   * @throws BuilderUsageError always.
   */
  public withUsage(usage: string): EcrBuilder {
    return this.setUsage(usage);
  }

  /**
   * Same as `build`: builds the repository.
   *
   * @param scope the stack (or other construct) to build the repository in.
   * @param id the construct id; default `EcrRepository-{base name}`.
   */
  public buildRepository(scope: Construct, id?: string): OrgEcrRepository {
    return this.build(scope, id);
  }

  /** The base name's entry, checked with the handler's rules; `null` values take the defaults. */
  private configEntry(baseName: string): Record<string, unknown> {
    const config = this.builderConfig;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new InvalidConfigurationError([`the builder config must be an object of repository base name to its settings; got: ${show(config)}`]);
    }
    const entries = config as Record<string, unknown>;
    if (!(baseName in entries)) {
      throw new InvalidConfigurationError([
        `the builder config has no entry for the base name ${show(baseName)} given to setEcrRepoBaseName; it has: ${Object.keys(entries).join(', ') || 'nothing'}`,
      ]);
    }
    const raw = entries[baseName] ?? {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new InvalidConfigurationError([`\`${baseName}\` must be an object with ${CONFIG_KEYS.join(', ')}; got: ${show(raw)}`]);
    }
    const entry = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== null));
    const problems = Object.keys(entry)
      .filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key))
      .map((key) => `\`${baseName}.${key}\` is not a known key (known: ${CONFIG_KEYS.join(', ')}); got: ${show(entry[key])}`);
    problems.push(
      ...checkRepository(
        {
          applicationName: (this.applicationHelper as ApplicationHelper).applicationName,
          repositoryBaseName: baseName,
          useKmsKey: entry.use_kms_key,
          imagesRetained: entry.images_retained,
          shareableWithAllEnvs: entry.shareable_with_all_envs,
          imageTagMutability: entry.image_tag_mutability,
          imageTagMutabilityExclusionFilters: entry.image_tag_mutability_exclusion_filters,
          shareWithOrganization: entry.share_with_organization,
          shareWithOrganizationalUnitPaths: entry.share_with_organizational_unit_paths,
          lambdaPullFromEnvs: entry.lambda_pull_from_envs,
        },
        {
          applicationName: 'applicationName',
          repositoryBaseName: 'ecrRepoBaseName',
          useKmsKey: `${baseName}.use_kms_key`,
          imagesRetained: `${baseName}.images_retained`,
          shareableWithAllEnvs: `${baseName}.shareable_with_all_envs`,
          shareWithOrganization: `${baseName}.share_with_organization`,
          shareWithOrganizationalUnitPaths: `${baseName}.share_with_organizational_unit_paths`,
          lambdaPullFromEnvs: `${baseName}.lambda_pull_from_envs`,
          tags: `${baseName}.tags`,
          imageTagMutability: `${baseName}.image_tag_mutability`,
          imageTagMutabilityExclusionFilters: `${baseName}.image_tag_mutability_exclusion_filters`,
        },
      ),
    );
    if (problems.length > 0) throw new InvalidConfigurationError(problems);
    return entry;
  }
}
