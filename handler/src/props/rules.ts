/**
 * The validation and naming rules of the contract, as pure functions. One module for every
 * door: the handler applies them to CloudFormation's stringified properties, the CDK
 * constructs to their typed props at synth, the EcrBuilder to the seed's snake_case config.
 * Each rule takes the subject as the caller's user wrote it (`ImagesRetained`,
 * `imagesRetained`, `images_retained`), so messages use the author's own words.
 *
 * Pure: no AWS SDK, no `node:` modules, no environment, no clock.
 */
import { EXCLUSION_FILTER_PATTERN, Limits, RESERVED_TAG_PREFIXES, TAG_MUTABILITY_VALUES, type TagMutability } from '../contract';
import { entryOf, hasEntry, setEntry } from '../records';

/** A rule's verdict: the coerced value, or one message naming subject, rule and value. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(problem: string): Checked<T> => ({ ok: false, problem });

/** Renders a received value for a message: short, JSON-quoted, never multi-line. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * A boolean, as CloudFormation sends it (`"true"`/`"false"`) or as JSON and CDK give it.
 * Anything else is an error: `"yes"` or `"1"` are too ambiguous to guess at.
 */
export function checkBoolean(subject: string, value: unknown): Checked<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return ok(true);
    if (lower === 'false') return ok(false);
  }
  return fail(`\`${subject}\` must be true or false; got: ${show(value)}`);
}

/** A whole number within bounds, from a number or its decimal string. */
export function checkWholeNumber(subject: string, value: unknown, min: number, max: number): Checked<number> {
  const rule = `\`${subject}\` must be a whole number from ${min} to ${max}`;
  let parsed: number | undefined;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) parsed = Number(value);
  if (parsed === undefined || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    return fail(`${rule}; got: ${show(value)}`);
  }
  return ok(parsed);
}

export function checkImagesRetained(subject: string, value: unknown): Checked<number> {
  return checkWholeNumber(subject, value, Limits.imagesRetainedMin, Limits.imagesRetainedMax);
}

/** One of ECR's tag mutability settings this contract offers, any case as written. */
export function checkTagMutability(subject: string, value: unknown): Checked<TagMutability> {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  const found = TAG_MUTABILITY_VALUES.find((allowed) => allowed === upper);
  if (found) return ok(found);
  return fail(`\`${subject}\` must be one of ${TAG_MUTABILITY_VALUES.join(', ')}; got: ${show(value)}`);
}

/**
 * ECR's wildcard exclusion filters: a list of 1 to 5 tags or patterns (`latest`, `dev-*`),
 * from a list or a comma-separated string (how a template parameter or a setting carries it).
 */
export function checkExclusionFilters(subject: string, value: unknown): Checked<readonly string[]> {
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  else if (Array.isArray(value)) items = value.map((item) => (typeof item === 'string' ? item.trim() : item));
  else return fail(`\`${subject}\` must be a list of tag filters like ["latest", "dev-*"]; got: ${show(value)}`);
  const rule = `${Limits.exclusionFiltersMin} to ${Limits.exclusionFiltersMax} filters of up to ${Limits.exclusionFilterMaxLength} letters, digits, '.', '_', '-' or the wildcard '*'`;
  if (items.length < Limits.exclusionFiltersMin || items.length > Limits.exclusionFiltersMax) {
    return fail(`\`${subject}\` must hold ${rule}; got ${items.length}: ${show(value)}`);
  }
  const bad = items.filter((item) => typeof item !== 'string' || !EXCLUSION_FILTER_PATTERN.test(item));
  if (bad.length > 0) return fail(`\`${subject}\` must hold ${rule}; got: ${bad.map(show).join(', ')}`);
  return ok([...new Set(items as string[])]);
}

/**
 * A name part (application or repository base name): a non-empty string that keeps at least
 * one letter or digit once made ECR-safe. Any length: every name made from it is cut to its
 * service's limit with a hash ({@link fitWithHash}), so only what cannot be made valid is refused.
 */
export function checkNamePart(subject: string, value: unknown): Checked<string> {
  if (typeof value !== 'string' || value.trim() === '') {
    return fail(`\`${subject}\` is required: a non-empty string of letters, digits and separators; got: ${show(value)}`);
  }
  if (sanitizeSegment(value) === '') {
    return fail(`\`${subject}\` must contain at least one letter or digit (a-z, 0-9); got: ${show(value)}`);
  }
  return ok(value);
}

// ---------------------------------------------------------------------------------------
// Naming

const SEPARATORS = /[._-]/;

/**
 * Lowercases, turns every character ECR does not accept inside a name segment into `-`,
 * collapses separator runs (a run of one kind keeps that character, a mixed run becomes
 * `-`) and trims separators at both ends. `/` is not kept: the organisation's pattern is flat.
 */
