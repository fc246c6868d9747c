/**
 * The platform team's provider settings, read from the Lambda's environment variables.
 * Invalid settings fail every request with a message naming the setting.
 */
import { Limits, PROVIDER_ROLE_ARN_ENV, Setting, SettingDefault, type TagMutability } from '../contract';
import { InvalidSettingsError } from '../errors';
import { setEntry } from '../records';
import { checkBoolean, checkExclusionFilters, checkTagKey, checkTagMutability, checkTagValue, checkWholeNumber, type Checked, show } from './rules';
import { ORGANIZATION_ID_PATTERN } from './sharing';

export interface Settings {
  readonly organizationPrefix: string;
  /** Environment name to 12-digit account id. */
  readonly environmentAccounts: Readonly<Record<string, string>>;
  readonly mandatoryTags: Readonly<Record<string, string>>;
  readonly keyRotation: boolean;
  readonly deletionWindowDays: number;
  /** `''` or a path ending in `/`, e.g. `/platform/ecr/`. */
  readonly parameterPrefix: string;
  /** The AWS Organizations id (`o-...`) organisation and OU sharing stay within; absent when not set. */
  readonly organizationId?: string;
  /** The provider's own role, named in every key policy; absent when not deployed by our construct. */
  readonly providerRoleArn?: string;
  /** A repository's tag mutability when it sets none. */
  readonly imageTagMutability: TagMutability;
  /** Filters for `IMMUTABLE_WITH_EXCLUSION` when a repository gives none; empty: none. */
  readonly exclusionFilters: readonly string[];
  /** Days after push untagged images expire; absent: no untagged rule (the seed's behaviour). */
  readonly untaggedImageExpiryDays?: number;
  /** Every new repository gets a customer-managed key unless it says `UseKmsKey`. */
  readonly requireKmsKey: boolean;
}

const ORGANIZATION_PREFIX = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ACCOUNT_ID = /^\d{12}$/;
const ENVIRONMENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PARAMETER_PATH_SEGMENT = /^[a-zA-Z0-9_.-]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** @throws InvalidSettingsError naming every bad setting and its value. */
export function parseSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const problems: string[] = [];

  const prefix = (env[Setting.OrganizationPrefix] ?? '').trim();
  if (prefix === '') {
    problems.push(`\`${Setting.OrganizationPrefix}\` is required: the organisation prefix of every repository name, e.g. "acme"`);
  } else if (prefix.length > Limits.organizationPrefixMaxLength || !ORGANIZATION_PREFIX.test(prefix)) {
    problems.push(
      `\`${Setting.OrganizationPrefix}\` must be 1 to ${Limits.organizationPrefixMaxLength} lowercase letters, digits and single hyphens, starting with a letter; got: ${show(prefix)}`,
    );
  }

  const environmentAccounts = parseJsonMap(env, Setting.EnvironmentAccounts, problems, (name, account) => {
    if (!ENVIRONMENT_NAME.test(name)) return `\`${Setting.EnvironmentAccounts}\` has an environment name that is not 1 to 64 letters, digits, '.', '_' or '-': ${show(name)}`;
    if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) return `\`${Setting.EnvironmentAccounts}\` must map each environment to a 12-digit account id; got for ${show(name)}: ${show(account)}`;
    return undefined;
  });

  const mandatoryTags = parseJsonMap(env, Setting.MandatoryTags, problems, (key, value) => {
    const checkedKey = checkTagKey(`${Setting.MandatoryTags} key`, key);
    if (!checkedKey.ok) return checkedKey.problem;
    const checkedValue = checkTagValue(`${Setting.MandatoryTags}.${key}`, value);
    return checkedValue.ok ? undefined : checkedValue.problem;
  });

  const rotationRaw = env[Setting.KmsKeyRotation];
  const rotation = rotationRaw === undefined || rotationRaw.trim() === '' ? { ok: true as const, value: SettingDefault.KmsKeyRotation } : checkBoolean(Setting.KmsKeyRotation, rotationRaw);
  if (!rotation.ok) problems.push(rotation.problem);

  const windowRaw = env[Setting.KmsKeyDeletionWindowDays];
  const window =
    windowRaw === undefined || windowRaw.trim() === ''
      ? { ok: true as const, value: SettingDefault.KmsKeyDeletionWindowDays }
      : checkWholeNumber(Setting.KmsKeyDeletionWindowDays, windowRaw, Limits.deletionWindowMin, Limits.deletionWindowMax);
  if (!window.ok) problems.push(window.problem);

  const parameterPrefix = parseParameterPrefix(env[Setting.ParameterPrefix], problems);

  const organizationId = (env[Setting.OrganizationId] ?? '').trim();
  if (organizationId !== '' && !ORGANIZATION_ID_PATTERN.test(organizationId)) {
    problems.push(`\`${Setting.OrganizationId}\` must be empty or an AWS Organizations id like "o-a1b2c3d4e5" (o- and 10 to 32 lowercase letters or digits); got: ${show(organizationId)}`);
  }

  const providerRoleArn = (env[PROVIDER_ROLE_ARN_ENV] ?? '').trim();
  if (providerRoleArn !== '' && !ROLE_ARN.test(providerRoleArn)) {
    problems.push(`\`${PROVIDER_ROLE_ARN_ENV}\` must be the ARN of an IAM role (set by the provider's deployment); got: ${show(providerRoleArn)}`);
  }

  const repositoryDefaults = parseRepositoryDefaults(env, problems);

  if (problems.length > 0 || !rotation.ok || !window.ok) throw new InvalidSettingsError(problems);
  return {
    organizationPrefix: prefix,
    environmentAccounts,
    mandatoryTags,
    keyRotation: rotation.value,
    deletionWindowDays: window.value,
    parameterPrefix,
    ...(organizationId === '' ? {} : { organizationId }),
    ...(providerRoleArn === '' ? {} : { providerRoleArn }),
    ...repositoryDefaults,
  };
}

