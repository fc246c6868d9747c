import { type App, CfnParameter, type Stack } from 'aws-cdk-lib';
import type { ApplicationHelper } from '../../application-helper';
import { OrgEcrProviderBoundary, PROVIDER_BOUNDARY_NAME } from '../../provider-boundary';
import { PROVIDER_PARAMETER_SPECS, ProviderParameter } from './provider-parameters';
import { newTemplateStack } from './template-stack';

/** The stack whose template is templates/provider-boundary.yaml. */
export const PROVIDER_BOUNDARY_STACK_NAME = 'OrgEcrProviderBoundary';

/**
 * The recommended permissions boundary of the provider role (templates/provider-boundary.yaml),
 * the `OrgEcrProviderBoundary` construct: deploy it in each account (a StackSet, like the
 * provider) and pass `arn:aws:iam::{account}:policy/org-ecr-provider-boundary` as the provider
 * template's PermissionsBoundaryArn.
 */
export function providerBoundaryStack(app: App, _appHelper: ApplicationHelper): Stack {
  const stack = newTemplateStack(app, PROVIDER_BOUNDARY_STACK_NAME, {
    description: `Org::ECR::Repository: the recommended permissions boundary of the provider role (${PROVIDER_BOUNDARY_NAME})`,
  });
  const prefix = new CfnParameter(stack, ProviderParameter.OrganizationPrefix, PROVIDER_PARAMETER_SPECS[ProviderParameter.OrganizationPrefix]);
  new OrgEcrProviderBoundary(stack, 'Boundary', { organizationPrefix: prefix.valueAsString });
  return stack;
}
