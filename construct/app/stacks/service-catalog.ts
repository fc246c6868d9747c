/**
 * The Service Catalog door: a portfolio with the Org::ECR::Repository product, a launch
 * constraint, the organisation's TagOptions and an optional end-user role. Two stacks share
 * it: `OrgEcrServiceCatalog` for CDK users (the product template is a `ProductStack` asset)
 * and `OrgEcrServiceCatalogTemplate`, written to templates/service-catalog.yaml for platform
 * teams without the CDK (the product template is uploaded to S3 and passed by URL).
 */
import { type App, Aws, CfnCondition, CfnOutput, CfnParameter, Fn, type IResolvable, type Stack, Stack as CdkStack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { SERVICE_TOKEN_PARAMETER_NAME } from '../../../handler/src/contract';
import type { ApplicationHelper } from '../../application-helper';
import { launchRoleName, OrgEcrLaunchRole } from './launch-role';
import { contextOrganizationalUnitIds, OrgEcrPortfolioShares, SERVICE_CATALOG_CONTEXT_KEY } from './portfolio-share';
import { PROVIDER_CONTEXT_KEY } from './provider-stack';
import { OrgEcrRepositoryProduct } from './repository-product';
import { addArtifacts, addReleaseParameters, contextPreviousReleases, l1ArtifactOf } from './product-versions';
import { addSupportParameters, END_USER_ROLE_PARAMETER, endUserPrincipal } from './portfolio-parameters';
import { newTemplateStack, packageVersion, withoutPathMetadata } from './template-stack';

/** The CDK door's stack (needs a bootstrapped account: the product template is an asset). */
export const SERVICE_CATALOG_STACK_NAME = 'OrgEcrServiceCatalog';
/** The stack whose template is templates/service-catalog.yaml. */
export const SERVICE_CATALOG_TEMPLATE_STACK_NAME = 'OrgEcrServiceCatalogTemplate';
/** Organisation tag pairs the raw template offers as TagOptions (a parameter cannot hold a map). */
export const TEMPLATE_TAG_OPTION_PAIRS = 3;

/** Props of {@link OrgEcrPortfolio}. */
export interface OrgEcrPortfolioProps {
  /** The product's template for this package version. */
  readonly productTemplate: servicecatalog.CloudFormationTemplate;
  /** Named, by its name, in the launch constraint: each account the portfolio is shared with has its own role of this name. */
  readonly launchRole: iam.IRole;
  /**
   * The organisation's tags as TagOptions: Service Catalog applies a TagOption with a single
   * value to every provisioned product's stack, and the end user cannot change it.
   *
   * @default - no TagOptions
   */
  readonly organisationTagOptions?: servicecatalog.TagOptions;
  /**
   * OUs to share the portfolio with, with its TagOptions and principal names, e.g.
   * `["ou-ab12-cd345678"]`. A share needs a Lambda function (an asset), so the stack must be
   * deployed with `cdk deploy`, from the management account or the Service Catalog delegated
   * administrator.
   *
   * @default - no OU share: the `ShareWithOrganizationalUnit` output gives the CLI command
   */
  readonly shareWithOrganizationalUnits?: readonly string[];
  /**
   * The current release's name (the provisioning artifact's).
   *
   * @default - this package's version
   */
  readonly productVersionName?: string;
  /**
   * Earlier releases' artifacts, still offered (objects, or `Fn::If` that drop an empty slot).
   *
   * @default - only the current release
   */
  readonly previousArtifacts?: ReadonlyArray<servicecatalog.CfnCloudFormationProduct.ProvisioningArtifactPropertiesProperty | IResolvable>;
}

/**
 * The portfolio and product, with the parameters every variant shares: who provides the
 * product and which IAM role name (in any account the portfolio is shared with) may launch it.
 */
export class OrgEcrPortfolio extends Construct {
  /** The portfolio. */
  public readonly portfolio: servicecatalog.Portfolio;
  /** The product; its version is this package's version. */
  public readonly product: servicecatalog.CloudFormationProduct;

  constructor(scope: Construct, id: string, props: OrgEcrPortfolioProps) {
    super(scope, id);
    const stack = CdkStack.of(this);
    const version = packageVersion();
    const providerName = new CfnParameter(stack, 'ProviderName', {
      type: 'String',
      description: 'Who provides the portfolio and owns the product, as end users see it.',
      default: 'Platform team',
      minLength: 1,
      maxLength: 50,
    }).valueAsString;
    const endUserRoleName = new CfnParameter(stack, 'EndUserRoleName', END_USER_ROLE_PARAMETER).valueAsString;
    const support = addSupportParameters(stack);

    this.portfolio = new servicecatalog.Portfolio(this, 'Portfolio', {
      displayName: 'Organisation ECR repositories',
      providerName,
      description: 'Standards-compliant Amazon ECR repositories (Org::ECR::Repository), self-service',
    });
    this.product = new servicecatalog.CloudFormationProduct(this, 'Product', {
      productName: 'Organisation ECR repository',
      owner: providerName,
      description: 'An Amazon ECR repository named, encrypted, scanned, shared and tagged to the organisation\'s standard by the Org::ECR::Repository provider',
      productVersions: [
        {
          productVersionName: props.productVersionName ?? version,
          description: `org-ecr-repository ${props.productVersionName ?? version}`,
          cloudFormationTemplate: props.productTemplate,
          validateTemplate: true,
        },
      ],
    });
    const cfnProduct = this.product.node.defaultChild as servicecatalog.CfnCloudFormationProduct;
    cfnProduct.supportEmail = support.email;
    cfnProduct.supportUrl = support.url;
    cfnProduct.supportDescription = support.description;
    addArtifacts(this.product, props.previousArtifacts ?? []);
    this.portfolio.addProduct(this.product);
    // Service Catalog runs the product's stack with this role; the user needs no CloudFormation, ECR or KMS rights.
    this.portfolio.setLocalLaunchRole(this.product, props.launchRole, {
      description: 'Launches with the local role that may only run the product stacks and invoke the provider',
    });
    if (props.organisationTagOptions !== undefined) this.portfolio.associateTagOptions(props.organisationTagOptions);

    const hasEndUser = new CfnCondition(this, 'HasEndUserRole', { expression: Fn.conditionNot(Fn.conditionEquals(endUserRoleName, '')) });
    const endUser = new servicecatalog.CfnPortfolioPrincipalAssociation(this, 'EndUserRoleAssociation', {
      portfolioId: this.portfolio.portfolioId,
      ...endUserPrincipal(this, endUserRoleName),
    });
    endUser.cfnOptions.condition = hasEndUser;
    // Reported against the parameter's default, which the validator attributes to the stack.
    Validations.of(stack).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason: 'The empty default means "no end-user role": the association only exists, and the ARN is only built, when EndUserRoleName is given (condition HasEndUserRole).',
    });
    if (props.shareWithOrganizationalUnits !== undefined && props.shareWithOrganizationalUnits.length > 0) {
      new OrgEcrPortfolioShares(this, 'OrganizationalUnitShares', { portfolio: this.portfolio, organizationalUnitIds: props.shareWithOrganizationalUnits });
    }

    new CfnOutput(stack, 'PortfolioId', { description: 'The portfolio id', value: this.portfolio.portfolioId });
    new CfnOutput(stack, 'ProductId', { description: 'The product id', value: this.product.productId });
    new CfnOutput(stack, 'ProvisioningArtifactIds', {
      description: 'The product\'s provisioning artifact ids, comma-separated, in the order of ProvisioningArtifactNames (the current release first): for provision-product --provisioning-artifact-id',
      value: cfnProduct.attrProvisioningArtifactIds,
    });
    new CfnOutput(stack, 'ProvisioningArtifactNames', { description: 'The artifacts\' names: the releases, current first', value: cfnProduct.attrProvisioningArtifactNames });
    new CfnOutput(stack, 'ShareWithOrganizationalUnit', {
      description: 'Run from the management account or the Service Catalog delegated administrator, once per OU (CloudFormation has no resource for OU shares)',
      value: `aws servicecatalog create-portfolio-share --region ${stack.region} --portfolio-id ${this.portfolio.portfolioId} --organization-node Type=ORGANIZATIONAL_UNIT,Value=OU_ID --share-tag-options --share-principals`,
    });
  }
}

