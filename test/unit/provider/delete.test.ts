import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { InvalidSettingsError } from '../../../handler/src/errors';
import { snapshotOf } from '../../helpers/arbitraries';
import { FakeWorld } from '../../helpers/fake-world';
import { FOREIGN_OWNER, givenFullProperties, givenProperties, givenSettingsEnv, ownershipTags } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

describe('createRepositoryHandler on Delete', () => {
  it('removes the repository, parameters and alias, and schedules the key, when they are ours', async () => {
    // GIVEN a repository the provider created, with a 7-day deletion window
    const { world, send } = givenProvider({ settings: givenSettingsEnv({ ORG_KMS_DELETION_WINDOW_DAYS: '7' }) });
    await send(givenCreateRequest(givenFullProperties()));
    const key = world.repositories.get(NAME)!.kmsKeyArn!;

    // WHEN CloudFormation deletes it
    const outcome = await send(givenDeleteRequest(NAME, givenFullProperties()));

    // THEN the physical id is echoed and only the pending key remains
    expect(outcome).toEqual({ physicalResourceId: NAME });
    expect(world.repositories.size).toBe(0);
    expect(world.parameters.size).toBe(0);
    expect(world.aliases.size).toBe(0);
    expect(world.keys.get(key)).toMatchObject({ state: 'PendingDeletion', pendingWindowInDays: 7 });
  });

  it('deletes the repository before scheduling its key', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    world.calls.length = 0;
    await send(givenDeleteRequest(NAME, givenFullProperties()));
    const kinds = world.calls.map((action) => action.kind);
    expect(kinds.indexOf('ecr.deleteRepository')).toBeLessThan(kinds.indexOf('kms.scheduleKeyDeletion'));
  });

  it('succeeds without a second write when everything is already gone', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    await send(givenDeleteRequest(NAME));
    world.calls.length = 0;

    await expect(send(givenDeleteRequest(NAME))).resolves.toEqual({ physicalResourceId: NAME });
    expect(world.calls).toEqual([]);
  });

  it.each([
    ['the create-failed marker', CREATE_FAILED_MARKER],
    ['an id CloudFormation invented', 'app-Repository-1A2B3C4D5E6F'],
    ['an empty id', ''],
  ])('succeeds without any AWS call when the physical id is %s', async (_case, physicalId) => {
    const { world, send } = givenProvider();
    await expect(send(givenDeleteRequest(physicalId))).resolves.toEqual({ physicalResourceId: physicalId });
    expect(world.reads).toEqual([]);
    expect(world.calls).toEqual([]);
  });

  it.each([
    ['an id outside the organisation prefix', 'other-shop-orders-api'],
    ['an id that only starts like the prefix', 'acmeshop-orders-api'],
  ])('succeeds without writing when the physical id is %s and nothing of ours has that name', async (_case, physicalId) => {
    const { world, send } = givenProvider();
    await expect(send(givenDeleteRequest(physicalId))).resolves.toEqual({ physicalResourceId: physicalId });
    expect(world.calls).toEqual([]);
  });

  it('deletes the parameters too when the properties clash with a tag the platform has since made mandatory', async () => {
    // GIVEN a repository with a consumer tag that later became an organisation tag
    const world = new FakeWorld();
    const properties = givenProperties({ Tags: [{ Key: 'compliance', Value: 'mine' }] });
    await givenProvider({ world }).send(givenCreateRequest(properties));
    const stricter = givenSettingsEnv({ ORG_MANDATORY_TAGS: JSON.stringify({ compliance: 'pci' }) });
    // WHEN the stack is deleted
    await givenProvider({ world, settings: stricter }).send(givenDeleteRequest(NAME, properties));
    // THEN nothing is left behind
    expect(world.repositories.has(NAME)).toBe(false);
    expect([...world.parameters.keys()]).toEqual([]);
  });

  it('deletes a repository of ours named under an earlier organisation prefix (ownership tags decide, not the prefix)', async () => {
    // GIVEN a repository this resource created before the platform changed ORG_PREFIX
    const world = new FakeWorld();
    const { send: sendBefore } = givenProvider({ world, settings: { ...givenSettingsEnv(), ORG_PREFIX: 'oldco' } });
    await sendBefore(givenCreateRequest(givenProperties()));
    expect(world.repositories.has('oldco-shop-orders-api')).toBe(true);
    // WHEN its Delete arrives under today's prefix
    const { send } = givenProvider({ world });
    await send(givenDeleteRequest('oldco-shop-orders-api'));
    // THEN it is gone
    expect(world.repositories.has('oldco-shop-orders-api')).toBe(false);
  });

  it('reads but never writes when the repository belongs to someone else', async () => {
    // GIVEN another stack's repository with our parameters' names, all tagged as theirs
    const world = new FakeWorld();
    world.addRepository(NAME, { tags: ownershipTags(FOREIGN_OWNER) });
    world.addParameter('ECR_ORDERS_API_arn', 'x', ownershipTags(FOREIGN_OWNER, NAME));
    const before = snapshotOf(world);
    const { send } = givenProvider({ world });

    // WHEN a Delete arrives for that name
    await send(givenDeleteRequest(NAME));

    // THEN nothing changed
    expect(world.calls).toEqual([]);
    expect(snapshotOf(world)).toBe(before);
  });

  it('deletes the repository and key found by the physical id when the properties no longer parse', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    await send(givenDeleteRequest(NAME, { ApplicationName: '' }));
    expect(world.repositories.size).toBe(0);
    expect(world.liveKeys()).toEqual([]);
  });

  it('fails naming the step and leaves the key alone when deleting the repository fails', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    world.failWhen('ecr.deleteRepository', 'ServerException');

    const error = await rejectionOf(send(givenDeleteRequest(NAME, givenFullProperties())));

    expect(error.message).toMatch(/^ecr\.deleteRepository on acme-shop-orders-api failed: ServerException/);
    expect(world.liveKeys()).toHaveLength(1);
  });
});

describe('createRepositoryHandler with invalid settings', () => {
  const broken = givenSettingsEnv({ ORG_PREFIX: undefined, ORG_KMS_DELETION_WINDOW_DAYS: '31' });

  it.each([
    ['Create', givenCreateRequest(givenProperties())],
    ['Update', givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: givenProperties() })],
    ['Delete', givenDeleteRequest(NAME)],
  ])('fails every %s request with InvalidSettingsError naming each bad setting, before any AWS call', async (_type, request) => {
    const { world, send } = givenProvider({ settings: broken });

    const error = await rejectionOf(send(request));

    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect(error.message).toContain('`ORG_PREFIX` is required');
    expect(error.message).toContain('`ORG_KMS_DELETION_WINDOW_DAYS` must be a whole number from 7 to 30; got: "31"');
    expect(world.reads).toEqual([]);
    expect(world.calls).toEqual([]);
  });
});
