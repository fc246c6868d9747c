/**
 * Synth-time validation for the constructs, the builder and the `cdk.json` context. It adds
 * no rule of its own: it feeds the props to the handler's own checks (props/rules.ts and
 * props/settings.ts) with the subject named as the CDK user wrote it, so a synth reports
 * exactly what a deploy would, only minutes earlier.
 *
 * Unresolved tokens (CfnParameter values, imports) are left out: the handler checks them at
 * deploy time, and every other prop is still checked now.
 */
import { Token } from 'aws-cdk-lib';
import { Setting, type SettingName } from '../handler/src/contract';
import { InvalidSettingsError } from '../handler/src/errors';
import { RESERVED_TAG_COUNT } from '../handler/src/props/properties';
import { checkBoolean, checkConsumerTags, checkExclusionFilters, checkImagesRetained, checkNamePart, checkTagMutability, type Checked } from '../handler/src/props/rules';
import { parseSettings } from '../handler/src/props/settings';
import { checkOrganizationalUnitPaths } from '../handler/src/props/sharing';

/** The provider settings as the constructs type them. */
export interface SettingsInput {
  readonly organizationPrefix?: string;
  readonly environmentAccounts?: Readonly<Record<string, string>>;
  readonly mandatoryTags?: Readonly<Record<string, string>>;
  readonly kmsKeyRotation?: boolean;
  readonly kmsKeyDeletionWindowDays?: number;
  readonly parameterPrefix?: string;
  readonly imageTagMutability?: string;
  readonly imageTagMutabilityExclusionFilters?: readonly string[];
  readonly untaggedImageExpiryDays?: number;
  readonly requireKmsKey?: boolean;
  readonly organizationId?: string;
}

/** How each setting is named where the user wrote it (a prop, a context key). */
export type SettingSubjects = Readonly<Record<SettingName, string>>;

/** The provider construct's prop names. */
export const PROVIDER_PROP_SUBJECTS: SettingSubjects = {
  [Setting.OrganizationPrefix]: 'organizationPrefix',
  [Setting.EnvironmentAccounts]: 'environmentAccounts',
  [Setting.MandatoryTags]: 'mandatoryTags',
  [Setting.KmsKeyRotation]: 'kmsKeyRotation',
  [Setting.KmsKeyDeletionWindowDays]: 'kmsKeyDeletionWindowDays',
  [Setting.ParameterPrefix]: 'parameterPrefix',
  [Setting.ImageTagMutability]: 'imageTagMutability',
  [Setting.ImageTagMutabilityExclusionFilters]: 'imageTagMutabilityExclusionFilters',
  [Setting.UntaggedImageExpiryDays]: 'untaggedImageExpiryDays',
  [Setting.RequireKmsKey]: 'requireKmsKey',
  [Setting.OrganizationId]: 'organizationId',
};

/** True when the value, or for a map the map itself, is a token only deploy time resolves. */
export function isUnresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** The entries of a map whose key and value are both known at synth. */
export function resolvedEntries(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (map === undefined || isUnresolved(map)) return {};
  return Object.fromEntries(Object.entries(map).filter(([key, value]) => !isUnresolved(key) && !isUnresolved(value)));
}

/**
 * Checks the provider settings with the handler's `parseSettings`, by building the very
 * environment the Lambda will see from the values known at synth.
 *
 * @returns every problem, with the setting named by `subjects`; empty when valid.
 */
export function checkSettings(input: SettingsInput, subjects: SettingSubjects): string[] {
  const env: Record<string, string | undefined> = {};
  // A token prefix still needs a stand-in, or parseSettings would report it as missing.
  env[Setting.OrganizationPrefix] = isUnresolved(input.organizationPrefix) ? 'placeholder' : input.organizationPrefix;
  env[Setting.EnvironmentAccounts] = JSON.stringify(resolvedEntries(input.environmentAccounts));
  env[Setting.MandatoryTags] = JSON.stringify(resolvedEntries(input.mandatoryTags));
  if (input.kmsKeyRotation !== undefined && !isUnresolved(input.kmsKeyRotation)) env[Setting.KmsKeyRotation] = String(input.kmsKeyRotation);
  if (input.kmsKeyDeletionWindowDays !== undefined && !isUnresolved(input.kmsKeyDeletionWindowDays)) {
    env[Setting.KmsKeyDeletionWindowDays] = String(input.kmsKeyDeletionWindowDays);
  }
  if (input.parameterPrefix !== undefined && !isUnresolved(input.parameterPrefix)) env[Setting.ParameterPrefix] = input.parameterPrefix;
  Object.assign(env, repositoryDefaultsEnvironment(input));
  if (input.organizationId !== undefined && !isUnresolved(input.organizationId)) env[Setting.OrganizationId] = input.organizationId;
  try {
    parseSettings(env);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    return error.problems.map((problem) => renameSettings(problem, subjects));
  }
}

