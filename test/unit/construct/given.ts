/** Builders for the construct tests: read like the sentence they set up. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrgEcrRepositoryProvider, type OrgEcrRepositoryProviderProps } from '../../../construct/provider';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

/** A stack in a concrete account and Region, as the app's stacks are. */
export function givenStack(id = 'Test', app: App = new App()): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region: REGION } });
}

/** An environment-agnostic stack, as a raw template generator uses. */
export function givenAgnosticStack(id = 'Test'): Stack {
  return new Stack(new App(), id);
}

export function givenProvider(stack: Stack, props: Partial<OrgEcrRepositoryProviderProps> = {}): OrgEcrRepositoryProvider {
  return new OrgEcrRepositoryProvider(stack, 'Provider', { organizationPrefix: 'acme', ...props });
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The logical id of the only resource of a type. */
export function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

/** The context of the repository's cdk.json, as the CDK CLI would pass it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** A cdk.json-shaped context with one or two environments, for the helper and the builder. */
export function givenContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    env: 'dev',
    organizationPrefix: 'acme',
    applicationName: 'shop',
    environments: {
      dev: {
        account: ACCOUNT,
        region: REGION,
        config: { ecr: { repository_name: { use_kms_key: true, images_retained: 10, shareable_with_all_envs: true } } },
      },
      prod: { account: '222222222222', region: 'eu-central-1', config: {} },
    },
    ...overrides,
  };
}
