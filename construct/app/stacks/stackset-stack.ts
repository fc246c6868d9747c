import { type App, CfnParameter, type Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type { ApplicationHelper } from '../../application-helper';
import { addProviderParameters, providerParameterGroups } from './provider-parameters';
import { newTemplateStack, packageVersion } from './template-stack';

/** The stack whose template is templates/stackset.yaml. */
export const STACKSET_STACK_NAME = 'OrgEcrProviderStackSet';
/** The StackSet's name: one per organisation (and Region of the administrator). */
export const PROVIDER_STACKSET_NAME = 'org-ecr-repository-provider';

/**
 * Org-wide rollout (templates/stackset.yaml): a service-managed StackSet that deploys the
 * provider template to every account of the target OUs, in every target Region, and to each
 * account that joins them later. Deployed once, in the management account (CallAs SELF) or a
 * CloudFormation delegated administrator (CallAs DELEGATED_ADMIN). The provider settings are
 * this stack's parameters and reach every account unchanged.
 */
export function providerStackSetStack(app: App, _appHelper: ApplicationHelper): Stack {
  const stack = newTemplateStack(app, STACKSET_STACK_NAME, {
    description: 'Org::ECR::Repository provider rolled out to organisational units and Regions by a service-managed StackSet',
  });
  const version = packageVersion();
  const parameter = (id: string, props: ConstructorParameters<typeof CfnParameter>[2]) => new CfnParameter(stack, id, props);

  const callAs = parameter('CallAs', {
    type: 'String',
    description: 'SELF when this stack is deployed in the management account; DELEGATED_ADMIN in a CloudFormation StackSets delegated administrator account.',
    default: 'SELF',
    allowedValues: ['SELF', 'DELEGATED_ADMIN'],
  });
  const organizationalUnits = parameter('TargetOrganizationalUnitIds', {
    type: 'CommaDelimitedList',
    description: 'Organizational units (ou-xxxx-xxxxxxxx) or the root (r-xxxx) whose accounts, present and future, get the provider. The management account itself is never a target of a service-managed StackSet.',
  });
  const regions = parameter('TargetRegions', {
    type: 'CommaDelimitedList',
    description: 'Regions to deploy the provider to, e.g. eu-west-1,eu-central-1. Each needs a {CodeBucketPrefix}-{Region} bucket holding the code zip.',
  });
  const templateUrl = parameter('ProviderTemplateUrl', {
    type: 'String',
    description: `HTTPS URL of templates/provider.yaml of version ${version} in S3, e.g. https://BUCKET.s3.REGION.amazonaws.com/org-ecr-repository/provider-${version}.yaml`,
    allowedPattern: '^https://.+$',
    constraintDescription: 'an https:// URL of the provider template in S3',
  });
  const retainStacks = parameter('RetainStacksOnAccountRemoval', {
    type: 'String',
    description:
      'Whether an account that leaves the target OUs keeps its provider (true) or has it deleted (false). Its repositories need the provider for their own Delete, and CloudFormation refuses to delete a provider whose export is still imported.',
    default: 'true',
    allowedValues: ['false', 'true'],
  });
  const maxConcurrent = parameter('MaxConcurrentPercentage', {
    type: 'Number',
    description: 'Percentage of accounts per Region deployed at once.',
    default: 25,
    minValue: 1,
    maxValue: 100,
  });
  const failureTolerance = parameter('FailureTolerancePercentage', {
    type: 'Number',
    description: 'Percentage of accounts per Region that may fail before CloudFormation stops the operation in that Region.',
    default: 0,
    minValue: 0,
    maxValue: 100,
  });
  const providerParameters = addProviderParameters(stack);

  new cloudformation.CfnStackSet(stack, 'ProviderStackSet', {
    stackSetName: PROVIDER_STACKSET_NAME,
    description: `Org::ECR::Repository provider ${version}: the Custom::OrgEcrRepository ServiceToken in every target account and Region`,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: Token.asAny(retainStacks.valueAsString) },
    callAs: callAs.valueAsString,
    // The provider role has a generated name; the launch role has a fixed one.
    capabilities: ['CAPABILITY_NAMED_IAM'],
    managedExecution: { Active: true },
    operationPreferences: {
      regionConcurrencyType: 'PARALLEL',
      maxConcurrentPercentage: maxConcurrent.valueAsNumber,
      failureTolerancePercentage: failureTolerance.valueAsNumber,
    },
    templateUrl: templateUrl.valueAsString,
    parameters: Object.entries(providerParameters).map(([name, providerParameter]) => ({ parameterKey: name, parameterValue: providerParameter.valueAsString })),
    stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: organizationalUnits.valueAsList }, regions: regions.valueAsList }],
  });

  stack.templateOptions.metadata = {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: [
        { Label: { default: 'Rollout' }, Parameters: ['CallAs', 'TargetOrganizationalUnitIds', 'TargetRegions', 'ProviderTemplateUrl', 'RetainStacksOnAccountRemoval', 'MaxConcurrentPercentage', 'FailureTolerancePercentage'] },
        ...providerParameterGroups(),
      ],
    },
  };
  return stack;
}
