/**
 * CloudFormation's ResourceProperties (every scalar a string) to a typed repository spec.
 * Collects every problem before failing, so one deploy shows the author all of them.
 */
import { FRAMEWORK_PROPERTIES, Limits, OwnershipTag, PROPERTY_NAMES, Property, type TagMutability } from '../contract';
import { InvalidPropertiesError } from '../errors';
import { checkBoolean, checkConsumerTags, checkExclusionFilters, checkImagesRetained, checkNamePart, checkTagMutability, show } from './rules';
import { checkOrganizationalUnitPaths } from './sharing';

/** What a consumer asked for, validated and coerced. */
export interface RepositorySpec {
  readonly applicationName: string;
  readonly baseName: string;
  readonly useKmsKey: boolean;
  /** Absent: no lifecycle policy. */
  readonly imagesRetained?: number;
  readonly shareableWithAllEnvs: boolean;
  /** Read-only pulls for every account of the organisation (`aws:PrincipalOrgID`). @default false */
  readonly shareWithOrganization?: boolean;
  /** OU paths ending in `/` whose accounts may pull read-only (`aws:PrincipalOrgPaths`). @default [] */
  readonly organizationalUnitPaths?: readonly string[];
  /** Lambda functions of the environment accounts may pull (`lambda.amazonaws.com`). @default false */
  readonly lambdaPullFromEnvs?: boolean;
  /** The consumer's own tags (organisation and ownership tags are added by the core). */
  readonly tags: Readonly<Record<string, string>>;
  /** Absent: the organisation's default (`ORG_IMAGE_TAG_MUTABILITY`). */
  readonly imageTagMutability?: TagMutability;
  /** Only with `IMMUTABLE_WITH_EXCLUSION`; absent: the organisation's filters. */
  readonly exclusionFilters?: readonly string[];
  /**
   * True when `UseKmsKey` was not written: a new repository then follows `ORG_REQUIRE_KMS_KEY`,
   * an existing one keeps the encryption it has.
   */
  readonly useKmsKeyDefaulted?: boolean;
}

/**
 * Tags the provider itself puts on each resource: the ownership pair, plus `org-ecr:repository`
 * on the key and the parameters, or `org-ecr:replaces` on a repository made by a replacement.
 */
export const RESERVED_TAG_COUNT = Object.keys(OwnershipTag).length;

/**
 * @throws InvalidPropertiesError listing every problem, each naming the property, the value
 *   and what is allowed.
 */
export function parseProperties(
  raw: Readonly<Record<string, unknown>> | undefined,
  organisationTags: Readonly<Record<string, string>>,
): RepositorySpec {
  return parse(raw, organisationTags, 'refuse').spec;
}

/** A spec for an Update, and what the organisation's rules changed in it, for the log. */
export interface UpdateSpec {
  readonly spec: RepositorySpec;
  /** One line per consumer tag the organisation's tags overrode or AWS's limit left out. */
  readonly notices: readonly string[];
}

/**
 * The properties of an Update, in either direction (a rollback sends the deployed properties
 * back). The provider's settings may have tightened since those properties were deployed
 * (a new mandatory tag with the key of a consumer tag, more mandatory tags than leave room
 * for the consumer's): an Update must not fail for a rule the deployed state already broke,
 * so the organisation's tags win, the consumer tags past AWS's limit are left out, and each
 * is reported in `notices` instead. Everything else is checked as on Create.
 *
 * @throws InvalidPropertiesError listing every other problem.
 */
export function parseUpdateProperties(raw: Readonly<Record<string, unknown>> | undefined, organisationTags: Readonly<Record<string, string>>): UpdateSpec {
  return parse(raw, organisationTags, 'organisation-wins');
}

