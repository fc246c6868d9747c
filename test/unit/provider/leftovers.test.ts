/**
 * Update and Delete find what this resource made under names they no longer compute: its
 * parameters under an earlier parameter prefix or base-name spelling (by their ownership
 * tags), and its key when the repository and the alias were deleted by hand (through the
 * `_kms_key_arn` parameter). Nothing without this resource's ownership tags is touched.
 */
import { FakeWorld } from '../../helpers/fake-world';
import { FOREIGN_OWNER, givenFullProperties, givenProperties, givenSettingsEnv, ownershipTags } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';
const OLD_PARAMETERS = ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_kms_key_arn', 'ECR_ORDERS_API_name'];
const parametersOf = (world: FakeWorld) => [...world.parameters.keys()].sort();

describe('createRepositoryHandler and this resource’s parameters under earlier names', () => {
  it('moves the parameters on Update after ORG_SSM_PARAMETER_PREFIX changed, and leaves everyone else’s alone', async () => {
    // GIVEN a repository whose parameters were written without a prefix
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenFullProperties()));
    // AND parameters of others that look alike: another stack's, another logical id's
    world.addParameter('ECR_ORDERS_API_legacy', 'x', ownershipTags(FOREIGN_OWNER, NAME));
    world.addParameter('ECR_ORDERS_API_other', 'x', ownershipTags({ ...FOREIGN_OWNER, stackId: ownershipTags()['org-ecr:stack-id']!, logicalId: 'Other' }, NAME));
    const prefixed = givenProvider({ world, settings: givenSettingsEnv({ ORG_SSM_PARAMETER_PREFIX: '/platform/ecr' }) });

    // WHEN the stack updates (nothing else changed)
    const outcome = await prefixed.send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));

    // THEN the parameters live under the new prefix only, and the look-alikes are untouched
    expect(outcome.data?.NameParameterName).toBe('/platform/ecr/ECR_ORDERS_API_name');
    expect(parametersOf(world)).toEqual([
      '/platform/ecr/ECR_ORDERS_API_arn',
      '/platform/ecr/ECR_ORDERS_API_kms_key_arn',
      '/platform/ecr/ECR_ORDERS_API_name',
      'ECR_ORDERS_API_legacy',
      'ECR_ORDERS_API_other',
    ]);
  });

  it('moves the parameters on the rollback of a replacement after ORG_SSM_PARAMETER_PREFIX changed, as an in-place Update does', async () => {
    // GIVEN a repository whose parameters were written without a prefix, then the prefix setting changed
    const world = new FakeWorld();
    const deployed = givenFullProperties();
    await givenProvider({ world }).send(givenCreateRequest(deployed));
    const prefixed = givenProvider({ world, settings: givenSettingsEnv({ ORG_SSM_PARAMETER_PREFIX: '/platform/ecr' }) });
    // AND an Update replaced it under a new base name
    const renamed = givenFullProperties({ RepositoryBaseName: 'orders-v2' });
    const forward = await prefixed.send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: renamed }));

    // WHEN CloudFormation rolls back: the swapped Update to the new id, then the new id's Delete
    const rollback = await prefixed.send(givenUpdateRequest({ physicalResourceId: forward.physicalResourceId, old: renamed, new: deployed }));
    await prefixed.send(givenDeleteRequest(forward.physicalResourceId, renamed));

    // THEN the original repository is back with its parameters under the new prefix only
    expect(rollback.physicalResourceId).toBe(NAME);
    expect(parametersOf(world)).toEqual(['/platform/ecr/ECR_ORDERS_API_arn', '/platform/ecr/ECR_ORDERS_API_kms_key_arn', '/platform/ecr/ECR_ORDERS_API_name']);
  });

  it('deletes the parameters under an earlier prefix on Delete', async () => {
    // GIVEN parameters written without a prefix, then the prefix setting changed and no Update came
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenFullProperties()));
    const prefixed = givenProvider({ world, settings: givenSettingsEnv({ ORG_SSM_PARAMETER_PREFIX: '/platform/ecr' }) });

    // WHEN the stack is deleted
    await prefixed.send(givenDeleteRequest(NAME, givenFullProperties()));

    // THEN nothing of it is left
    expect(parametersOf(world)).toEqual([]);
    expect(world.repositories.size).toBe(0);
  });

  it('renames the parameters in place when the base name’s spelling changes but the repository name does not, and back on rollback', async () => {
    // GIVEN orders-api; orders--api names the same repository but other parameters
    const { world, send } = givenProvider();
    const deployed = givenFullProperties();
    await send(givenCreateRequest(deployed));
    const respelled = givenFullProperties({ RepositoryBaseName: 'orders--api' });

    // WHEN the spelling changes, the Update is in place and leaves only the new names
    const forward = await send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: respelled }));
    expect(forward.physicalResourceId).toBe(NAME);
    expect(parametersOf(world)).toEqual(['ECR_ORDERS__API_arn', 'ECR_ORDERS__API_kms_key_arn', 'ECR_ORDERS__API_name']);

    // AND its rollback restores the first names only
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: respelled, new: deployed }));
    expect(parametersOf(world)).toEqual(OLD_PARAMETERS);
  });

  it('deletes the parameters when the deleted resource’s properties no longer parse', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    await send(givenDeleteRequest(NAME, { ApplicationName: '' }));
    expect(parametersOf(world)).toEqual([]);
  });
});

