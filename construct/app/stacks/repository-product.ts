/**
 * The Service Catalog product's template (templates/service-catalog-product.yaml): one
 * `OrgEcrRepository`, the application team's construct, with every contract property as a
 * parameter a self-service user fills in, and every attribute as an output.
 */
import { Aws, CfnCondition, CfnOutput, CfnParameter, type CfnParameterProps, type CfnResource, Fn, Token } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import type { Construct } from 'constructs';
import { ATTRIBUTE_NAMES, Attribute, Limits, Property, TAG_MUTABILITY_VALUES } from '../../../handler/src/contract';
import { OrgEcrRepository } from '../../repository';
import { TEMPLATE_FORMAT_VERSION, withoutPathMetadata } from './template-stack';

/** Tag pairs the product offers: CloudFormation parameters cannot hold a list of objects. */
export const PRODUCT_TAG_PAIRS = 3;

/** The logical id of the product's custom resource, readable in the console and in outputs. */
export const PRODUCT_RESOURCE_ID = 'Repository';

/** The output holding `Ref` (the physical id, the repository name). */
export const PHYSICAL_ID_OUTPUT = 'PhysicalResourceId';

/** Characters a tag key or value may hold here: the ASCII part of what the provider accepts. */
const TAG_CHARACTERS = 'A-Za-z0-9 _.:/=+@-';

/** A name part the provider accepts: non-empty, at most 256 characters, at least one letter or digit. */
export const NAME_PART_PATTERN = '^.*[A-Za-z0-9].*$';
/** Empty (no lifecycle policy) or a whole number from 1 to 10000. */
export const IMAGES_RETAINED_PATTERN = '^$|^([1-9][0-9]{0,3}|10000)$';
/** Empty (the organisation's filters) or 1 to 5 comma-separated ECR wildcard filters. */
export const EXCLUSION_FILTERS_PATTERN = '^$|^[0-9a-zA-Z._*-]{1,128}(,[0-9a-zA-Z._*-]{1,128}){0,4}$';
/** Empty (no tag) or a key not reserved for AWS (`aws:`) or the provider (`org-ecr:`). */
export const TAG_KEY_PATTERN = `^$|^(?![aA][wW][sS]:|[oO][rR][gG]-[eE][cC][rR]:)[${TAG_CHARACTERS}]{1,${Limits.tagKeyMax}}$`;
/** A tag value of at most 256 of the same characters (empty allowed, as the provider allows). */
export const TAG_VALUE_PATTERN = `^[${TAG_CHARACTERS}]{0,${Limits.tagValueMax}}$`;

/** Empty, or comma-separated OU paths (the provider checks each path's ids and organisation). */
export const OU_PATHS_PATTERN = '^$|^ *o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}(/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*/? *( *, *o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}(/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*/? *)*$';

const BOOLEAN: Pick<CfnParameterProps, 'type' | 'allowedValues' | 'default'> = { type: 'String', allowedValues: ['false', 'true'], default: 'false' };

