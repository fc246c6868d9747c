import { type App, CfnCondition, CfnParameter, Fn, type Stack } from 'aws-cdk-lib';
import type { ApplicationHelper } from '../../application-helper';
import { OrgEcrGuardrail } from '../../guardrail';
import { BREAK_GLASS_ROLE_PATH } from '../../guardrail-policy';
import { PROVIDER_ROLE_PATH } from '../../../handler/src/contract';
import { PROVIDER_PARAMETER_SPECS, ProviderParameter } from './provider-parameters';
import { newTemplateStack } from './template-stack';

/** The stack whose template is templates/guardrail.yaml. */
export const GUARDRAIL_STACK_NAME = 'OrgEcrGuardrail';

/**
 * The organisation guardrail (templates/guardrail.yaml), deployed once in the management
 * account: the `OrgEcrGuardrail` construct with its settings as parameters. Partition `aws`
 * in the default ARN patterns; pass patterns of your partition elsewhere.
 */
export function guardrailStack(app: App, _appHelper: ApplicationHelper): Stack {
  const stack = newTemplateStack(app, GUARDRAIL_STACK_NAME, {
    description: 'Org::ECR::Repository organisation guardrail: an SCP and an RCP that leave ECR repositories, their keys and org-ecr:* tags to the provider role (deploy in the management account)',
  });
  const parameter = (id: string, props: ConstructorParameters<typeof CfnParameter>[2]) => new CfnParameter(stack, id, props);
  const prefix = parameter('OrganizationPrefix', PROVIDER_PARAMETER_SPECS[ProviderParameter.OrganizationPrefix]);
  const targets = parameter('TargetIds', {
    type: 'CommaDelimitedList',
    description: 'Where to attach the policies: the root (r-xxxx), organizational units (ou-xxxx-xxxxxxxx) or account ids. Start with a test OU.',
  });
  const breakGlass = parameter('BreakGlassPrincipalArns', {
    type: 'CommaDelimitedList',
    description: `ARN patterns of the break-glass principals, exempt from every statement. Default: roles under the path ${BREAK_GLASS_ROLE_PATH} in any account (only the deployer and break-glass may create roles under /org-ecr/).`,
    default: `arn:aws:iam::*:role${BREAK_GLASS_ROLE_PATH}*`,
  });
  const deployers = parameter('DeployerPrincipalArns', {
    type: 'CommaDelimitedList',
    description: 'ARN patterns of the principals that deploy the provider (write roles under /org-ecr/, change the provider function). Default: the execution role of service-managed StackSets (templates/stackset.yaml).',
    default: 'arn:aws:iam::*:role/stacksets-exec-*',
  });
  const providers = parameter('ProviderPrincipalArns', {
    type: 'CommaDelimitedList',
    description: `ARN patterns of the provider role in every account. Default: roles under the provider's path ${PROVIDER_ROLE_PATH}.`,
    default: `arn:aws:iam::*:role${PROVIDER_ROLE_PATH}*`,
  });
  const exempt = parameter('ExemptRepositoryArns', {
    type: 'CommaDelimitedList',
    description: 'ARN patterns of repositories anyone may still create outside the provider. Default: the CDK bootstrap\'s container asset repositories (cdk-*).',
    default: 'arn:aws:ecr:*:*:repository/cdk-*',
  });
  const createRcp = parameter('CreateResourceControlPolicy', {
    type: 'String',
    description: 'Whether to create the resource control policy too (needs RCPs enabled in the organisation).',
    default: 'true',
    allowedValues: ['false', 'true'],
  });

  const guardrail = new OrgEcrGuardrail(stack, 'Guardrail', {
    organizationPrefix: prefix.valueAsString,
    targetIds: targets.valueAsList,
    breakGlassPrincipalArns: breakGlass.valueAsList,
    deployerPrincipalArns: deployers.valueAsList,
    providerPrincipalArns: providers.valueAsList,
    exemptRepositoryArns: exempt.valueAsList,
  });
  const withRcp = new CfnCondition(stack, 'CreateResourceControlPolicyCondition', { expression: Fn.conditionEquals(createRcp.valueAsString, 'true') });
  guardrail.resourceControlPolicy!.cfnOptions.condition = withRcp;

  stack.templateOptions.metadata = {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: [
        { Label: { default: 'What is guarded, and where' }, Parameters: ['OrganizationPrefix', 'TargetIds', 'ExemptRepositoryArns', 'CreateResourceControlPolicy'] },
        { Label: { default: 'Who is exempt' }, Parameters: ['ProviderPrincipalArns', 'BreakGlassPrincipalArns', 'DeployerPrincipalArns'] },
      ],
    },
  };
  return stack;
}