describe('createRepositoryHandler and a key whose repository and alias were deleted by hand', () => {
  async function givenOrphanedKey() {
    const { world, send, logger } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    const keyArn = world.repositories.get(NAME)!.kmsKeyArn!;
    world.repositories.delete(NAME);
    world.aliases.delete(`alias/${NAME}`);
    return { world, send, logger, keyArn };
  }

  it('reuses the key the _kms_key_arn parameter names on Update: same key, alias made again, no new key', async () => {
    const { world, send, keyArn } = await givenOrphanedKey();

    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));

    expect(outcome.data?.KmsKeyArn).toBe(keyArn);
    expect(world.repositories.get(NAME)?.kmsKeyArn).toBe(keyArn);
    expect(world.aliases.get(`alias/${NAME}`)).toBe(keyArn);
    expect([...world.keys.keys()]).toEqual([keyArn]);
  });

  it('brings the key back from a deletion someone scheduled, then reuses it', async () => {
    const { world, send, keyArn } = await givenOrphanedKey();
    world.keys.get(keyArn)!.state = 'PendingDeletion';

    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));

    expect(world.keys.get(keyArn)?.state).toBe('Enabled');
    expect(world.repositories.get(NAME)?.kmsKeyArn).toBe(keyArn);
  });

  it('schedules that key for deletion on Delete', async () => {
    const { world, send, keyArn } = await givenOrphanedKey();

    await send(givenDeleteRequest(NAME, givenFullProperties()));

    expect(world.keys.get(keyArn)).toMatchObject({ state: 'PendingDeletion', pendingWindowInDays: 30 });
    expect(parametersOf(world)).toEqual([]);
  });

  it('never reuses or deletes a key the parameter names that is not ours', async () => {
    // GIVEN the parameter was edited to name someone else's key
    const { world, send, keyArn } = await givenOrphanedKey();
    const foreign = world.addKey({ tags: ownershipTags(FOREIGN_OWNER, NAME) });
    world.parameters.get('ECR_ORDERS_API_kms_key_arn')!.value = foreign.arn;
    world.keys.delete(keyArn);

    // WHEN the stack updates, then is deleted
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));
    expect(outcome.data?.KmsKeyArn).not.toBe(foreign.arn);
    await send(givenDeleteRequest(NAME, givenFullProperties()));

    // THEN the foreign key was never used nor scheduled
    expect(world.keys.get(foreign.arn)?.state).toBe('Enabled');
    expect(world.repositories.size).toBe(0);
  });
});