/** The repository parameters, named as the contract's properties. */
const PARAMETERS: Readonly<Record<Exclude<keyof typeof Property, 'Tags'>, CfnParameterProps & { readonly label: string }>> = {
  ApplicationName: {
    label: 'Application name',
    type: 'String',
    description: 'The application the repository belongs to; the name becomes {prefix}-{application}-{base}. Changing it replaces the repository.',
    minLength: 1,
    allowedPattern: NAME_PART_PATTERN,
    constraintDescription: 'at least one letter or digit (long names are cut to fit, with a hash)',
  },
  RepositoryBaseName: {
    label: 'Repository base name',
    type: 'String',
    description: 'The repository\'s own name within the application, e.g. orders-api; also names the SSM parameters ECR_{BASE}_arn and ECR_{BASE}_name. Changing it replaces the repository.',
    minLength: 1,
    allowedPattern: NAME_PART_PATTERN,
    constraintDescription: 'at least one letter or digit (long names are cut to fit, with a hash)',
  },
  UseKmsKey: {
    label: 'Encrypt with a customer-managed KMS key',
    type: 'String',
    allowedValues: ['', 'false', 'true'],
    default: '',
    description:
      "true: a new customer-managed KMS key encrypts the repository; false: AES256; empty: the organisation's choice (a key when it requires one). ECR fixes encryption at creation: change it only together with a new name.",
  },
  ImagesRetained: {
    label: 'Images retained',
    type: 'String',
    default: '',
    description: `Keep the N most recently pushed images (${Limits.imagesRetainedMin} to ${Limits.imagesRetainedMax}) and expire older ones. Empty: no count rule (untagged images still expire after the organisation's number of days).`,
    allowedPattern: IMAGES_RETAINED_PATTERN,
    constraintDescription: `empty, or a whole number from ${Limits.imagesRetainedMin} to ${Limits.imagesRetainedMax}`,
  },
  ShareableWithAllEnvs: {
    label: 'Shareable with all environments',
    ...BOOLEAN,
    description: 'true: every environment account of the organisation may pull (read-only) from the repository.',
  },
  ImageTagMutability: {
    label: 'Image tag mutability',
    type: 'String',
    default: '',
    allowedValues: ['', ...TAG_MUTABILITY_VALUES],
    description:
      "Empty: the organisation's default (IMMUTABLE unless the platform team chose otherwise). IMMUTABLE: a pushed tag never moves (Security Hub ECR.2). IMMUTABLE_WITH_EXCLUSION: only the tags of the exclusion filters (e.g. latest) move. MUTABLE: every tag may move. Changed in place.",
  },
  ImageTagMutabilityExclusionFilters: {
    label: 'Tags that stay movable',
    type: 'String',
    default: '',
    description: `With IMMUTABLE_WITH_EXCLUSION only: ${Limits.exclusionFiltersMin} to ${Limits.exclusionFiltersMax} comma-separated tags or wildcard patterns that may move, e.g. latest,dev-*. Empty: the organisation's filters.`,
    allowedPattern: EXCLUSION_FILTERS_PATTERN,
    constraintDescription: `empty, or ${Limits.exclusionFiltersMin} to ${Limits.exclusionFiltersMax} comma-separated filters of letters, digits, ".", "_", "-" and "*"`,
  },
  RetainOnDelete: {
    label: 'Keep the repository when the product is terminated',
    ...BOOLEAN,
    description:
      'false: terminating the product (or replacing the repository) deletes the repository with its images, its key and parameters. true: they all stay. Can be changed by updating the product.',
  },
  ShareWithOrganization: {
    label: 'Share with the whole organisation',
    ...BOOLEAN,
    description: 'true: every account of the organisation (the provider\'s OrganizationId) may pull (read-only), through aws:PrincipalOrgID.',
  },
  ShareWithOrganizationalUnitPaths: {
    label: 'Share with organisational units',
    type: 'String',
    default: '',
    description:
      'Comma-separated organisational-unit paths whose accounts (and those of their child units) may pull (read-only), e.g. o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/. Empty: none.',
    allowedPattern: OU_PATHS_PATTERN,
    constraintDescription: 'empty, or comma-separated paths like o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/',
  },
  LambdaPullFromEnvs: {
    label: 'Lambda functions of the environments may pull',
    ...BOOLEAN,
    description: 'true: Lambda functions of the environment accounts may use the images (lambda.amazonaws.com, limited to functions of those accounts in this Region).',
  },
};

/** Attributes that only have a value with a customer key. */
const KEY_ATTRIBUTES: ReadonlySet<string> = new Set([Attribute.KmsKeyArn, Attribute.KmsKeyArnParameterName]);

/**
 * The product template. Pass it to `CloudFormationTemplate.fromProductStack`; it holds no
 * assets, so it also works as a plain template uploaded to S3.
 */