/**
 * The CDK door: the product template is the `OrgEcrRepositoryProduct` ProductStack; the launch
 * role is created here and may invoke the account's provider (found through its SSM
 * parameter); the TagOptions are the `provider.mandatoryTags` of cdk.json; the portfolio is
 * shared with the OUs of `serviceCatalog.shareWithOrganizationalUnits` of cdk.json, if any.
 */
export function serviceCatalogStack(app: App, appHelper: ApplicationHelper): Stack {
  const stack = new CdkStack(app, SERVICE_CATALOG_STACK_NAME, {
    env: appHelper.environment,
    description: 'Org::ECR::Repository Service Catalog portfolio and product (platform team)',
  });
  // The product template is also committed as templates/service-catalog-product.yaml: keep it free of construct paths.
  withoutPathMetadata(stack);
  const productStack = new OrgEcrRepositoryProduct(stack, 'RepositoryProduct');
  const launchRole = new OrgEcrLaunchRole(stack, 'LaunchRole', {
    providerFunctionArn: ssm.StringParameter.valueForStringParameter(stack, SERVICE_TOKEN_PARAMETER_NAME),
  });
  const mandatoryTags = contextMandatoryTags(app);
  const serviceCatalogContext = app.node.tryGetContext(SERVICE_CATALOG_CONTEXT_KEY) as Record<string, unknown> | undefined;
  const shareWithOrganizationalUnits = contextOrganizationalUnitIds(serviceCatalogContext);
  const previousReleases = contextPreviousReleases(serviceCatalogContext?.previousReleases, `${SERVICE_CATALOG_CONTEXT_KEY}.previousReleases`);
  new OrgEcrPortfolio(stack, 'Catalog', {
    previousArtifacts: previousReleases.map(l1ArtifactOf),
    productTemplate: servicecatalog.CloudFormationTemplate.fromProductStack(productStack),
    launchRole: launchRole.role,
    organisationTagOptions:
      Object.keys(mandatoryTags).length === 0
        ? undefined
        : new servicecatalog.TagOptions(stack, 'OrganisationTags', { allowedValuesForTags: Object.fromEntries(Object.entries(mandatoryTags).map(([key, value]) => [key, [value]])) }),
    shareWithOrganizationalUnits,
  });
  return stack;
}

