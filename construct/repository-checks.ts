/**
 * `OrgEcrRepository`'s own synth-time checks (the contract's rules are in validation.ts) and
 * the rendering of its tags, in the words the CDK user wrote.
 */
import { Annotations, type Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { OrgEcrRepositoryProvider } from './provider';
import { checkTagMap } from './validation';

/** CloudFormation's bounds for a custom resource's `ServiceTimeout`, in seconds. */
export const SERVICE_TIMEOUT_MIN_SECONDS = 1;
export const SERVICE_TIMEOUT_MAX_SECONDS = 3600;

/**
 * `serviceTimeout` within CloudFormation's 1 second to 1 hour, and longer than the provider's
 * own timeout: CloudFormation would otherwise fail the resource while the provider still
 * works on it, and the provider's later answer would be lost.
 */
export function checkServiceTimeout(serviceTimeout: Duration | undefined, providerTimeout: Duration | undefined, marginSeconds: number): string[] {
  if (serviceTimeout === undefined || serviceTimeout.isUnresolved()) return [];
  const seconds = serviceTimeout.toSeconds();
  if (seconds < SERVICE_TIMEOUT_MIN_SECONDS || seconds > SERVICE_TIMEOUT_MAX_SECONDS) {
    return [`\`serviceTimeout\` must be from 1 second to 1 hour (CloudFormation's limit for a custom resource); got: ${serviceTimeout.toHumanString()}`];
  }
  const provider = providerTimeout;
  if (provider !== undefined && !provider.isUnresolved() && seconds <= provider.toSeconds()) {
    return [
      `\`serviceTimeout\` (${serviceTimeout.toHumanString()}) must be longer than the provider's timeout (${provider.toHumanString()}), or CloudFormation gives up while the provider still works; ` +
        `leave it unset for the provider's timeout plus ${marginSeconds} seconds`,
    ];
  }
  return [];
}

/** Warns, once the provider is unknown (imported), when `serviceTimeout` is below the default provider timeout. */
export function warnShortServiceTimeout(scope: IConstruct, serviceTimeout: Duration | undefined, hasProvider: boolean): void {
  if (hasProvider || serviceTimeout === undefined || serviceTimeout.isUnresolved()) return;
  if (serviceTimeout.toSeconds() <= OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS) {
    Annotations.of(scope).addWarningV2(
      'org-ecr:serviceTimeoutBelowProviderTimeout',
      `\`serviceTimeout\` (${serviceTimeout.toHumanString()}) is not longer than the default provider timeout (${OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS} seconds): ` +
        'unless the account\'s provider has a shorter timeout, CloudFormation may give up while the provider still works',
    );
  }
}

/** Custom resources have no snapshot: CloudFormation rejects `DeletionPolicy: Snapshot` for them. */
export function checkRemovalPolicy(policy: RemovalPolicy | undefined): string[] {
  if (policy === RemovalPolicy.SNAPSHOT) {
    return ['`removalPolicy` must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE; got: SNAPSHOT (a custom resource has no snapshot)'];
  }
  return [];
}

/** A repository whose tag manager the checks and the rendering read. */
interface TaggedRepository extends IConstruct {
  readonly cdkTagManager: { tagValues(): Record<string, string> };
}

/** How `tags` and `Tags.of(...)` tags are named in messages. */
const TAGS_SUBJECT = 'tags';

/**
 * The tags to send: every tag of `tags` and `Tags.of(...)` but those that would override one of
 * the organisation's mandatory tags (known when the provider is in the app): the
 * organisation's value wins, as the provider enforces.
 */
function keptTags(repository: TaggedRepository, mandatoryTags: Readonly<Record<string, string>>): { kept: Record<string, string>; overridden: string[] } {
  const kept: Record<string, string> = {};
  const overridden: string[] = [];
  for (const [key, value] of Object.entries(repository.cdkTagManager.tagValues())) {
    const organisation = Token.isUnresolved(key) ? undefined : mandatoryTags[key];
    if (organisation !== undefined && organisation !== value) {
      overridden.push(`tag ${JSON.stringify(key)}=${JSON.stringify(value)} is not applied: the organisation's mandatory tag ${JSON.stringify(key)}=${JSON.stringify(organisation)} wins`);
      continue;
    }
    kept[key] = value;
  }
  return { kept, overridden };
}

/**
 * Run at synth, after `Tags.of(...)` has added its tags: warns for each tag the organisation's
 * mandatory tags override; returns the problems the provider would refuse the tags for
 * (reserved prefixes, lengths, too many).
 */
export function validateTags(repository: TaggedRepository, mandatoryTags: Readonly<Record<string, string>> = {}): string[] {
  const { kept, overridden } = keptTags(repository, mandatoryTags);
  for (const warning of overridden) Annotations.of(repository).addWarningV2('org-ecr:mandatoryTagWins', warning);
  return checkTagMap(kept, TAGS_SUBJECT, mandatoryTags);
}

/** The `Tags` property: the kept tags sorted by key, as CloudFormation's `[{Key, Value}]`; absent when none. */
export function renderTags(repository: TaggedRepository, mandatoryTags: Readonly<Record<string, string>> = {}): Array<{ Key: string; Value: string }> | undefined {
  const entries = Object.entries(keptTags(repository, mandatoryTags).kept).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? undefined : entries.map(([Key, Value]) => ({ Key, Value }));
}
