/**
 * Rules of the organisation-wide sharing properties: organisational-unit paths as AWS
 * Organizations writes them, and the checks that need the provider's settings (the
 * organisation id the platform team set). Pure.
 */
import { Limits, Property, Setting } from '../contract';
import { type Checked, show } from './rules';

/** `o-{id}`: an AWS Organizations organisation id. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** `o-{id}/r-{root}/ou-{…}/…/`: the path of the organisation's root or of an OU, as `aws:PrincipalOrgPaths` holds it. */
export const ORGANIZATIONAL_UNIT_PATH_PATTERN = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}(?:\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*\/?$/;

/**
 * Organisational-unit paths, as a list (CloudFormation, CDK) or one comma-separated string (a
 * template parameter), each normalised to end with `/`; duplicates dropped, order kept.
 */
export function checkOrganizationalUnitPaths(subject: string, value: unknown): Checked<string[]> {
  let items: unknown[];
  if (value === undefined || value === null || value === '') return { ok: true, value: [] };
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = value.split(',');
  else return fail(`\`${subject}\` must be a list of organisational-unit paths like "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"; got: ${show(value)}`);
  const paths: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const path = typeof item === 'string' ? item.trim() : item;
    if (path === '') continue;
    if (typeof path !== 'string' || !ORGANIZATIONAL_UNIT_PATH_PATTERN.test(path)) {
      problems.push(`\`${subject}\` must hold organisational-unit paths like "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" (organisation id, root id, then each OU id down to the one to share with); got: ${show(path)}`);
      continue;
    }
    const normalised = path.endsWith('/') ? path : `${path}/`;
    if (!paths.includes(normalised)) paths.push(normalised);
  }
  if (paths.length > Limits.organizationalUnitPathsMax) {
    problems.push(`\`${subject}\` may hold at most ${Limits.organizationalUnitPathsMax} paths (a repository policy is at most 10,240 characters); got ${paths.length}`);
  }
  return problems.length > 0 ? fail(problems.join('; ')) : { ok: true, value: paths };
}

/** What the sharing properties ask for, as parsed. */
export interface SharingRequest {
  readonly shareWithOrganization?: boolean;
  readonly organizationalUnitPaths?: readonly string[];
}

/**
 * What a request's sharing needs from the settings: the organisation id, and every OU path
 * inside that organisation (a team can never share outside it).
 *
 * @param organizationId the provider's setting; undefined when the platform team has not set it.
 * @returns every problem, naming the property and the setting; empty when fine.
 */
export function sharingProblems(
  request: SharingRequest,
  organizationId: string | undefined,
  subjects: { readonly organization: string; readonly paths: string } = { organization: Property.ShareWithOrganization, paths: Property.ShareWithOrganizationalUnitPaths },
): string[] {
  const wantsOrganization = request.shareWithOrganization === true;
  const paths = request.organizationalUnitPaths ?? [];
  if (!wantsOrganization && paths.length === 0) return [];
  if (organizationId === undefined) {
    const named = [wantsOrganization ? `\`${subjects.organization}\`` : undefined, paths.length > 0 ? `\`${subjects.paths}\`` : undefined].filter(Boolean);
    const asked = named.join(' and ');
    return [
      `${asked} ${named.length > 1 ? 'need' : 'needs'} the organisation id, which the platform team has not set on the provider (\`${Setting.OrganizationId}\`: CDK \`organizationId\`, template parameter \`OrganizationId\`); ask them to set it, or remove ${asked}`,
    ];
  }
  return paths
    .filter((path) => !path.startsWith(`${organizationId}/`))
    .map((path) => `\`${subjects.paths}\` may only name units of the organisation ${organizationId}; got: ${show(path)}`);
}

function fail<T>(problem: string): Checked<T> {
  return { ok: false, problem };
}