export class OrgEcrRepositoryProduct extends servicecatalog.ProductStack {
  /** The repository the product creates. */
  public readonly repository: OrgEcrRepository;

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Org::ECR::Repository: an organisation-standard Amazon ECR repository (Service Catalog product)',
      analyticsReporting: false,
    });
    withoutPathMetadata(this);
    this.templateOptions.templateFormatVersion = TEMPLATE_FORMAT_VERSION;

    const labels: Record<string, { default: string }> = {};
    const parameter = (name: string, { label, ...props }: CfnParameterProps & { readonly label: string }) => {
      labels[name] = { default: label };
      return new CfnParameter(this, name, props);
    };
    const values = Object.fromEntries(Object.entries(PARAMETERS).map(([name, props]) => [name, parameter(name, props).valueAsString])) as Record<keyof typeof PARAMETERS, string>;

    const tagParameters: string[] = [];
    const tags = Array.from({ length: PRODUCT_TAG_PAIRS }, (_unused, index) => {
      const n = index + 1;
      const key = parameter(`TagKey${n}`, {
        label: `Tag ${n} key`,
        type: 'String',
        default: '',
        description: `Optional tag ${n} on the repository, its key and its parameters. The organisation's tags are added by the provider and cannot be overridden.`,
        allowedPattern: TAG_KEY_PATTERN,
        constraintDescription: `empty, or up to ${Limits.tagKeyMax} letters, digits, spaces and _ . : / = + @ -, not starting with aws: or org-ecr:`,
      });
      const value = parameter(`TagValue${n}`, {
        label: `Tag ${n} value`,
        type: 'String',
        default: '',
        description: `Value of tag ${n}.`,
        allowedPattern: TAG_VALUE_PATTERN,
        constraintDescription: `up to ${Limits.tagValueMax} letters, digits, spaces and _ . : / = + @ -`,
      });
      tagParameters.push(key.logicalId, value.logicalId);
      const given = new CfnCondition(this, `HasTag${n}`, { expression: Fn.conditionNot(Fn.conditionEquals(key.valueAsString, '')) });
      return Fn.conditionIf(given.logicalId, { Key: key.valueAsString, Value: value.valueAsString }, Aws.NO_VALUE);
    });

    // Parameters are strings: they reach the provider as CloudFormation sends every scalar, and tokens pass the construct's synth checks.
    this.repository = new OrgEcrRepository(this, 'OrgEcrRepository', {
      applicationName: values.ApplicationName,
      repositoryBaseName: values.RepositoryBaseName,
      useKmsKey: Token.asAny(values.UseKmsKey) as unknown as boolean,
      imagesRetained: Token.asAny(values.ImagesRetained) as unknown as number,
      shareableWithAllEnvs: Token.asAny(values.ShareableWithAllEnvs) as unknown as boolean,
      imageTagMutability: Token.asAny(values.ImageTagMutability) as unknown as 'IMMUTABLE',
      imageTagMutabilityExclusionFilters: Token.asAny(values.ImageTagMutabilityExclusionFilters) as unknown as string[],
      shareWithOrganization: Token.asAny(values.ShareWithOrganization) as unknown as boolean,
      // A comma-separated string: the provider splits it (a parameter cannot hold a list of paths and stay optional).
      shareWithOrganizationalUnitPaths: Token.asAny(values.ShareWithOrganizationalUnitPaths) as unknown as string[],
      lambdaPullFromEnvs: Token.asAny(values.LambdaPullFromEnvs) as unknown as boolean,
      tags: Token.asAny(tags) as unknown as Record<string, string>,
    });
    const resource = this.repository.resource.node.defaultChild as CfnResource;
    resource.overrideLogicalId(PRODUCT_RESOURCE_ID);
    // A property, not DeletionPolicy: a parameter cannot set DeletionPolicy, and the provider reads the property on every Delete.
    resource.addPropertyOverride(Property.RetainOnDelete, values.RetainOnDelete);

    new CfnOutput(this, PHYSICAL_ID_OUTPUT, { description: 'Ref: the physical id, which is the repository name', value: this.repository.resource.ref });
    // The key attributes are empty without a customer key: an output is only declared when it has a value.
    const withKmsKey = new CfnCondition(this, 'WithKmsKey', { expression: Fn.conditionEquals(values.UseKmsKey, 'true') });
    for (const attribute of ATTRIBUTE_NAMES) {
      const output = new CfnOutput(this, attribute, { description: `Fn::GetAtt ${PRODUCT_RESOURCE_ID}.${attribute}`, value: this.repository.resource.getAttString(attribute) });
      if (KEY_ATTRIBUTES.has(attribute)) output.condition = withKmsKey;
    }

    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Repository' }, Parameters: [Property.ApplicationName, Property.RepositoryBaseName] },
          { Label: { default: 'Options' }, Parameters: [Property.UseKmsKey, Property.ImagesRetained, Property.ShareableWithAllEnvs, Property.ImageTagMutability, Property.ImageTagMutabilityExclusionFilters, Property.RetainOnDelete] },
          { Label: { default: 'Sharing (read-only)' }, Parameters: [Property.ShareWithOrganization, Property.ShareWithOrganizationalUnitPaths, Property.LambdaPullFromEnvs] },
          { Label: { default: 'Tags (optional)' }, Parameters: tagParameters },
        ],
        ParameterLabels: labels,
      },
    };
  }
}
