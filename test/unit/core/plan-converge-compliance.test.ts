/**
 * The compliance options in place: tag mutability both ways, with exclusion filters, and the
 * lifecycle policy with a team's own rules kept. Each change rides the first round of calls.
 */
import { planConverge } from '../../../handler/src/core/plan';
import { convergedActual, withRepository } from '../../helpers/actual';
import { givenDesired, givenOwner } from '../../helpers/given';

const owner = givenOwner();
const NAME = 'acme-shop-orders-api';

describe('planConverge: tag mutability', () => {
  it.each([
    ['MUTABLE to IMMUTABLE', { imageTagMutability: 'MUTABLE' as const }, { imageTagMutability: 'IMMUTABLE' as const }],
    ['IMMUTABLE to MUTABLE (a rollback)', { imageTagMutability: 'IMMUTABLE' as const }, { imageTagMutability: 'MUTABLE' as const }],
    ['IMMUTABLE to IMMUTABLE_WITH_EXCLUSION', {}, { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const, exclusionFilters: ['latest'] }],
    ['IMMUTABLE_WITH_EXCLUSION back to IMMUTABLE', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const, exclusionFilters: ['latest'] }, {}],
    ['one exclusion filter to another', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const, exclusionFilters: ['latest'] }, { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const, exclusionFilters: ['dev-*'] }],
  ])('puts the tag mutability in one call of the first round when it changes %s', (_case, before, after) => {
    // GIVEN a repository as `before` asked
    const desired = givenDesired(after);
    // WHEN converging to `after`
    const plan = planConverge(desired, convergedActual(givenDesired(before)), owner);
    // THEN one call, no extra round trip
    expect(plan).toEqual([[{ kind: 'ecr.putImageTagMutability', repositoryName: NAME, imageTagMutability: desired.imageTagMutability, exclusionFilters: desired.exclusionFilters }]]);
  });

  it('plans nothing when ECR hands the same filters back in another order', () => {
    const desired = givenDesired({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] });
    const actual = withRepository(convergedActual(desired), { exclusionFilters: ['dev-*', 'latest'] });
    expect(planConverge(desired, actual, owner)).toEqual([]);
  });

  it('makes a repository created before the setting existed (MUTABLE) immutable at its next update', () => {
    const desired = givenDesired();
    const plan = planConverge(desired, withRepository(convergedActual(desired), { imageTagMutability: 'MUTABLE' }), owner);
    expect(plan.flat()).toEqual([expect.objectContaining({ kind: 'ecr.putImageTagMutability', imageTagMutability: 'IMMUTABLE' })]);
  });
});

describe('planConverge: lifecycle with a team rule', () => {
  const teamRule = { rulePriority: 1, description: 'keep release images', selection: { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } };

  it('keeps a rule a team added by hand when ImagesRetained changes', () => {
    // GIVEN a team rule next to ours
    const before = JSON.parse(givenDesired({ imagesRetained: 5 }).lifecyclePolicy!) as { rules: object[] };
    const actual = withRepository(convergedActual(givenDesired({ imagesRetained: 5 })), { lifecyclePolicy: JSON.stringify({ rules: [teamRule, ...before.rules.map((rule, index) => ({ ...rule, rulePriority: index + 2 }))] }) });
    // WHEN ImagesRetained becomes 10
    const [[put]] = planConverge(givenDesired({ imagesRetained: 10 }), actual, owner) as unknown as [[{ kind: string; policy: string }]];
    // THEN the team rule is still in the policy written
    expect(put.kind).toBe('ecr.putLifecyclePolicy');
    expect((JSON.parse(put.policy) as { rules: object[] }).rules).toContainEqual(teamRule);
  });

  it('keeps a rule a team added by hand when ImagesRetained is removed and the untagged rule is off', () => {
    const seed = { untaggedImageExpiryDays: undefined };
    const ours = JSON.parse(givenDesired({ imagesRetained: 5 }, seed).lifecyclePolicy!) as { rules: object[] };
    const actual = withRepository(convergedActual(givenDesired({ imagesRetained: 5 }, seed)), { lifecyclePolicy: JSON.stringify({ rules: [teamRule, { ...ours.rules[0], rulePriority: 2 }] }) });
    const plan = planConverge(givenDesired({}, seed), actual, owner);
    expect(plan).toEqual([[{ kind: 'ecr.putLifecyclePolicy', repositoryName: NAME, policy: JSON.stringify({ rules: [teamRule] }) }]]);
  });
});
