import { type App, Aws, CfnCondition, Duration, Fn, type Stack, Token, Validations } from 'aws-cdk-lib';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { ApplicationHelper } from '../../application-helper';
import { OrgEcrRepositoryProvider } from '../../provider';
import { OrgEcrLaunchRole } from './launch-role';
import { addProviderParameters, codeBucketName, ProviderParameter, providerParameterGroups } from './provider-parameters';
import { newTemplateStack } from './template-stack';

/** The stack whose template is templates/provider.yaml. */
export const PROVIDER_TEMPLATE_STACK_NAME = 'OrgEcrRepositoryProviderTemplate';

/**
 * The provider as a raw template (templates/provider.yaml) for `aws cloudformation deploy` and
 * the StackSet: the very `OrgEcrRepositoryProvider` construct, so its role and policy are the
 * construct's, with every setting a parameter and the code read from S3. It also creates the
 * Service Catalog launch role, which may invoke only this provider.
 */
export function providerTemplateStack(app: App, _appHelper: ApplicationHelper): Stack {
  const stack = newTemplateStack(app, PROVIDER_TEMPLATE_STACK_NAME, {
    description: 'Org::ECR::Repository custom resource provider (Custom::OrgEcrRepository) with its ServiceToken export, SSM parameter and Service Catalog launch role',
  });
  const parameters = addProviderParameters(stack);
  const codeBucket = s3.Bucket.fromBucketName(stack, 'CodeBucket', codeBucketName(stack, parameters[ProviderParameter.CodeBucketPrefix].valueAsString));

  const provider = new OrgEcrRepositoryProvider(stack, 'Provider', {
    organizationPrefix: parameters[ProviderParameter.OrganizationPrefix].valueAsString,
    // A whole JSON object parameter is passed through as the setting's text (see the construct's docs).
    environmentAccounts: Token.asAny(parameters[ProviderParameter.EnvironmentAccounts].valueAsString) as unknown as Record<string, string>,
    mandatoryTags: Token.asAny(parameters[ProviderParameter.MandatoryTags].valueAsString) as unknown as Record<string, string>,
    kmsKeyRotation: Token.asAny(parameters[ProviderParameter.KmsKeyRotation].valueAsString) as unknown as boolean,
    kmsKeyDeletionWindowDays: parameters[ProviderParameter.KmsKeyDeletionWindowDays].valueAsNumber,
    parameterPrefix: parameters[ProviderParameter.ParameterPrefix].valueAsString,
    imageTagMutability: Token.asAny(parameters[ProviderParameter.ImageTagMutability].valueAsString) as unknown as 'IMMUTABLE',
    // The comma-separated parameter is passed through as the setting's text.
    imageTagMutabilityExclusionFilters: Token.asAny(parameters[ProviderParameter.ImageTagMutabilityExclusionFilters].valueAsString) as unknown as string[],
    untaggedImageExpiryDays: parameters[ProviderParameter.UntaggedImageExpiryDays].valueAsNumber,
    requireKmsKey: Token.asAny(parameters[ProviderParameter.RequireKmsKey].valueAsString) as unknown as boolean,
    organizationId: parameters[ProviderParameter.OrganizationId].valueAsString,
    code: lambda.Code.fromBucket(codeBucket, parameters[ProviderParameter.CodeKey].valueAsString),
    timeout: Duration.seconds(parameters[ProviderParameter.Timeout].valueAsNumber),
    memorySize: parameters[ProviderParameter.MemorySize].valueAsNumber,
    logRetention: parameters[ProviderParameter.LogRetentionDays].valueAsNumber as logs.RetentionDays,
  });
  Validations.of(codeBucket).acknowledge({
    id: 'Annotation::@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified',
    reason: 'The code key names the package version (org-ecr-repository/provider-{version}.zip): a release is a new key, which CloudFormation sees and deploys, so the buckets need no versioning.',
  });

  // A boundary only when one is given: PermissionsBoundary cannot be an empty string.
  const hasBoundary = new CfnCondition(stack, 'HasPermissionsBoundaryCondition', {
    expression: Fn.conditionNot(Fn.conditionEquals(parameters[ProviderParameter.PermissionsBoundaryArn].valueAsString, '')),
  });
  (provider.role.node.defaultChild as CfnRole).permissionsBoundary = Fn.conditionIf(
    hasBoundary.logicalId,
    parameters[ProviderParameter.PermissionsBoundaryArn].valueAsString,
    Aws.NO_VALUE,
  ).toString();
  Validations.of(provider.role).acknowledge({
    id: 'CloudFormation-Validate::W1030',
    reason: 'The empty default means "no boundary": PermissionsBoundary is only set, and the parameter only read, when it is given (condition HasPermissionsBoundaryCondition).',
  });

  const createLaunchRole = new CfnCondition(stack, 'CreateLaunchRoleCondition', {
    expression: Fn.conditionEquals(parameters[ProviderParameter.CreateLaunchRole].valueAsString, 'true'),
  });
  const launchRole = new OrgEcrLaunchRole(stack, 'LaunchRole', { providerFunctionArn: provider.serviceToken });
  (launchRole.role.node.defaultChild as CfnRole).cfnOptions.condition = createLaunchRole;

  stack.templateOptions.metadata = { 'AWS::CloudFormation::Interface': { ParameterGroups: providerParameterGroups() } };
  return stack;
}
