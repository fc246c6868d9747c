/**
 * The raw provider template (generated from the provider construct, so its policy is the
 * construct's as synthesized) deployed once, on paper: the provider role's ARN and policies,
 * and the launch role's, with every intrinsic resolved for one account, Region and settings.
 */
import { join } from 'node:path';
import type { NamedPolicy } from './iam-simulator';
import { onlyResource, rolePolicies } from './shipped-policies';
import { loadTemplate, type Template } from './templates';

export const PROVIDER_TEMPLATE = join(__dirname, '..', '..', 'templates', 'provider.yaml');

/** Where and how the provider is deployed on paper. */
export interface ProviderDeploymentInput {
  readonly account: string;
  readonly region: string;
  /** Template parameters (OrganizationPrefix, ParameterPrefix, ...). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The provider role's name (physical id). @default 'org-ecr-provider' */
  readonly roleName?: string;
}

export interface ProviderDeployment {
  readonly template: Template;
  readonly roleArn: string;
  readonly policies: NamedPolicy[];
  readonly functionArn: string;
  readonly launchRoleArn: string;
  readonly launchRolePolicies: NamedPolicy[];
  /** The boundary the role is deployed with, if the template sets one. */
  readonly boundaryArn: string | undefined;
}

const isRole = (type: string, trusted: string) => (_id: string, resource: Template['Resources'][string]) =>
  resource.Type === type && JSON.stringify(resource.Properties?.AssumeRolePolicyDocument ?? {}).includes(trusted);

export function deployProvider(input: ProviderDeploymentInput, template: Template = loadTemplate(PROVIDER_TEMPLATE)): ProviderDeployment {
  const roleId = onlyResource(template, isRole('AWS::IAM::Role', 'lambda.amazonaws.com'));
  const launchRoleId = onlyResource(template, isRole('AWS::IAM::Role', 'servicecatalog.amazonaws.com'));
  const functionId = onlyResource(template, (_id, resource) => resource.Type === 'AWS::Lambda::Function');
  const roleName = input.roleName ?? 'org-ecr-provider';
  const path = (template.Resources[roleId]?.Properties?.Path as string | undefined) ?? '/';
  const roleArn = `arn:aws:iam::${input.account}:role${path}${roleName}`;
  const functionArn = `arn:aws:lambda:${input.region}:${input.account}:function:org-ecr-provider`;
  const launchRoleName = `OrgEcrRepositoryLaunchRole-${input.region}`;
  const deployment = {
    account: input.account,
    region: input.region,
    parameters: input.parameters,
    refs: { [roleId]: roleName, [launchRoleId]: launchRoleName, [functionId]: 'org-ecr-provider' },
    attributes: {
      [`${roleId}.Arn`]: roleArn,
      [`${functionId}.Arn`]: functionArn,
      [`${launchRoleId}.Arn`]: `arn:aws:iam::${input.account}:role/${launchRoleName}`,
      ...Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, resource]) => resource.Type === 'AWS::Logs::LogGroup')
          .map(([id]) => [`${id}.Arn`, `arn:aws:logs:${input.region}:${input.account}:log-group:/aws/lambda/org-ecr-provider:*`]),
      ),
    },
  };
  const boundary = template.Resources[roleId]?.Properties?.PermissionsBoundary;
  return {
    template,
    roleArn,
    policies: rolePolicies(template, roleId, deployment),
    functionArn,
    launchRoleArn: `arn:aws:iam::${input.account}:role/${launchRoleName}`,
    launchRolePolicies: rolePolicies(template, launchRoleId, deployment),
    boundaryArn: boundary === undefined ? undefined : JSON.stringify(boundary),
  };
}
