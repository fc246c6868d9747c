import type { App, Stack } from 'aws-cdk-lib';
import type { ApplicationHelper } from '../../application-helper';
import { exampleApplicationStack } from './example-application-stack';
import { providerStack } from './provider-stack';
import { providerTemplateStack } from './provider-template-stack';
import { serviceCatalogStack, serviceCatalogTemplateStack } from './service-catalog';
import { providerStackSetStack } from './stackset-stack';
import { guardrailStack } from './guardrail-stack';
import { providerBoundaryStack } from './provider-boundary-stack';

/** Defines one stack of the app. */
export type StackDefinition = (app: App, appHelper: ApplicationHelper) => Stack;

/**
 * Every stack the app synthesizes, in order. To add one (Service Catalog, StackSets), write a
 * `StackDefinition` in its own file here and append it.
 */
export const STACKS: readonly StackDefinition[] = [
  providerStack,
  exampleApplicationStack,
  // Also written to templates/ (npm run templates): the raw-template doors.
  providerTemplateStack,
  serviceCatalogStack,
  serviceCatalogTemplateStack,
  providerStackSetStack,
  guardrailStack,
  providerBoundaryStack,
];
