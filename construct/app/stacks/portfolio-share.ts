/**
 * Sharing the portfolio with AWS Organizations units from the CDK Service Catalog stack.
 * CloudFormation's `AWS::ServiceCatalog::PortfolioShare` takes an account id only, so each OU
 * share is an `AwsCustomResource` calling Service Catalog's `CreatePortfolioShare` on create
 * and `DeletePortfolioShare` on delete. The raw template keeps the documented CLI command
 * instead: this needs a Lambda function, hence an asset and `cdk bootstrap`.
 */
import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { show } from '../../../handler/src/props/rules';
import { InvalidConfigurationError, InvalidConstructPropsError } from '../../errors';
import { acknowledgeWildcardResources } from '../../nag';
import type { ProviderStatement } from '../../provider-policy';

/** The `serviceCatalog` context entry of cdk.json: settings of the CDK Service Catalog stack only. */
export const SERVICE_CATALOG_CONTEXT_KEY = 'serviceCatalog';
const SERVICE_CATALOG_KEYS = ['shareWithOrganizationalUnits', 'previousReleases'] as const;

/** An OU id as Organizations and Service Catalog write it (the API's `OrganizationNodeValue` pattern). */
export const ORGANIZATIONAL_UNIT_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** Service Catalog calls the share function makes, with the portfolio as their only resource. */
export const PORTFOLIO_SHARE_ACTIONS = ['servicecatalog:CreatePortfolioShare', 'servicecatalog:DeletePortfolioShare'] as const;

/** Read-only Organizations calls Service Catalog makes with the caller's rights to resolve an OU share (see why below). */
export const ORGANIZATION_READ_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListChildren',
  'organizations:ListParents',
] as const;

/** Props of {@link OrgEcrPortfolioShares}. */
export interface OrgEcrPortfolioSharesProps {
  /** The portfolio to share; owned by the deploying account. */
  readonly portfolio: servicecatalog.IPortfolio;
  /** The OUs to share it with, e.g. `["ou-ab12-cd345678"]`; literal ids, each once (each becomes one resource). */
  readonly organizationalUnitIds: readonly string[];
}

/**
 * One portfolio share per OU, with TagOptions and principal names shared too, so the
 * organisation's tags and the `EndUserRoleName` pattern apply in every account of the OU.
 *
 * Deploy it from the organisation's management account or the Service Catalog delegated
 * administrator, once Organizations access is enabled for Service Catalog. A share completes
 * asynchronously: the function logs each `PortfolioShareToken` for `describe-portfolio-share-status`.
 *
 * The function is the stack's one `AwsCustomResource` function, run with this construct's
 * role: it fails the synth when another `AwsCustomResource` created that function first, and
 * one created later would add its statements to this role.
 */
