/**
 * The rollback of a replacing Update returns to the repository the stack had, also when the
 * platform changed ORG_PREFIX in between (today's rules would name a new, empty repository).
 */
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

const OLD = 'acme-shop-orders-api';

describe('createRepositoryHandler on the rollback of a replacement after an ORG_PREFIX change', () => {
  it.each([
    ['with a customer key', givenFullProperties()],
    ['without a key', givenProperties({ ImagesRetained: '5' })],
  ])('returns to the repository the stack had and leaves nothing new behind (%s)', async (_case, deployed) => {
    // GIVEN acme-shop-orders-api, created under the prefix acme
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(deployed));
    const oldKey = world.repositories.get(OLD)?.kmsKeyArn;
    // AND the platform renamed the prefix to corp
    const provider = givenProvider({ world, settings: givenSettingsEnv({ ORG_PREFIX: 'corp' }) });

    // WHEN the base name changes (a replacement: corp-shop-orders-api-v2) and the stack rolls back
    const renamed = { ...deployed, RepositoryBaseName: 'orders-api-v2' };
    const forward = await provider.send(givenUpdateRequest({ physicalResourceId: OLD, old: deployed, new: renamed }));
    expect(forward.physicalResourceId).toBe('corp-shop-orders-api-v2');
    const rollback = await provider.send(givenUpdateRequest({ physicalResourceId: 'corp-shop-orders-api-v2', old: renamed, new: deployed }));
    await provider.send(givenDeleteRequest('corp-shop-orders-api-v2', renamed));

    // THEN the rollback answered the old repository, no corp-shop-orders-api was ever made
    expect(rollback).toMatchObject({ physicalResourceId: OLD, data: { RepositoryName: OLD, KmsKeyArn: oldKey ?? '' } });
    expect([...world.repositories.keys()]).toEqual([OLD]);
    expect(world.calls.some((action) => action.kind === 'ecr.createRepository' && action.repositoryName === 'corp-shop-orders-api')).toBe(false);
    // AND the parameters name it, and the only live key is its own
    expect(world.parameters.get('ECR_ORDERS_API_name')?.value).toBe(OLD);
    expect([...world.parameters.keys()].filter((name) => name.includes('V2'))).toEqual([]);
    expect(world.liveKeys().map((key) => key.arn)).toEqual(oldKey ? [oldKey] : []);
  });

  it('marks the repository a replacement creates with the id it replaces', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    await send(givenUpdateRequest({ physicalResourceId: OLD, old: givenProperties(), new: givenProperties({ RepositoryBaseName: 'orders-v2' }) }));
    expect(world.repositories.get('acme-shop-orders-v2')?.tags['org-ecr:replaces']).toBe(OLD);
  });

  it('replaces as usual when the repository the physical id replaced is gone', async () => {
    // GIVEN a replacement completed: CloudFormation deleted the old repository
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    await send(givenUpdateRequest({ physicalResourceId: OLD, old: givenProperties(), new: givenProperties({ RepositoryBaseName: 'orders-v2' }) }));
    await send(givenDeleteRequest(OLD, givenProperties()));

    // WHEN a later Update goes back to the first name
    const back = await send(givenUpdateRequest({ physicalResourceId: 'acme-shop-orders-v2', old: givenProperties({ RepositoryBaseName: 'orders-v2' }), new: givenProperties() }));

    // THEN a repository of that name is created again
    expect(back.physicalResourceId).toBe(OLD);
    expect(world.repositories.has(OLD)).toBe(true);
  });

  it('keeps the repository in place when the old properties do not parse and the new ones name it under an earlier prefix', async () => {
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenProperties()));
    const provider = givenProvider({ world, settings: givenSettingsEnv({ ORG_PREFIX: 'corp' }) });
    const outcome = await provider.send(givenUpdateRequest({ physicalResourceId: OLD, old: { ApplicationName: '' }, new: givenProperties({ ImagesRetained: '3' }) }));
    expect(outcome.physicalResourceId).toBe(OLD);
    expect(world.repositories.has('corp-shop-orders-api')).toBe(false);
    expect(world.repositories.get(OLD)?.lifecyclePolicy).toContain('"countNumber":3');
  });
});
