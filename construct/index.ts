/**
 * Org::ECR::Repository for the AWS CDK: the provider the platform team deploys once per
 * account and Region, the repository application teams request, and the seed's builder.
 */
export { OrgEcrRepositoryProvider, type OrgEcrRepositoryProviderProps } from './provider';
export { OrgEcrRepository } from './repository';
export { type OrgEcrRepositoryProps } from './repository-props';
export { EcrBuilder } from './builder';
export { ApplicationHelper, type ApplicationHelperProps, type EnvironmentConfiguration } from './application-helper';
export { OrgEcrGuardrail, type OrgEcrGuardrailProps } from './guardrail';
export { OrgEcrProviderBoundary, type OrgEcrProviderBoundaryProps } from './provider-boundary';
export { BuilderUsageError, InvalidConfigurationError, InvalidConstructPropsError, MissingHandlerBundleError } from './errors';
