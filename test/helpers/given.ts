/**
 * Builders for the provider's inputs that read like the scenario: settings as the platform
 * team writes them, properties as CloudFormation sends them (every scalar a string), specs
 * and desired states as the core sees them.
 */
import { OwnershipTag } from '../../handler/src/contract';
import { desiredState } from '../../handler/src/core/desired';
import type { Desired, Environment, Owner } from '../../handler/src/core/model';
import type { RepositorySpec } from '../../handler/src/props/properties';
import { parseSettings, type Settings } from '../../handler/src/props/settings';

/** The account the stacks run in: also listed as the `tools` environment, so sharing must skip it. */
export const OWNER_ACCOUNT = '111111111111';
/** Environment accounts the repositories are shared with. */
export const DEV_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';

/** The stack and logical id that own everything the provider creates in these tests. */
export const STACK_ID = `arn:aws:cloudformation:eu-west-1:${OWNER_ACCOUNT}:stack/app/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;
export const LOGICAL_ID = 'Repository';

/** Provider settings as environment variables, as the platform team deploys them. */
export function givenSettingsEnv(overrides: Readonly<Record<string, string | undefined>> = {}): Record<string, string | undefined> {
  return {
    ORG_PREFIX: 'acme',
    ORG_ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: DEV_ACCOUNT, prod: PROD_ACCOUNT, tools: OWNER_ACCOUNT }),
    ORG_MANDATORY_TAGS: JSON.stringify({ 'cost-center': 'cc-42' }),
    ...overrides,
  };
}

/** Parsed settings: the defaults above, then `overrides`. */
export function givenSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...parseSettings(givenSettingsEnv()), ...overrides };
}

/** What a consumer asked for, as the core receives it. */
export function givenSpec(overrides: Partial<RepositorySpec> = {}): RepositorySpec {
  return {
    applicationName: 'shop',
    baseName: 'orders-api',
    useKmsKey: false,
    shareableWithAllEnvs: false,
    tags: {},
    ...overrides,
  };
}

/** Resource properties as CloudFormation sends them: strings, plus the framework's own. */
export function givenProperties(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { ApplicationName: 'shop', RepositoryBaseName: 'orders-api', ...overrides };
}

/** The example of the issue: every property set. */
export function givenFullProperties(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return givenProperties({
    UseKmsKey: 'true',
    ImagesRetained: '10',
    ShareableWithAllEnvs: 'true',
    Tags: [{ Key: 'team', Value: 'payments' }],
    ...overrides,
  });
}

/** Where the stack runs: partition, region, account, DNS suffix. */
export function givenEnvironment(overrides: Partial<Environment> = {}): Environment {
  return { partition: 'aws', region: 'eu-west-1', account: OWNER_ACCOUNT, urlSuffix: 'amazonaws.com', ...overrides };
}

/** The stack and logical resource a request comes from. */
export function givenOwner(overrides: Partial<Owner> = {}): Owner {
  return { stackId: STACK_ID, logicalId: LOGICAL_ID, ...overrides };
}

/** Another stack's resource with the same logical id: must never be touched. */
export const FOREIGN_OWNER: Owner = {
  stackId: `arn:aws:cloudformation:eu-west-1:${OWNER_ACCOUNT}:stack/other/99999999-aaaa-bbbb-cccc-111122223333`,
  logicalId: LOGICAL_ID,
};

/** The core's desired state for a spec and settings, both starting from the defaults above. */
export function givenDesired(spec: Partial<RepositorySpec> = {}, settings: Partial<Settings> = {}, owner: Owner = givenOwner()): Desired {
  return desiredState(givenSpec(spec), givenSettings(settings), givenEnvironment(), owner);
}

/** The ownership tags `owner` writes, optionally naming the repository (keys, parameters). */
export function ownershipTags(owner: Owner = givenOwner(), repositoryName?: string): Record<string, string> {
  return {
    [OwnershipTag.StackId]: owner.stackId,
    [OwnershipTag.LogicalId]: owner.logicalId,
    ...(repositoryName === undefined ? {} : { [OwnershipTag.Repository]: repositoryName }),
  };
}

/** A signal that never aborts. */
export const NEVER: AbortSignal = new AbortController().signal;
