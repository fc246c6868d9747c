import fc from 'fast-check';
import { planDelete } from '../../../handler/src/core/delete';
import { isOwnedBy } from '../../../handler/src/core/ownership';
import { OwnershipTag } from '../../../handler/src/contract';
import { FakeWorld } from '../../helpers/fake-world';
import { FOREIGN_OWNER, givenEnvironment, givenOwner, ownershipTags } from '../../helpers/given';

const owner = givenOwner();
const NAME = 'acme-shop-orders-api';
const ALIAS = 'alias/acme-shop-orders-api';
const PARAMETERS = ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_name', 'ECR_ORDERS_API_kms_key_arn'];

/** Who a resource's tags say it belongs to. */
const tagsOf = fc.constantFrom(
  ownershipTags(owner, NAME),
  ownershipTags(owner, 'acme-store-orders-api'),
  ownershipTags(owner),
  ownershipTags(FOREIGN_OWNER, NAME),
  ownershipTags(givenOwner({ logicalId: 'Other' }), NAME),
  { [OwnershipTag.StackId]: owner.stackId },
  {},
);
const keyState = fc.constantFrom('Enabled' as const, 'Disabled' as const, 'PendingDeletion' as const);

const worldShape = fc.record({
  repository: fc.option(fc.record({ tags: tagsOf, keyIndex: fc.option(fc.constantFrom(0, 1), { nil: undefined }) }), { nil: undefined }),
  keys: fc.tuple(fc.record({ tags: tagsOf, state: keyState }), fc.record({ tags: tagsOf, state: keyState })),
  aliasIndex: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  parameters: fc.tuple(...PARAMETERS.map(() => fc.option(tagsOf, { nil: undefined }))),
});

describe('planDelete (properties)', () => {
  it('never touches a resource whose tags lack this owner’s stack and logical id', async () => {
    await fc.assert(
      fc.asyncProperty(worldShape, async (shape) => {
        // GIVEN a world mixing our resources with other stacks' and untagged ones
        const world = new FakeWorld(givenEnvironment(), 'full');
        const keys = shape.keys.map((key) => world.addKey({ tags: { ...key.tags }, state: key.state }));
        if (shape.repository) {
          const key = shape.repository.keyIndex === undefined ? undefined : keys[shape.repository.keyIndex];
          world.addRepository(NAME, { tags: { ...shape.repository.tags }, ...(key ? { kmsKeyArn: key.arn } : {}) });
        }
        if (shape.aliasIndex !== undefined) world.aliases.set(ALIAS, keys[shape.aliasIndex]!.arn);
        shape.parameters.forEach((tags, index) => tags && world.addParameter(PARAMETERS[index]!, 'value', tags));
        const actual = await world.observe({ repositoryName: NAME, repositoryArn: world.repositoryArn(NAME), aliasName: ALIAS, parameterNames: PARAMETERS, includeKey: true });

        // WHEN the Delete is planned
        const { plan } = planDelete(NAME, ALIAS, actual, owner, 30);

        // THEN every action touches only what carries our ownership tags
        for (const action of plan.flat()) {
          switch (action.kind) {
            case 'ecr.deleteRepository':
              expect(isOwnedBy(world.repositories.get(action.repositoryName)?.tags, owner)).toBe(true);
              break;
            case 'kms.deleteAlias':
              expect(isOwnedBy(world.keys.get(world.aliases.get(action.aliasName) ?? '')?.tags, owner)).toBe(true);
              break;
            case 'kms.scheduleKeyDeletion':
              expect(isOwnedBy(world.keys.get(action.keyArn)?.tags, owner)).toBe(true);
              break;
            case 'ssm.deleteParameters':
              for (const name of action.names) expect(world.parameters.get(name)?.tags).toMatchObject(ownershipTags(owner, NAME));
              break;
            default:
              throw new Error(`Delete planned a ${action.kind}`);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves nothing of ours for this repository once its plan is applied', async () => {
    await fc.assert(
      fc.asyncProperty(worldShape, async (shape) => {
        // GIVEN the same mixed worlds, applied this time
        const world = new FakeWorld(givenEnvironment(), 'full');
        const keys = shape.keys.map((key) => world.addKey({ tags: { ...key.tags }, state: key.state }));
        const repositoryOurs = shape.repository !== undefined && isOwnedBy(shape.repository.tags, owner);
        if (shape.repository) world.addRepository(NAME, { tags: { ...shape.repository.tags } });
        if (shape.aliasIndex !== undefined) world.aliases.set(ALIAS, keys[shape.aliasIndex]!.arn);
        shape.parameters.forEach((tags, index) => tags && world.addParameter(PARAMETERS[index]!, 'value', tags));
        const query = { repositoryName: NAME, repositoryArn: world.repositoryArn(NAME), aliasName: ALIAS, parameterNames: PARAMETERS, includeKey: true };

        // WHEN the Delete is applied
        await world.apply(planDelete(NAME, ALIAS, await world.observe(query), owner, 30).plan);

        // THEN the repository is gone if it was ours, and so is every parameter tagged for it (unless a foreign repository holds the name)
        expect(world.repositories.has(NAME)).toBe(shape.repository !== undefined && !repositoryOurs);
        if (shape.repository === undefined || repositoryOurs) {
          for (const parameter of world.parameters.values()) expect(parameter.tags[OwnershipTag.Repository] === NAME && isOwnedBy(parameter.tags, owner)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