/**
 * The raw door (templates/service-catalog.yaml): the product template comes from a URL (upload
 * templates/service-catalog-product.yaml), the launch role is the one the provider template
 * creates in each account, the organisation's tags are parameters.
 */
export function serviceCatalogTemplateStack(app: App, _appHelper: ApplicationHelper): Stack {
  const stack = newTemplateStack(app, SERVICE_CATALOG_TEMPLATE_STACK_NAME, {
    description: 'Org::ECR::Repository Service Catalog portfolio and product, launched with the OrgEcrRepositoryLaunchRole-{Region} the provider template creates',
  });
  const releases = addReleaseParameters(stack);
  const catalog = new OrgEcrPortfolio(stack, 'Catalog', {
    productTemplate: servicecatalog.CloudFormationTemplate.fromUrl(releases.current.templateUrl),
    productVersionName: releases.current.version,
    previousArtifacts: releases.previous,
    launchRole: iam.Role.fromRoleName(stack, 'LaunchRole', launchRoleName(stack)),
  });
  addTagOptionParameters(stack, catalog.portfolio);
  return stack;
}

/** Up to {@link TEMPLATE_TAG_OPTION_PAIRS} organisation tags as TagOptions on the portfolio, each only when its key is given. */
function addTagOptionParameters(stack: Stack, portfolio: servicecatalog.Portfolio): void {
  for (let n = 1; n <= TEMPLATE_TAG_OPTION_PAIRS; n++) {
    const key = new CfnParameter(stack, `OrganisationTag${n}Key`, {
      type: 'String',
      description: `Organisation tag ${n} key (the provider's MandatoryTags), applied to every provisioned product as a TagOption. Empty: none.`,
      default: '',
      maxLength: 128,
    }).valueAsString;
    const value = new CfnParameter(stack, `OrganisationTag${n}Value`, {
      type: 'String',
      description: `Organisation tag ${n} value.`,
      default: '',
      maxLength: 256,
    }).valueAsString;
    const given = new CfnCondition(stack, `HasOrganisationTag${n}`, { expression: Fn.conditionNot(Fn.conditionEquals(key, '')) });
    const tagOption = new servicecatalog.CfnTagOption(stack, `OrganisationTag${n}`, { key, value, active: true });
    tagOption.cfnOptions.condition = given;
    Validations.of(tagOption).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason: 'The empty defaults mean "no such organisation tag": the TagOption only exists, and its key and value are only read, when the key is given (condition HasOrganisationTagN).',
    });
    const association = new servicecatalog.CfnTagOptionAssociation(stack, `OrganisationTag${n}Association`, { resourceId: portfolio.portfolioId, tagOptionId: tagOption.ref });
    association.cfnOptions.condition = given;
  }
}

/** `provider.mandatoryTags` of the context (checked by the provider stack, which is built first). */
function contextMandatoryTags(app: App): Record<string, string> {
  const provider = app.node.tryGetContext(PROVIDER_CONTEXT_KEY) as { mandatoryTags?: Record<string, string> } | undefined;
  return provider?.mandatoryTags ?? {};
}