export class OrgEcrPortfolioShares extends Construct {
  /** The share resources, in the order of `organizationalUnitIds`. */
  public readonly shares: readonly cr.AwsCustomResource[];
  /** The share function's log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OrgEcrPortfolioSharesProps) {
    super(scope, id);
    const problems = checkOrganizationalUnitIds('organizationalUnitIds', props.organizationalUnitIds);
    if (props.organizationalUnitIds.length === 0) problems.push('`organizationalUnitIds` must name at least one organizational unit; got: []');
    if (problems.length > 0) throw new InvalidConstructPropsError(this.node.path, problems);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    const statements = shareStatements(props.portfolio.portfolioArn);
    // One role for every share: no AWS managed policy, logs to this log group only.
    const role = new iam.Role(this, 'Role', {
      description: 'Shares the Org::ECR::Repository portfolio with organizational units (AwsCustomResource), nothing else',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { SharePortfolioWithOrganizationalUnits: new iam.PolicyDocument({ statements: statements.map(({ statement }) => statement) }) },
    });
    this.logGroup.grantWrite(role);
    acknowledgeWildcardResources(role, statements);

    const shares: cr.AwsCustomResource[] = [];
    for (const organizationalUnitId of props.organizationalUnitIds) {
      const share = new cr.AwsCustomResource(this, organizationalUnitId, {
        resourceType: 'Custom::PortfolioOrganizationalUnitShare',
        // The share is created again (a no-op when it exists) when its properties change, e.g. a replaced portfolio.
        onCreate: createShare(props.portfolio.portfolioId, organizationalUnitId),
        onUpdate: createShare(props.portfolio.portfolioId, organizationalUnitId),
        onDelete: {
          ...shareCall('deletePortfolioShare', props.portfolio.portfolioId, organizationalUnitId),
          // Already unshared, or the portfolio is gone: nothing is left to remove.
          ignoreErrorCodesMatching: '^ResourceNotFoundException$',
        },
        role,
        logGroup: this.logGroup,
        // The Lambda runtime's own SDK: no npm download at deploy time.
        installLatestAwsSdk: false,
      });
      if (share.grantPrincipal !== role) {
        throw new InvalidConstructPropsError(this.node.path, [
          `the stack's AwsCustomResource function already exists with another role, so the shares would lack their permissions; create OrgEcrPortfolioShares before any other AwsCustomResource of stack ${Stack.of(this).stackName}, or in a stack of its own`,
        ]);
      }
      // Service Catalog runs one share operation per portfolio at a time: never start two at once.
      const previous = shares[shares.length - 1];
      if (previous !== undefined) share.node.addDependency(previous);
      shares.push(share);
    }
    this.shares = shares;

    new CfnOutput(Stack.of(this), 'OrganizationalUnitShareLogGroup', {
      description: 'Log group of the OU share function: each share\'s PortfolioShareToken, for aws servicecatalog describe-portfolio-share-status',
      value: this.logGroup.logGroupName,
    });
  }
}

/**
 * Checks a list of OU ids: a list, each an OU id, each once.
 *
 * @param subject the list as the user named it, e.g. `serviceCatalog.shareWithOrganizationalUnits`.
 * @returns every problem; empty when valid.
 */
export function checkOrganizationalUnitIds(subject: string, value: unknown): string[] {
  if (!Array.isArray(value)) return [`\`${subject}\` must be a list of organizational unit ids, e.g. ["ou-ab12-cd345678"]; got: ${show(value)}`];
  const problems: string[] = [];
  value.forEach((id: unknown, index) => {
    if (typeof id === 'string' && Token.isUnresolved(id)) {
      problems.push(`\`${subject}[${index}]\` must be a literal organizational unit id (each becomes its own resource), not a token; got: ${show(id)}`);
    } else if (typeof id !== 'string' || !ORGANIZATIONAL_UNIT_ID.test(id)) {
      problems.push(`\`${subject}[${index}]\` must be an organizational unit id: "ou-", 4 to 32 lowercase letters or digits, "-", 8 to 32 more, e.g. "ou-ab12-cd345678"; got: ${show(id)}`);
    } else if (value.indexOf(id) !== index) {
      problems.push(`\`${subject}[${index}]\` repeats ${show(id)}; list each organizational unit once`);
    }
  });
  return problems;
}

/** The `serviceCatalog` context entry's OU ids; none when the entry or the key is absent. */
export function contextOrganizationalUnitIds(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidConfigurationError([`\`${SERVICE_CATALOG_CONTEXT_KEY}\` must be an object with ${SERVICE_CATALOG_KEYS.join(', ')}; got: ${show(value)}`]);
  }
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((key) => !(SERVICE_CATALOG_KEYS as readonly string[]).includes(key));
  const subject = `${SERVICE_CATALOG_CONTEXT_KEY}.shareWithOrganizationalUnits`;
  const ids = entry.shareWithOrganizationalUnits ?? [];
  const problems = [
    ...unknown.map((key) => `\`${SERVICE_CATALOG_CONTEXT_KEY}.${key}\` is not a known key (known: ${SERVICE_CATALOG_KEYS.join(', ')}); got: ${show(entry[key])}`),
    ...checkOrganizationalUnitIds(subject, ids),
  ];
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return ids as string[];
}

function createShare(portfolioId: string, organizationalUnitId: string): cr.AwsSdkCall {
  const call = shareCall('createPortfolioShare', portfolioId, organizationalUnitId);
  return { ...call, parameters: { ...call.parameters, ShareTagOptions: true, SharePrincipals: true } };
}

function shareCall(action: string, portfolioId: string, organizationalUnitId: string): cr.AwsSdkCall {
  return {
    service: 'ServiceCatalog',
    action,
    parameters: { PortfolioId: portfolioId, OrganizationNode: { Type: 'ORGANIZATIONAL_UNIT', Value: organizationalUnitId } },
    physicalResourceId: cr.PhysicalResourceId.of(`${portfolioId}/${organizationalUnitId}`),
  };
}

/** One statement per need, each with the reason it exists (also cdk-nag's reason for its wildcard). */
function shareStatements(portfolioArn: string): ProviderStatement[] {
  return [
    {
      statement: new iam.PolicyStatement({ sid: 'ServiceCatalogShareThisPortfolio', actions: [...PORTFOLIO_SHARE_ACTIONS], resources: [portfolioArn] }),
      why: 'Creates and deletes the OU shares of this portfolio only.',
    },
    {
      statement: new iam.PolicyStatement({ sid: 'OrganizationsReadStructure', actions: [...ORGANIZATION_READ_ACTIONS], resources: ['*'] }),
      why:
        'Read-only: Service Catalog resolves the accounts of an OU share with the caller\'s Organizations rights (AWS\'s Landing Zone Accelerator grants its share function the same). DescribeOrganization and ListAccounts accept no resource, and the OU and account ARNs name the organisation id, unknown at synth.',
    },
  ];
}