/**
 * The settings for repository defaults as the Lambda's environment: only the values known at
 * synth (a token is checked by the provider at deploy time). Shared with the provider construct,
 * which writes the same text into the function's environment.
 */
export function repositoryDefaultsEnvironment(input: SettingsInput): Record<string, string> {
  const env: Record<string, string> = {};
  const known = (value: unknown) => value !== undefined && !isUnresolved(value);
  if (known(input.imageTagMutability)) env[Setting.ImageTagMutability] = String(input.imageTagMutability);
  const filters = input.imageTagMutabilityExclusionFilters;
  if (known(filters) && Array.isArray(filters) && filters.every((filter) => !isUnresolved(filter))) env[Setting.ImageTagMutabilityExclusionFilters] = filters.join(',');
  if (known(input.untaggedImageExpiryDays)) env[Setting.UntaggedImageExpiryDays] = String(input.untaggedImageExpiryDays);
  if (known(input.requireKmsKey)) env[Setting.RequireKmsKey] = String(input.requireKmsKey);
  return env;
}

/** `` `ORG_PREFIX` must ... `` becomes `` `organizationPrefix` must ... ``. */
function renameSettings(problem: string, subjects: SettingSubjects): string {
  let renamed = problem;
  for (const [setting, subject] of Object.entries(subjects)) {
    renamed = renamed.replace(new RegExp(`\`${setting}(?=[\`. ])`, 'g'), `\`${subject}`);
  }
  return renamed;
}

/** The repository's request as the constructs and the builder type it. */
export interface RepositoryInput {
  readonly applicationName?: unknown;
  readonly repositoryBaseName?: unknown;
  readonly useKmsKey?: unknown;
  readonly imagesRetained?: unknown;
  readonly shareableWithAllEnvs?: unknown;
  readonly shareWithOrganization?: unknown;
  readonly shareWithOrganizationalUnitPaths?: unknown;
  readonly lambdaPullFromEnvs?: unknown;
  readonly tags?: Readonly<Record<string, string>>;
  readonly imageTagMutability?: unknown;
  readonly imageTagMutabilityExclusionFilters?: unknown;
}

/** How each repository property is named where the user wrote it. */
export interface RepositorySubjects {
  readonly applicationName: string;
  readonly repositoryBaseName: string;
  readonly useKmsKey: string;
  readonly imagesRetained: string;
  readonly shareableWithAllEnvs: string;
  /** @default 'shareWithOrganization' */
  readonly shareWithOrganization?: string;
  /** @default 'shareWithOrganizationalUnitPaths' */
  readonly shareWithOrganizationalUnitPaths?: string;
  /** @default 'lambdaPullFromEnvs' */
  readonly lambdaPullFromEnvs?: string;
  readonly tags: string;
  readonly imageTagMutability: string;
  readonly imageTagMutabilityExclusionFilters: string;
}

/** The OrgEcrRepository construct's prop names. */
export const REPOSITORY_PROP_SUBJECTS: RepositorySubjects = {
  applicationName: 'applicationName',
  repositoryBaseName: 'repositoryBaseName',
  useKmsKey: 'useKmsKey',
  imagesRetained: 'imagesRetained',
  shareableWithAllEnvs: 'shareableWithAllEnvs',
  tags: 'tags',
  imageTagMutability: 'imageTagMutability',
  imageTagMutabilityExclusionFilters: 'imageTagMutabilityExclusionFilters',
};

/**
 * Checks a repository request with the handler's rules. Absent optional values take the
 * contract's defaults; tokens pass through.
 *
 * @param organisationTags the provider's mandatory tags when known, so an override is caught now.
 * @returns every problem; empty when valid.
 */