export function sanitizeSegment(raw: string): string {
  const lowered = raw.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  const collapsed = lowered.replace(/[._-]{2,}/g, (run) => (new Set(run).size === 1 ? run[0]! : '-'));
  return collapsed.replace(/^[._-]+|[._-]+$/g, '');
}

/** 64-bit FNV-1a of the UTF-16 code units, as 10 base-36 characters: short and stable. */
export function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index++) {
    hash ^= BigInt(text.charCodeAt(index));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(36).padStart(13, '0').slice(-10);
}

/**
 * Cuts `name` to `max` characters when needed, ending it with `-{hash of the whole name}` so
 * two long names that share a beginning never collide. Separators left at the cut are trimmed.
 */
export function fitWithHash(name: string, max: number): string {
  if (name.length <= max) return name;
  const suffix = `-${shortHash(name)}`;
  const head = name.slice(0, max - suffix.length).replace(/[._-]+$/, '');
  return `${head}${suffix}`;
}

/** ECR's pattern, to the strictest reading of its three published forms: one separator between runs. */
export const REPOSITORY_NAME_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/**
 * `{prefix}-{application}-{base}`, made ECR-safe: lowercase, 2 to 256 characters, matching
 * {@link REPOSITORY_NAME_PATTERN}. The prefix is a validated setting starting with a letter.
 */
export function repositoryName(prefix: string, applicationName: string, baseName: string): string {
  const joined = [prefix, applicationName, baseName].map(sanitizeSegment).join('-');
  return fitWithHash(joined, Limits.repositoryNameMax);
}

/**
 * The KMS alias of a repository's customer key: `alias/{repository name}`. KMS aliases do not
 * accept `.`, so a name with dots gets `_` instead plus a hash of the real name, keeping
 * `a.b` and `a_b` apart.
 */
export function keyAliasName(repository: string): string {
  const safe = repository.replace(/[^a-zA-Z0-9:/_-]/g, '_');
  const body = safe === repository ? safe : `${safe}-${shortHash(repository)}`;
  return `alias/${fitWithHash(body, 256 - 'alias/'.length)}`;
}

/** `ECR_{BASE}` where BASE is the base name uppercased, every character outside A-Z and 0-9 as `_`. */
export function parameterStem(baseName: string): string {
  return `ECR_${baseName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The longest parameter suffix, `_kms_key_arn`: every parameter of a repository shares one stem. */
const LONGEST_PARAMETER_SUFFIX = '_kms_key_arn'.length;

/**
 * `{prefix}ECR_{BASE}`, cut when needed so that the stem plus its longest suffix stays within
 * SSM's name limit ({@link Limits.parameterNameMax}): the same hash rule as the repository
 * name, in the parameters' own spelling (`_` and an uppercase hash of the whole stem).
 */
export function parameterStemUnder(parameterPrefix: string, baseName: string): string {
  const stem = `${parameterPrefix}${parameterStem(baseName)}`;
  const max = Limits.parameterNameMax - LONGEST_PARAMETER_SUFFIX;
  if (stem.length <= max) return stem;
  const suffix = `_${shortHash(stem).toUpperCase()}`;
  return `${stem.slice(0, max - suffix.length).replace(/_+$/, '')}${suffix}`;
}

/**
 * Whether `name` is the repository name of these name parts under some organisation prefix
 * (today's, or one the platform used before): the prefix is a hyphen-separated beginning of
 * the name. Recognises a repository a resource had before an `ORG_PREFIX` change.
 */
export function isRepositoryNameOf(name: string, applicationName: string, baseName: string): boolean {
  for (let cut = name.indexOf('-'); cut > 0; cut = name.indexOf('-', cut + 1)) {
    if (repositoryName(name.slice(0, cut), applicationName, baseName) === name) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Tags

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTagKey(subject: string, key: unknown): Checked<string> {
  if (typeof key !== 'string' || key.length < 1 || key.length > Limits.tagKeyMax) {
    return fail(`\`${subject}\` must be a tag key of 1 to ${Limits.tagKeyMax} characters; got: ${show(key)}`);
  }
  if (!TAG_TEXT.test(key)) {
    return fail(`\`${subject}\` may hold only letters, digits, spaces and _ . : / = + - @; got: ${show(key)}`);
  }
  const reserved = RESERVED_TAG_PREFIXES.find((prefix) => key.toLowerCase().startsWith(prefix));
  if (reserved) {
    return fail(`\`${subject}\` must not start with \`${reserved}\` (reserved for ${reserved === 'aws:' ? 'AWS' : 'the provider'}); got: ${show(key)}`);
  }
  return ok(key);
}

export function checkTagValue(subject: string, value: unknown): Checked<string> {
  if (typeof value !== 'string' || value.length > Limits.tagValueMax) {
    return fail(`\`${subject}\` must be a string of at most ${Limits.tagValueMax} characters; got: ${show(value)}`);
  }
  if (!TAG_TEXT.test(value)) {
    return fail(`\`${subject}\` may hold only letters, digits, spaces and _ . : / = + - @; got: ${show(value)}`);
  }
  return ok(value);
}

