import { snapshotOf } from '../../helpers/arbitraries';
import { givenFullProperties } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

describe('createRepositoryHandler with RetainOnDelete', () => {
  it.each([['true'], [true]])('leaves the repository, key, alias and parameters in place on Delete when RetainOnDelete is %j', async (retain) => {
    // GIVEN a repository with a key and parameters, created to be retained
    const { world, send } = givenProvider();
    const properties = { ...givenFullProperties(), RetainOnDelete: retain };
    await send(givenCreateRequest(properties));
    const before = snapshotOf(world);
    world.calls.length = 0;
    // WHEN CloudFormation deletes it
    const outcome = await send(givenDeleteRequest(NAME, properties));
    // THEN the answer is success and nothing was touched
    expect(outcome).toEqual({ physicalResourceId: NAME });
    expect(world.calls).toEqual([]);
    expect(snapshotOf(world)).toBe(before);
  });

  it('deletes as usual when RetainOnDelete was switched back to false by an Update', async () => {
    // GIVEN a retained repository whose RetainOnDelete an Update turned off
    const { world, send } = givenProvider();
    const retained = { ...givenFullProperties(), RetainOnDelete: 'true' };
    const deleting = { ...givenFullProperties(), RetainOnDelete: 'false' };
    await send(givenCreateRequest(retained));
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: retained, new: deleting }));
    // WHEN CloudFormation deletes it with the properties it now has
    await send(givenDeleteRequest(NAME, deleting));
    // THEN it is gone
    expect(world.repositories.has(NAME)).toBe(false);
    expect(world.parameters.size).toBe(0);
  });

  it('fails a Create naming RetainOnDelete when it is not a boolean', async () => {
    // GIVEN
    const { world, send } = givenProvider();
    // WHEN
    const error = await rejectionOf(send(givenCreateRequest({ ...givenFullProperties(), RetainOnDelete: 'keep' })));
    // THEN
    expect(error.message).toMatch(/`RetainOnDelete` must be true or false; got: "keep"/);
    expect(world.calls).toEqual([]);
  });

  it('deletes when RetainOnDelete no longer parses, as the seed does (a Delete never fails on properties)', async () => {
    // GIVEN
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    // WHEN
    await send(givenDeleteRequest(NAME, { ...givenFullProperties(), RetainOnDelete: 'keep' }));
    // THEN
    expect(world.repositories.has(NAME)).toBe(false);
  });
});