export function checkRepository(input: RepositoryInput, subjects: RepositorySubjects, organisationTags: Readonly<Record<string, string>> = {}): string[] {
  const verdicts: Array<Checked<unknown>> = [];
  const known = (value: unknown) => value !== undefined && !isUnresolved(value);
  if (!isUnresolved(input.applicationName)) verdicts.push(checkNamePart(subjects.applicationName, input.applicationName));
  if (!isUnresolved(input.repositoryBaseName)) verdicts.push(checkNamePart(subjects.repositoryBaseName, input.repositoryBaseName));
  if (known(input.useKmsKey)) verdicts.push(checkBoolean(subjects.useKmsKey, input.useKmsKey));
  if (known(input.imagesRetained)) verdicts.push(checkImagesRetained(subjects.imagesRetained, input.imagesRetained));
  if (known(input.shareableWithAllEnvs)) verdicts.push(checkBoolean(subjects.shareableWithAllEnvs, input.shareableWithAllEnvs));
  const mutability = known(input.imageTagMutability) ? checkTagMutability(subjects.imageTagMutability, input.imageTagMutability) : undefined;
  if (mutability) verdicts.push(mutability);
  const filters = input.imageTagMutabilityExclusionFilters;
  if (known(filters) && !(Array.isArray(filters) && filters.some(isUnresolved))) {
    verdicts.push(checkExclusionFilters(subjects.imageTagMutabilityExclusionFilters, filters));
    const withExclusion = isUnresolved(input.imageTagMutability) || (mutability?.ok === true && mutability.value === 'IMMUTABLE_WITH_EXCLUSION');
    if (!withExclusion) {
      verdicts.push({ ok: false, problem: `\`${subjects.imageTagMutabilityExclusionFilters}\` applies only with \`${subjects.imageTagMutability}\`: IMMUTABLE_WITH_EXCLUSION; got: ${JSON.stringify(input.imageTagMutability ?? "the organisation's default")}` });
    }
  }
  if (known(input.shareWithOrganization)) verdicts.push(checkBoolean(subjects.shareWithOrganization ?? 'shareWithOrganization', input.shareWithOrganization));
  if (known(input.shareWithOrganizationalUnitPaths)) {
    const paths = input.shareWithOrganizationalUnitPaths;
    // A list with token entries (parameters) is checked at deploy time for those entries.
    const resolved = Array.isArray(paths) ? paths.filter((path) => !isUnresolved(path)) : paths;
    verdicts.push(checkOrganizationalUnitPaths(subjects.shareWithOrganizationalUnitPaths ?? 'shareWithOrganizationalUnitPaths', resolved));
  }
  if (known(input.lambdaPullFromEnvs)) verdicts.push(checkBoolean(subjects.lambdaPullFromEnvs ?? 'lambdaPullFromEnvs', input.lambdaPullFromEnvs));
  const problems = verdicts.flatMap((verdict) => (verdict.ok ? [] : [verdict.problem]));
  return [...problems, ...checkTagMap(input.tags, subjects.tags, organisationTags)];
}

/**
 * A tag map checked as the CloudFormation `Tags` list it becomes, with the list positions
 * in the messages turned back into the keys the user wrote.
 */
export function checkTagMap(tags: Readonly<Record<string, string>> | undefined, subject: string, organisationTags: Readonly<Record<string, string>>): string[] {
  if (tags === undefined) return [];
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    return [`\`${subject}\` must be a map of tag key to value, e.g. {"team": "payments"}; got: ${JSON.stringify(tags)}`];
  }
  const entries = Object.entries(resolvedEntries(tags));
  const list = entries.map(([Key, Value]) => ({ Key, Value }));
  const { problems } = checkConsumerTags(subject, list, organisationTags, RESERVED_TAG_COUNT);
  return problems.map((problem) =>
    problem.replace(new RegExp(`\`${escapeRegExp(subject)}\\[(\\d+)\\](\\.Key|\\.Value)?\``, 'g'), (_match, index: string, part?: string) => {
      const key = entries[Number(index)]?.[0] ?? index;
      return part === '.Key' ? `\`${subject}\` key` : `\`${subject}.${key}\``;
    }),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