function parse(
  raw: Readonly<Record<string, unknown>> | undefined,
  organisationTags: Readonly<Record<string, string>>,
  conflicts: 'refuse' | 'organisation-wins',
): UpdateSpec {
  const properties = raw ?? {};
  const problems: string[] = [];
  const known = new Set<string>([...PROPERTY_NAMES, ...FRAMEWORK_PROPERTIES]);
  const unknown = Object.keys(properties).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    problems.push(`Unknown ${unknown.length === 1 ? 'property' : 'properties'} ${unknown.map((name) => `\`${name}\``).join(', ')}; the known properties are ${PROPERTY_NAMES.join(', ')}`);
  }

  const applicationName = checkNamePart(Property.ApplicationName, properties[Property.ApplicationName]);
  const baseName = checkNamePart(Property.RepositoryBaseName, properties[Property.RepositoryBaseName]);
  const useKmsKey = optional(properties[Property.UseKmsKey], (value) => checkBoolean(Property.UseKmsKey, value), false);
  const shareable = optional(properties[Property.ShareableWithAllEnvs], (value) => checkBoolean(Property.ShareableWithAllEnvs, value), false);
  const imagesRetained = optional<number | undefined>(properties[Property.ImagesRetained], (value) => checkImagesRetained(Property.ImagesRetained, value), undefined);
  const tags = checkConsumerTags(Property.Tags, properties[Property.Tags], organisationTags, RESERVED_TAG_COUNT, { conflicts });
  const mutability = optional<TagMutability | undefined>(properties[Property.ImageTagMutability], (value) => checkTagMutability(Property.ImageTagMutability, value), undefined);
  const filters = optional<readonly string[] | undefined>(
    properties[Property.ImageTagMutabilityExclusionFilters],
    (value) => checkExclusionFilters(Property.ImageTagMutabilityExclusionFilters, value),
    undefined,
  );

  // Checked on Create and Update so a typo fails early; only a Delete reads it (parseRetainOnDelete).
  const retainOnDelete = optional(properties[Property.RetainOnDelete], (value) => checkBoolean(Property.RetainOnDelete, value), false);
  const organization = optional(properties[Property.ShareWithOrganization], (value) => checkBoolean(Property.ShareWithOrganization, value), false);
  const unitPaths = checkOrganizationalUnitPaths(Property.ShareWithOrganizationalUnitPaths, properties[Property.ShareWithOrganizationalUnitPaths]);
  const lambda = optional(properties[Property.LambdaPullFromEnvs], (value) => checkBoolean(Property.LambdaPullFromEnvs, value), false);

  for (const checked of [applicationName, baseName, useKmsKey, shareable, imagesRetained, mutability, filters, retainOnDelete, organization, unitPaths, lambda]) {
    if (!checked.ok) problems.push(checked.problem);
  }
  problems.push(...tags.problems);
  if (filters.ok && filters.value !== undefined && mutability.ok && mutability.value !== 'IMMUTABLE_WITH_EXCLUSION') {
    problems.push(
      `\`${Property.ImageTagMutabilityExclusionFilters}\` applies only with \`${Property.ImageTagMutability}\`: IMMUTABLE_WITH_EXCLUSION; got ${Property.ImageTagMutability}: ${mutability.value ?? "the organisation's default"}`,
    );
  }
  if (
    problems.length > 0 ||
    !applicationName.ok ||
    !baseName.ok ||
    !useKmsKey.ok ||
    !shareable.ok ||
    !imagesRetained.ok ||
    !mutability.ok ||
    !filters.ok ||
    !retainOnDelete.ok ||
    !organization.ok ||
    !unitPaths.ok ||
    !lambda.ok
  ) {
    throw new InvalidPropertiesError(problems);
  }
  const spec: RepositorySpec = {
    applicationName: applicationName.value,
    baseName: baseName.value,
    useKmsKey: useKmsKey.value,
    shareableWithAllEnvs: shareable.value,
    ...(imagesRetained.value === undefined ? {} : { imagesRetained: imagesRetained.value }),
    // Only when asked for: a spec without sharing reads as it did before these properties.
    ...(organization.value ? { shareWithOrganization: true } : {}),
    ...(unitPaths.value.length > 0 ? { organizationalUnitPaths: unitPaths.value } : {}),
    ...(lambda.value ? { lambdaPullFromEnvs: true } : {}),
    tags: tags.tags,
    ...(mutability.value === undefined ? {} : { imageTagMutability: mutability.value }),
    ...(filters.value === undefined ? {} : { exclusionFilters: filters.value }),
    ...(isAbsent(properties[Property.UseKmsKey]) ? { useKmsKeyDefaulted: true } : {}),
  };
  const notices = [
    ...tags.overridden.map(
      (key) => `\`${Property.Tags}\` sets ${show(key)}, which the organisation now sets to ${show(organisationTags[key])}: the organisation's value is kept`,
    ),
    ...(tags.dropped.length === 0
      ? []
      : [`\`${Property.Tags}\` ${tags.dropped.map((key) => show(key)).join(', ')} left out: with the organisation's tags they would pass AWS's ${Limits.tagsMax} per resource`]),
  ];
  return { spec, notices };
}

/**
 * Whether a Delete must leave everything in place: `RetainOnDelete` as the deleted resource
 * last had it. Anything but a clear `true` deletes, as the seed does: a Delete must not fail
 * on properties that no longer parse.
 */
export function parseRetainOnDelete(raw: Readonly<Record<string, unknown>> | undefined): boolean {
  const value = raw?.[Property.RetainOnDelete];
  if (value === undefined || value === null || value === '') return false;
  const checked = checkBoolean(Property.RetainOnDelete, value);
  return checked.ok && checked.value;
}

/** What identifies a repository: enough to name it, whatever else the properties hold. */
export type RepositoryIdentity = Pick<RepositorySpec, 'applicationName' | 'baseName' | 'useKmsKey' | 'useKmsKeyDefaulted'>;

/**
 * The identity of a repository from properties that may not pass today's full checks (a
 * Delete or the old side of an Update: properties written under an older provider, or
 * tags that clash with a mandatory tag added since). Undefined when not even the names parse.
 */
export function parseIdentity(raw: Readonly<Record<string, unknown>> | undefined): RepositoryIdentity | undefined {
  const properties = raw ?? {};
  const applicationName = checkNamePart(Property.ApplicationName, properties[Property.ApplicationName]);
  const baseName = checkNamePart(Property.RepositoryBaseName, properties[Property.RepositoryBaseName]);
  const useKmsKey = optional(properties[Property.UseKmsKey], (value) => checkBoolean(Property.UseKmsKey, value), false);
  if (!applicationName.ok || !baseName.ok || !useKmsKey.ok) return undefined;
  return {
    applicationName: applicationName.value,
    baseName: baseName.value,
    useKmsKey: useKmsKey.value,
    ...(isAbsent(properties[Property.UseKmsKey]) ? { useKmsKeyDefaulted: true } : {}),
  };
}

/** An absent property, or an empty string (how a template's empty parameter arrives), takes the default. */
function optional<T>(value: unknown, check: (value: unknown) => { ok: true; value: T } | { ok: false; problem: string }, fallback: T) {
  if (isAbsent(value)) return { ok: true as const, value: fallback };
  return check(value);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

