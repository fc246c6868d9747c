import fc from 'fast-check';
import { desiredState } from '../../../handler/src/core/desired';
import { planConverge, planCreate } from '../../../handler/src/core/plan';
import { applyDrifts, drifts, identity, inPlace, queryFor, settings, snapshotOf, specWith } from '../../helpers/arbitraries';
import { FakeWorld } from '../../helpers/fake-world';
import { givenEnvironment, givenOwner } from '../../helpers/given';

const owner = givenOwner();
const env = givenEnvironment();

const scenario = fc.record({ identity, before: inPlace, after: inPlace, settingsBefore: settings, settingsAfter: settings, drifts });

describe('planConverge (properties)', () => {
  it('plans nothing more once its plan is applied, whatever changed in place and whatever drifted', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ identity: names, before, after, settingsBefore, settingsAfter, drifts: chosen }) => {
        // GIVEN a repository the provider created, then drift, then new properties and settings
        const world = new FakeWorld(env, 'full');
        const created = desiredState(specWith(names, before), { ...settingsBefore, parameterPrefix: settingsAfter.parameterPrefix }, env, owner);
        await world.apply(planCreate(created));
        applyDrifts(world, created, chosen);
        const desired = desiredState(specWith(names, after), settingsAfter, env, owner);

        // WHEN the converge plan is applied (it must succeed against the world's rules)
        await world.apply(planConverge(desired, await world.observe(queryFor(desired)), owner));

        // THEN planning again finds nothing to do
        expect(planConverge(desired, await world.observe(queryFor(desired)), owner)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('re-asserts only what it cannot see when the observer reads keys as the SDK observer does', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ identity: names, before, after, settingsBefore, settingsAfter, drifts: chosen }) => {
        // GIVEN the same story, observed without key policy and rotation
        const world = new FakeWorld(env, 'like-sdk');
        const created = desiredState(specWith(names, before), { ...settingsBefore, parameterPrefix: settingsAfter.parameterPrefix }, env, owner);
        await world.apply(planCreate(created));
        applyDrifts(world, created, chosen);
        const desired = desiredState(specWith(names, after), settingsAfter, env, owner);
        await world.apply(planConverge(desired, await world.observe(queryFor(desired)), owner));

        // WHEN planning again and applying that too
        const before2 = snapshotOf(world);
        const again = planConverge(desired, await world.observe(queryFor(desired)), owner);
        await world.apply(again);

        // THEN the second plan changes nothing, and touches only the key's unread details
        expect(snapshotOf(world)).toBe(before2);
        for (const action of again.flat()) expect(['kms.putKeyPolicy', 'kms.enableKeyRotation', 'kms.disableKeyRotation', 'kms.tagResource']).toContain(action.kind);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
