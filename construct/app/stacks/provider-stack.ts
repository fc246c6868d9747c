import { type App, Stack } from 'aws-cdk-lib';
import type { ApplicationHelper } from '../../application-helper';
import { InvalidConfigurationError } from '../../errors';
import { OrgEcrRepositoryProvider } from '../../provider';
import { show } from '../../../handler/src/props/rules';

/** The `provider` context entry: the provider settings that are not read by the ApplicationHelper. */
export const PROVIDER_CONTEXT_KEY = 'provider';
const PROVIDER_KEYS = ['mandatoryTags', 'kmsKeyRotation', 'kmsKeyDeletionWindowDays', 'parameterPrefix', 'organizationId'] as const;

/**
 * The platform team's stack: the provider for the chosen environment's account and Region,
 * with the organisation prefix and environment accounts from the context, and the other
 * settings from the `provider` context entry (checked by the construct, named as written).
 */
export function providerStack(app: App, appHelper: ApplicationHelper): Stack {
  const stack = new Stack(app, 'OrgEcrRepositoryProvider', {
    env: appHelper.environment,
    description: 'Org::ECR::Repository custom resource provider (platform team)',
  });
  const settings = providerContext(app.node.tryGetContext(PROVIDER_CONTEXT_KEY));
  new OrgEcrRepositoryProvider(stack, 'Provider', {
    organizationPrefix: appHelper.organizationPrefix,
    environmentAccounts: appHelper.environmentAccounts(),
    ...settings,
  });
  return stack;
}

function providerContext(value: unknown): Record<string, any> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidConfigurationError([`\`${PROVIDER_CONTEXT_KEY}\` must be an object with ${PROVIDER_KEYS.join(', ')}; got: ${show(value)}`]);
  }
  const unknown = Object.keys(value).filter((key) => !(PROVIDER_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new InvalidConfigurationError(
      unknown.map((key) => `\`${PROVIDER_CONTEXT_KEY}.${key}\` is not a known key (known: ${PROVIDER_KEYS.join(', ')}); got: ${show((value as Record<string, unknown>)[key])}`),
    );
  }
  return value as Record<string, any>;
}
