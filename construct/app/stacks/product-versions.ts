/**
 * The product's provisioning artifacts: one per released version, each named after the
 * version and launched from that version's product template. The current version is this
 * package's; earlier releases stay offered while provisioned products still run them (an
 * update moves a provisioned product to the current one).
 *
 * CloudFormation keeps an artifact whose name and template URL are unchanged
 * (`ReplaceProvisioningArtifacts` false), creates one for a new pair and removes one no longer
 * listed. So each release adds an artifact; earlier ones are listed until retired.
 */
import { Aws, CfnCondition, CfnParameter, Fn, type IResolvable, Stack, Token } from 'aws-cdk-lib';
import type * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { show } from '../../../handler/src/props/rules';
import { InvalidConfigurationError } from '../../errors';
import { packageVersion } from './template-stack';

/** A released version of the product and where its template is. */
export interface ProductRelease {
  /** The package version, e.g. `0.1.0`: the artifact's name. */
  readonly version: string;
  /** HTTPS URL of that version's templates/service-catalog-product.yaml in S3. */
  readonly templateUrl: string;
}

/** Earlier releases the raw template can keep offering (a parameter cannot hold a list of objects). */
export const PREVIOUS_RELEASE_SLOTS = 2;

/** What a version looks like: semantic versioning's `MAJOR.MINOR.PATCH[-pre][+build]`. */
export const VERSION_PATTERN = '^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?$';
const URL_PATTERN = '^https://.+$';

/** One artifact in CloudFormation's words (inside an `Fn::If`, which the L1 passes through as written). */
export function artifactOf(release: { version: string; templateUrl: string }): Record<string, unknown> {
  return {
    Name: release.version,
    Description: `org-ecr-repository ${release.version}`,
    Info: { LoadTemplateFromURL: release.templateUrl },
    DisableTemplateValidation: false,
  };
}

/** One artifact in the L1's words (a plain element, which the L1 converts). */
export function l1ArtifactOf(release: ProductRelease): servicecatalog.CfnCloudFormationProduct.ProvisioningArtifactPropertiesProperty {
  return {
    name: release.version,
    description: `org-ecr-repository ${release.version}`,
    info: { LoadTemplateFromURL: release.templateUrl },
    disableTemplateValidation: false,
  };
}

/** Appends artifacts (objects, or `Fn::If` that may drop one) to the product's list. */
export function addArtifacts(
  product: servicecatalog.CloudFormationProduct,
  artifacts: ReadonlyArray<servicecatalog.CfnCloudFormationProduct.ProvisioningArtifactPropertiesProperty | IResolvable>,
): void {
  if (artifacts.length === 0) return;
  const cfn = product.node.defaultChild as servicecatalog.CfnCloudFormationProduct;
  const current = cfn.provisioningArtifactParameters;
  const list = Array.isArray(current) ? current : [current];
  cfn.provisioningArtifactParameters = [...list, ...artifacts] as unknown as servicecatalog.CfnCloudFormationProduct.ProvisioningArtifactPropertiesProperty[];
}

/**
 * The raw template's release parameters: the current version (default this package's) and
 * its template URL, and {@link PREVIOUS_RELEASE_SLOTS} optional earlier releases.
 *
 * @returns the current release, and the earlier ones as `Fn::If` entries that vanish when empty.
 */
export function addReleaseParameters(stack: Stack): { current: ProductRelease; previous: IResolvable[]; parameterNames: string[] } {
  const version = packageVersion();
  const productVersion = new CfnParameter(stack, 'ProductVersion', {
    type: 'String',
    description: 'The release this stack offers as the product\'s current provisioning artifact, named after it; its template is ProductTemplateUrl.',
    default: version,
    allowedPattern: VERSION_PATTERN,
    constraintDescription: 'a version such as 0.1.0',
  }).valueAsString;
  const productTemplateUrl = new CfnParameter(stack, 'ProductTemplateUrl', {
    type: 'String',
    description: `HTTPS URL of templates/service-catalog-product.yaml of that release in S3, e.g. https://BUCKET.s3.REGION.amazonaws.com/org-ecr-repository/service-catalog-product-${version}.yaml`,
    allowedPattern: URL_PATTERN,
    constraintDescription: 'an https:// URL of the product template in S3',
  }).valueAsString;
  const parameterNames = ['ProductVersion', 'ProductTemplateUrl'];
  const previous: IResolvable[] = [];
  for (let n = 1; n <= PREVIOUS_RELEASE_SLOTS; n++) {
    const previousVersion = new CfnParameter(stack, `PreviousVersion${n}`, {
      type: 'String',
      description: `An earlier release still offered (provisioned products that run it can stay on it), e.g. 0.1.0. Empty: none.`,
      default: '',
      allowedPattern: `^$|${VERSION_PATTERN}`,
      constraintDescription: 'empty, or a version such as 0.1.0',
    }).valueAsString;
    const previousUrl = new CfnParameter(stack, `PreviousTemplateUrl${n}`, {
      type: 'String',
      description: `HTTPS URL of the product template of PreviousVersion${n}, as uploaded for that release.`,
      default: '',
      allowedPattern: `^$|${URL_PATTERN}`,
      constraintDescription: 'empty, or an https:// URL of the product template in S3',
    }).valueAsString;
    parameterNames.push(`PreviousVersion${n}`, `PreviousTemplateUrl${n}`);
    const given = new CfnCondition(stack, `HasPreviousVersion${n}`, { expression: Fn.conditionNot(Fn.conditionEquals(previousVersion, '')) });
    previous.push(Fn.conditionIf(given.logicalId, artifactOf({ version: previousVersion, templateUrl: previousUrl }), Aws.NO_VALUE));
  }
  return { current: { version: productVersion, templateUrl: productTemplateUrl }, previous, parameterNames };
}

/**
 * `serviceCatalog.previousReleases` of cdk.json: earlier releases the CDK stack keeps
 * offering, e.g. `[{"version": "0.1.0", "templateUrl": "https://..."}]`.
 *
 * @throws InvalidConfigurationError naming each bad entry.
 */
export function contextPreviousReleases(value: unknown, subject: string): ProductRelease[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidConfigurationError([`\`${subject}\` must be a list of {"version", "templateUrl"}; got: ${show(value)}`]);
  const problems: string[] = [];
  const versions = new Set<string>([packageVersion()]);
  value.forEach((entry: unknown, index) => {
    const where = `${subject}[${index}]`;
    const release = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const extra = Object.keys(release).filter((key) => key !== 'version' && key !== 'templateUrl');
    if (extra.length > 0) problems.push(`\`${where}\` has unknown keys ${extra.join(', ')} (known: version, templateUrl)`);
    if (typeof release.version !== 'string' || !new RegExp(VERSION_PATTERN).test(release.version)) {
      problems.push(`\`${where}.version\` must be a version such as "0.1.0"; got: ${show(release.version)}`);
    } else if (versions.has(release.version)) {
      problems.push(`\`${where}.version\` repeats ${show(release.version)}: each release is one artifact (the current one is ${packageVersion()})`);
    } else versions.add(release.version);
    if (typeof release.templateUrl !== 'string' || !(Token.isUnresolved(release.templateUrl) || new RegExp(URL_PATTERN).test(release.templateUrl))) {
      problems.push(`\`${where}.templateUrl\` must be the https:// URL of that release's product template; got: ${show(release.templateUrl)}`);
    }
  });
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return value as ProductRelease[];
}
