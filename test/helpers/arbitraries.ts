/**
 * fast-check arbitraries for the provider's inputs: specs, settings, and the ways the world
 * can drift from what the provider left behind.
 */
import fc from 'fast-check';
import { OwnershipTag } from '../../handler/src/contract';
import { lifecyclePolicy } from '../../handler/src/core/lifecycle-policy';
import type { Desired } from '../../handler/src/core/model';
import type { ObservationQuery } from '../../handler/src/provider/provider';
import type { RepositorySpec } from '../../handler/src/props/properties';
import type { Settings } from '../../handler/src/props/settings';
import type { FakeWorld } from './fake-world';
import { DEV_ACCOUNT, givenSettings, OWNER_ACCOUNT, PROD_ACCOUNT } from './given';

const consumerTags = fc.dictionary(fc.constantFrom('team', 'purpose', 'tier'), fc.constantFrom('a', 'b', ''), { maxKeys: 3 });

/** The properties that change in place (names and key choice stay). */
export const inPlace = fc.record({
  imagesRetained: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
  shareableWithAllEnvs: fc.boolean(),
  tags: consumerTags,
});

/** A spec from its fixed identity and its in-place part. */
export function specWith(identity: Pick<RepositorySpec, 'applicationName' | 'baseName' | 'useKmsKey'>, change: { imagesRetained: number | undefined; shareableWithAllEnvs: boolean; tags: Record<string, string> }): RepositorySpec {
  const { imagesRetained, ...rest } = change;
  return { ...identity, ...rest, ...(imagesRetained === undefined ? {} : { imagesRetained }) };
}

/** What fixes the repository: its name parts and its key choice. */
export const identity = fc.record({
  applicationName: fc.constantFrom('shop', 'Billing'),
  baseName: fc.constantFrom('orders-api', 'Payments.API'),
  useKmsKey: fc.boolean(),
});

/** Settings the platform team may change between two requests. */
export const settings: fc.Arbitrary<Settings> = fc
  .record({
    accounts: fc.subarray([
      ['dev', DEV_ACCOUNT],
      ['prod', PROD_ACCOUNT],
      ['tools', OWNER_ACCOUNT],
      ['qa', '444444444444'],
    ] as const),
    mandatoryTags: fc.constantFrom<Record<string, string>>({}, { 'cost-center': 'cc-42' }, { 'cost-center': 'cc-7', owner: 'platform' }),
    keyRotation: fc.boolean(),
    parameterPrefix: fc.constantFrom('', '/platform/ecr/'),
  })
  .map(({ accounts, ...rest }) => givenSettings({ ...rest, environmentAccounts: Object.fromEntries(accounts) }));

/** Every change someone can make behind the provider's back, in the order they are applied. */
export const DRIFTS = [
  'lifecycleDeleted',
  'lifecycleChanged',
  'scanOff',
  'repositoryPolicyDeleted',
  'repositoryPolicyWidened',
  'repositoryTagDropped',
  'repositoryTagAdded',
  'parameterDeleted',
  'parameterValueChanged',
  'parameterTagsChanged',
  'keyPolicyChanged',
  'keyRotationFlipped',
  'keyTagsChanged',
  'keyDisabled',
  'keyPendingDeletion',
  'aliasDeleted',
  'aliasToStrayKey',
  'repositoryDeleted',
] as const;
/** One of DRIFTS. */
export type Drift = (typeof DRIFTS)[number];

/** Any combination of drifts. */
export const drifts = fc.subarray([...DRIFTS]);

/** Changes the world behind the provider's back, in the order of DRIFTS. */
export function applyDrifts(world: FakeWorld, desired: Desired, chosen: readonly Drift[]): void {
  const repository = world.repositories.get(desired.repositoryName);
  const key = repository?.kmsKeyArn === undefined ? undefined : world.keys.get(repository.kmsKeyArn);
  const arnParameter = world.parameters.get(desired.parameters.arn.name);
  const nameParameter = world.parameters.get(desired.parameters.name.name);
  for (const drift of DRIFTS.filter((candidate) => chosen.includes(candidate))) {
    switch (drift) {
      case 'lifecycleDeleted':
        if (repository) repository.lifecyclePolicy = null;
        break;
      case 'lifecycleChanged':
        if (repository) repository.lifecyclePolicy = lifecyclePolicy(9_999) ?? null;
        break;
      case 'scanOff':
        if (repository) repository.scanOnPush = false;
        break;
      case 'repositoryPolicyDeleted':
        if (repository) repository.repositoryPolicy = null;
        break;
      case 'repositoryPolicyWidened':
        if (repository) repository.repositoryPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*' }] });
        break;
      case 'repositoryTagDropped':
        if (repository) delete repository.tags[Object.keys(repository.tags).find((tagKey) => !tagKey.startsWith('org-ecr:')) ?? ''];
        break;
      case 'repositoryTagAdded':
        if (repository) repository.tags['added-by-hand'] = 'yes';
        break;
      case 'parameterDeleted':
        world.parameters.delete(desired.parameters.arn.name);
        break;
      case 'parameterValueChanged':
        if (nameParameter) nameParameter.value = 'edited-by-hand';
        break;
      case 'parameterTagsChanged':
        if (arnParameter) arnParameter.tags = { [OwnershipTag.StackId]: arnParameter.tags[OwnershipTag.StackId] ?? '', [OwnershipTag.LogicalId]: arnParameter.tags[OwnershipTag.LogicalId] ?? '', 'added-by-hand': 'yes' };
        break;
      case 'keyPolicyChanged':
        if (key) key.policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
        break;
      case 'keyRotationFlipped':
        if (key) key.rotation = !key.rotation;
        break;
      case 'keyTagsChanged':
        if (key) key.tags = { ...key.tags, 'added-by-hand': 'yes', [OwnershipTag.Repository]: desired.repositoryName };
        break;
      case 'keyDisabled':
        if (key) key.state = 'Disabled';
        break;
      case 'keyPendingDeletion':
        if (key) key.state = 'PendingDeletion';
        break;
      case 'aliasDeleted':
        world.aliases.delete(desired.aliasName);
        break;
      case 'aliasToStrayKey':
        // An interrupted Create: a second key of ours, tagged for this repository, named by the alias.
        if (desired.key) world.aliases.set(desired.aliasName, world.addKey({ policy: desired.key.policy, tags: { ...desired.childTags } }).arn);
        break;
      case 'repositoryDeleted':
        world.repositories.delete(desired.repositoryName);
        break;
    }
  }
}

/** What the provider reads for a desired state: the provider's own query. */
export { queryFor } from '../../handler/src/provider/provider';

/** Everything in the world, for before/after comparisons. */
export function snapshotOf(world: FakeWorld): string {
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([left], [right]) => left.localeCompare(right));
  return JSON.stringify({ repositories: sorted(world.repositories), keys: sorted(world.keys), aliases: sorted(world.aliases), parameters: sorted(world.parameters) });
}