/** How a consumer tag that the organisation's tags do not allow is treated. */
export interface ConsumerTagOptions {
  /**
   * `refuse`: a problem (a Create, a synth: the author can fix the template before anything
   * exists). `organisation-wins`: the organisation's value is kept, the consumer's tag is
   * dropped and named in `overridden`, and consumer tags past AWS's limit are dropped and
   * named in `dropped` (an Update: the settings tightened after the deploy, and a rollback to
   * the deployed properties must not fail for a rule the deployed state already broke).
   * @default 'refuse'
   */
  readonly conflicts?: 'refuse' | 'organisation-wins';
}

/** A consumer's checked tags, what is wrong with them, and what the organisation's rules dropped. */
export interface CheckedConsumerTags {
  readonly tags: Record<string, string>;
  readonly problems: string[];
  /** With `organisation-wins`: consumer tags whose key the organisation sets to another value. */
  readonly overridden: string[];
  /** With `organisation-wins`: consumer tags left out to stay within AWS's tag limit. */
  readonly dropped: string[];
}

/**
 * A consumer's tags as a list of `{Key, Value}` (CloudFormation, CDK) or a plain map (the
 * seed's config), checked against the organisation's tags: a consumer may repeat an
 * organisation tag with the same value but never change it. Keys such as `constructor` or
 * `__proto__` are ordinary keys.
 */
export function checkConsumerTags(
  subject: string,
  value: unknown,
  organisationTags: Readonly<Record<string, string>>,
  reservedCount: number,
  options: ConsumerTagOptions = {},
): CheckedConsumerTags {
  const organisationWins = options.conflicts === 'organisation-wins';
  const problems: string[] = [];
  const overridden: string[] = [];
  const dropped: string[] = [];
  const tags: Record<string, string> = {};
  let entries: Array<[unknown, unknown, string]>;
  if (value === undefined || value === null || value === '') return { tags, problems, overridden, dropped };
  if (Array.isArray(value)) {
    entries = value.map((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return [undefined, undefined, `${subject}[${index}]`];
      const record = item as Record<string, unknown>;
      const extra = Object.keys(record).filter((key) => key !== 'Key' && key !== 'Value');
      if (extra.length > 0) problems.push(`\`${subject}[${index}]\` must have only \`Key\` and \`Value\`; got also: ${extra.join(', ')}`);
      return [entryOf(record, 'Key'), entryOf(record, 'Value'), `${subject}[${index}]`];
    });
  } else {
    return { tags, problems: [`\`${subject}\` must be a list of {Key, Value}; got: ${show(value)}`], overridden, dropped };
  }
  for (const [key, tagValue, where] of entries) {
    if (key === undefined && tagValue === undefined) {
      problems.push(`\`${where}\` must be an object {Key, Value}`);
      continue;
    }
    const checkedKey = checkTagKey(`${where}.Key`, key);
    const checkedValue = checkTagValue(`${where}.Value`, tagValue ?? '');
    if (!checkedKey.ok) problems.push(checkedKey.problem);
    if (!checkedValue.ok) problems.push(checkedValue.problem);
    if (!checkedKey.ok || !checkedValue.ok) continue;
    if (hasEntry(tags, checkedKey.value)) {
      problems.push(`\`${where}.Key\` repeats the key ${show(checkedKey.value)}; each key may appear once`);
      continue;
    }
    const organisationValue = entryOf(organisationTags, checkedKey.value);
    if (organisationValue !== undefined && organisationValue !== checkedValue.value) {
      if (organisationWins) overridden.push(checkedKey.value);
      else {
        problems.push(
          `\`${where}\` cannot override the organisation tag ${show(checkedKey.value)} (set to ${show(organisationValue)} by the platform team); remove it`,
        );
      }
      continue;
    }
    setEntry(tags, checkedKey.value, checkedValue.value);
  }
  const organisationCount = Object.keys(organisationTags).length;
  const ownKeys = Object.keys(tags).filter((key) => !hasEntry(organisationTags, key));
  const total = organisationCount + ownKeys.length + reservedCount;
  if (total > Limits.tagsMax) {
    const room = Limits.tagsMax - organisationCount - reservedCount;
    if (organisationWins && room >= 0) {
      // The template's order decides: the first tags stay, the last ones go.
      for (const key of ownKeys.slice(room)) {
        dropped.push(key);
        delete tags[key];
      }
    } else {
      problems.push(
        `\`${subject}\` gives too many tags: with the organisation's ${organisationCount} and the provider's ${reservedCount}, the total ${total} exceeds AWS's ${Limits.tagsMax}`,
      );
    }
  }
  return { tags, problems, overridden, dropped };
}
