import { type App, CfnOutput, Stack } from 'aws-cdk-lib';
import type { ApplicationHelper } from '../../application-helper';
import { EcrBuilder } from '../../builder';

/** The `environments.<env>.config` key holding the EcrBuilder config. */
export const ECR_CONFIG_KEY = 'ecr';

/**
 * An application team's stack, written exactly as the seed's usage section: the builder
 * reads the environment's config and finds the provider through the account's published
 * ServiceToken (deploy the provider stack first).
 */
export function exampleApplicationStack(app: App, appHelper: ApplicationHelper): Stack {
  const stack = new Stack(app, 'OrgEcrExampleApplication', {
    env: appHelper.environment,
    description: `Example application stack: an Org::ECR::Repository built with EcrBuilder for ${appHelper.applicationName}`,
  });

  const ecrConfig = appHelper.getFromEnv(ECR_CONFIG_KEY);
  const ecrBuilder = new EcrBuilder();
  const ecrRepo = ecrBuilder.setApplicationHelper(appHelper).setBuilderConfig(ecrConfig).setEcrRepoBaseName('repository_name').build(stack);

  new CfnOutput(stack, 'RepositoryUri', { value: ecrRepo.repositoryUri });
  new CfnOutput(stack, 'ArnParameterName', { value: ecrRepo.arnParameterName });
  return stack;
}
