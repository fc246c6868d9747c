import fc from 'fast-check';
import { resourceNames } from '../../../handler/src/core/desired';
import { UnsupportedUpdateError } from '../../../handler/src/errors';
import { parseProperties } from '../../../handler/src/props/properties';
import { givenSettings } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

/** Properties as CloudFormation sends them; names chosen so some differ only in spelling. */
const properties = fc
  .record({
    ApplicationName: fc.constantFrom('shop', 'Shop', 'shop!', 'store'),
    RepositoryBaseName: fc.constantFrom('orders-api', 'Orders API', 'orders.api', 'payments'),
    UseKmsKey: fc.constantFrom('true', 'false', undefined),
    ImagesRetained: fc.constantFrom('1', '10', undefined),
    ShareableWithAllEnvs: fc.constantFrom('true', 'false', undefined),
    Tags: fc.constantFrom(undefined, [{ Key: 'team', Value: 'payments' }], [{ Key: 'team', Value: 'checkout' }]),
  })
  .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)));

const nameOf = (raw: Record<string, unknown>) => resourceNames(parseProperties(raw, {}), givenSettings()).repositoryName;
const usesKey = (raw: Record<string, unknown>) => raw.UseKmsKey === 'true';

describe('createRepositoryHandler physical id (properties)', () => {
  it('changes the physical id on Update exactly when the repository name changes', async () => {
    await fc.assert(
      fc.asyncProperty(properties, properties, async (old, updated) => {
        // GIVEN a repository created from the old properties
        const { world, send } = givenProvider();
        const created = await send(givenCreateRequest(old));

        // WHEN the Update arrives
        const request = givenUpdateRequest({ physicalResourceId: created.physicalResourceId, old, new: updated });
        const renamed = nameOf(updated) !== nameOf(old);
        if (!renamed && updated.UseKmsKey !== undefined && usesKey(old) !== usesKey(updated)) {
          // THEN (key flip written under the same name) it is refused and the id cannot move;
          // UseKmsKey left out keeps the encryption the repository has
          await expect(send(request)).rejects.toThrow(UnsupportedUpdateError);
          return;
        }
        const outcome = await send(request);

        // THEN the id moved iff the name did; the new id names a repository that exists
        expect(outcome.physicalResourceId !== created.physicalResourceId).toBe(renamed);
        expect(outcome.physicalResourceId).toBe(nameOf(updated));
        expect(world.repositories.has(outcome.physicalResourceId)).toBe(true);

        // AND the cleanup Delete of a replaced id leaves the new repository and its parameters
        if (renamed) {
          await send(givenDeleteRequest(created.physicalResourceId, old));
          expect([...world.repositories.keys()]).toEqual([outcome.physicalResourceId]);
          for (const name of [outcome.data?.ArnParameterName, outcome.data?.NameParameterName]) expect(world.parameters.has(name ?? '')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
