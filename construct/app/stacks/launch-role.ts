/**
 * The Service Catalog launch role of the Org::ECR::Repository product. Service Catalog runs the
 * product's stack with this role, so an end user needs Service Catalog rights only. The role
 * itself holds no ECR, KMS or SSM permission: the product's one resource is the custom
 * resource, whose work the provider Lambda does with its own role; the launch role may only
 * run the product's stacks and invoke that one function.
 *
 * The portfolio's launch constraint names the role by name (`LocalRoleName`), so the same
 * constraint works in every account the portfolio is shared with, as long as each has a role
 * of that name: the provider template creates it next to the provider it may invoke.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../../nag';
import type { ProviderStatement } from '../../provider-policy';

/** Role names end with the Region: IAM is global, while portfolios and providers are per Region. */
export const LAUNCH_ROLE_NAME_PREFIX = 'OrgEcrRepositoryLaunchRole';

/** `OrgEcrRepositoryLaunchRole-{Region}`, the name the launch constraint and the role share. */
export function launchRoleName(scope: Construct): string {
  return `${LAUNCH_ROLE_NAME_PREFIX}-${Stack.of(scope).region}`;
}

/** CloudFormation calls Service Catalog makes with the launch role on the product's stacks. */
export const PRODUCT_STACK_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:SetStackPolicy',
  // TagOptions and the user's tags become stack tags.
  'cloudformation:TagResource',
  'cloudformation:UntagResource',
] as const;

/** Props of {@link OrgEcrLaunchRole}. */
export interface OrgEcrLaunchRoleProps {
  /** The provider function's ARN (the ServiceToken): the only function the role may invoke. */
  readonly providerFunctionArn: string;
}

/** The launch role, named {@link launchRoleName}, trusted by Service Catalog only. */
export class OrgEcrLaunchRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OrgEcrLaunchRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const productStacks = stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: 'SC-*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const statements = launchRoleStatements(productStacks, props.providerFunctionArn);
    this.role = new iam.Role(this, 'Role', {
      roleName: launchRoleName(this),
      description: 'Service Catalog launch role of the Org::ECR::Repository product: runs the product stacks and invokes the provider, nothing else',
      assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com'),
      inlinePolicies: { LaunchOrgEcrRepositoryProduct: new iam.PolicyDocument({ statements: statements.map(({ statement }) => statement) }) },
    });
    acknowledgeWildcardResources(this.role, statements);
  }
}

/** One statement per need, each with the reason it exists (also cdk-nag's reason for its wildcard). */
function launchRoleStatements(productStacks: string, providerFunctionArn: string): ProviderStatement[] {
  const statement = (sid: string, why: string, props: Omit<iam.PolicyStatementProps, 'sid' | 'effect'>): ProviderStatement => ({
    statement: new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, ...props }),
    why,
  });
  return [
    statement(
      'CloudFormationRunProductStacks',
      'Service Catalog names each provisioned product stack SC-{account}-pp-{id}, unknown before launch; the role may only run those stacks, in this account and Region.',
      { actions: [...PRODUCT_STACK_ACTIONS], resources: [productStacks] },
    ),
    statement('CloudFormationReadProductTemplates', 'cloudformation:GetTemplateSummary and ValidateTemplate accept no resource, so IAM only takes "*".', {
      actions: ['cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate'],
      resources: ['*'],
    }),
    statement(
      'S3ReadServiceCatalogTemplateCopies',
      'Service Catalog launches from its own copy of the product template in a bucket it owns and does not name; only objects it tagged servicecatalog:provisioning=true can be read.',
      {
        actions: ['s3:GetObject'],
        resources: ['*'],
        conditions: { StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' } },
      },
    ),
    statement('LambdaInvokeProvider', 'CloudFormation invokes the custom resource\'s ServiceToken with the launch role: this provider function only.', {
      actions: ['lambda:InvokeFunction'],
      resources: [providerFunctionArn],
    }),
  ];
}