/** A setting's value through `check`, or `fallback` when unset or empty. */
function setting<T>(env: Readonly<Record<string, string | undefined>>, name: string, fallback: T, check: (value: string) => Checked<T>, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const checked = check(raw);
  if (checked.ok) return checked.value;
  problems.push(checked.problem);
  return fallback;
}

/** What a repository gets when its properties leave it unsaid: tag mutability, untagged expiry, a customer key. */
function parseRepositoryDefaults(env: Readonly<Record<string, string | undefined>>, problems: string[]) {
  const imageTagMutability = setting<TagMutability>(env, Setting.ImageTagMutability, SettingDefault.ImageTagMutability, (value) => checkTagMutability(Setting.ImageTagMutability, value), problems);
  const exclusionFilters = setting<readonly string[]>(env, Setting.ImageTagMutabilityExclusionFilters, [], (value) => checkExclusionFilters(Setting.ImageTagMutabilityExclusionFilters, value), problems);
  if (imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION' && exclusionFilters.length === 0) {
    problems.push(`\`${Setting.ImageTagMutabilityExclusionFilters}\` is required when \`${Setting.ImageTagMutability}\` is IMMUTABLE_WITH_EXCLUSION: the tags that stay mutable, e.g. "latest"`);
  }
  const expiry = setting<number>(
    env,
    Setting.UntaggedImageExpiryDays,
    SettingDefault.UntaggedImageExpiryDays,
    (value) => {
      const checked = checkWholeNumber(Setting.UntaggedImageExpiryDays, value, 0, Limits.untaggedExpiryDaysMax);
      return checked.ok ? checked : { ok: false, problem: `${checked.problem} (0 switches the untagged-image rule off)` };
    },
    problems,
  );
  const requireKmsKey = setting<boolean>(env, Setting.RequireKmsKey, SettingDefault.RequireKmsKey, (value) => checkBoolean(Setting.RequireKmsKey, value), problems);
  return { imageTagMutability, exclusionFilters, ...(expiry === 0 ? {} : { untaggedImageExpiryDays: expiry }), requireKmsKey };
}

function parseJsonMap(
  env: Readonly<Record<string, string | undefined>>,
  setting: string,
  problems: string[],
  checkEntry: (key: string, value: unknown) => string | undefined,
): Record<string, string> {
  const raw = env[setting];
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`\`${setting}\` must be a JSON object; got: ${show(raw)}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`\`${setting}\` must be a JSON object; got: ${show(raw)}`);
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const problem = checkEntry(key, value);
    if (problem) problems.push(problem);
    else setEntry(result, key, value as string);
  }
  return result;
}

/** `''`, or `/seg/seg` with or without a trailing `/`, normalised to end in `/`. */
function parseParameterPrefix(raw: string | undefined, problems: string[]): string {
  const value = (raw ?? '').trim();
  if (value === '') return SettingDefault.ParameterPrefix;
  const segments = value.replace(/\/$/, '').split('/').slice(1);
  const valid =
    value.startsWith('/') &&
    value.length <= Limits.parameterPrefixMaxLength &&
    segments.length > 0 &&
    segments.length <= 14 &&
    segments.every((segment) => PARAMETER_PATH_SEGMENT.test(segment)) &&
    !/^(aws|ssm)/i.test(segments[0] ?? '');
  if (!valid) {
    problems.push(
      `\`${Setting.ParameterPrefix}\` must be empty or a path like "/platform/ecr": segments of letters, digits, '.', '_' or '-', at most 14 levels, not starting with "aws" or "ssm"; got: ${show(value)}`,
    );
    return '';
  }
  return value.endsWith('/') ? value : `${value}/`;
}
