/**
 * What the organisation decides for a repository that leaves it unsaid: tag mutability and its
 * exclusion filters, and whether a new repository gets a customer-managed key. Applied after
 * parsing, once the settings are known, so every message still names the property.
 */
import { Property, Setting } from '../contract';
import { InvalidPropertiesError } from '../errors';
import type { RepositorySpec } from './properties';
import type { Settings } from './settings';

/**
 * The spec with the organisation's defaults filled in.
 *
 * @param creating true for a Create or a replacement: only a new repository can follow
 *   `ORG_REQUIRE_KMS_KEY` (ECR fixes encryption at creation); an Update judges the key
 *   against the repository as it is.
 * @throws InvalidPropertiesError when the result cannot be honoured, naming property and setting.
 */
export function withOrganisationDefaults(spec: RepositorySpec, settings: Settings, creating: boolean): RepositorySpec {
  const problems: string[] = [];
  const imageTagMutability = spec.imageTagMutability ?? settings.imageTagMutability;
  let exclusionFilters: readonly string[] | undefined;
  if (imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION') {
    exclusionFilters = spec.exclusionFilters ?? settings.exclusionFilters;
    if (exclusionFilters.length === 0) {
      problems.push(
        `\`${Property.ImageTagMutability}\`: IMMUTABLE_WITH_EXCLUSION needs \`${Property.ImageTagMutabilityExclusionFilters}\` (the tags that stay mutable, e.g. ["latest"]), and the organisation sets none in ${Setting.ImageTagMutabilityExclusionFilters}`,
      );
    }
  }
  let useKmsKey = spec.useKmsKey;
  if (spec.useKmsKeyDefaulted) useKmsKey = settings.requireKmsKey;
  else if (creating && settings.requireKmsKey && !spec.useKmsKey) {
    problems.push(
      `\`${Property.UseKmsKey}\` must be true or left out: the organisation requires a customer-managed key for every new repository (${Setting.RequireKmsKey}); got: false`,
    );
  }
  if (problems.length > 0) throw new InvalidPropertiesError(problems);
  const { exclusionFilters: _given, ...rest } = spec;
  return { ...rest, useKmsKey, imageTagMutability, ...(exclusionFilters === undefined ? {} : { exclusionFilters }) };
}
