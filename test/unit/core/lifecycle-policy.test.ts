/**
 * The lifecycle policy is shared ground: the provider's rules (marked in their description) next
 * to the rules a team added by hand, which an Update never erases.
 */
import { isOurs, lifecyclePolicy, lifecyclePolicyChange } from '../../../handler/src/core/lifecycle-policy';
import { ConflictError } from '../../../handler/src/errors';

const teamRule = (rulePriority: number, tagStatus = 'tagged') => ({
  rulePriority,
  description: `Team rule ${rulePriority}`,
  selection: tagStatus === 'tagged' ? { tagStatus, tagPatternList: ['pr-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 } : { tagStatus, countType: 'imageCountMoreThan', countNumber: 50 },
  action: { type: 'expire' },
});
const policyOf = (...rules: object[]) => JSON.stringify({ rules });
const rulesOf = (change: ReturnType<typeof lifecyclePolicyChange>) => (change.kind === 'put' ? (JSON.parse(change.policy) as { rules: Array<{ rulePriority: number; description: string }> }).rules : []);

describe('lifecyclePolicy', () => {
  it('marks every rule it writes as ours and orders the untagged rule before the any rule', () => {
    const rules = (JSON.parse(lifecyclePolicy(10, 14)!) as { rules: Array<{ rulePriority: number; selection: { tagStatus: string } }> }).rules;
    expect(rules.map((rule) => [rule.rulePriority, rule.selection.tagStatus])).toEqual([[1, 'untagged'], [2, 'any']]);
    expect(rules.every(isOurs)).toBe(true);
  });

  it('is undefined without ImagesRetained and without the untagged rule', () => {
    expect(lifecyclePolicy(undefined, undefined)).toBeUndefined();
  });
});

describe('lifecyclePolicyChange', () => {
  it('keeps a team rule verbatim and puts ours after it when the team added one by hand', () => {
    // GIVEN our rules and a team's rule at priority 1
    const actual = policyOf(teamRule(1), ...JSON.parse(lifecyclePolicy(5, 14)!).rules);
    // WHEN ImagesRetained becomes 10
    const change = lifecyclePolicyChange(actual, lifecyclePolicy(10, 14));
    // THEN the team's rule is there unchanged, ours follow it
    expect(rulesOf(change)).toEqual([teamRule(1), expect.objectContaining({ rulePriority: 2 }), expect.objectContaining({ rulePriority: 3, description: expect.stringContaining('Keep the 10') })]);
  });

  it('plans nothing when the policy already holds the team rule and ours', () => {
    const first = lifecyclePolicyChange(policyOf(teamRule(4)), lifecyclePolicy(10, 14));
    expect(first.kind).toBe('put');
    expect(lifecyclePolicyChange(first.kind === 'put' ? first.policy : null, lifecyclePolicy(10, 14))).toEqual({ kind: 'none' });
  });

  it('keeps the team rule alone when none of ours is desired any more, rather than deleting the policy', () => {
    const change = lifecyclePolicyChange(policyOf(teamRule(1), ...JSON.parse(lifecyclePolicy(5)!).rules), undefined);
    expect(rulesOf(change)).toEqual([teamRule(1)]);
  });

  it('deletes the policy when it only held our rules and none is desired', () => {
    expect(lifecyclePolicyChange(lifecyclePolicy(5)!, undefined)).toEqual({ kind: 'delete' });
  });

  it("keeps a team's any rule last, renumbered only when ours would come after it", () => {
    const change = lifecyclePolicyChange(policyOf(teamRule(1, 'any')), lifecyclePolicy(undefined, 14));
    expect(rulesOf(change).map((rule) => [rule.rulePriority, rule.description])).toEqual([
      [1, expect.stringContaining('untagged')],
      [2, 'Team rule 1'],
    ]);
  });

  it("fails with a ConflictError naming ImagesRetained and the rule when a team's any rule exists", () => {
    expect(() => lifecyclePolicyChange(policyOf(teamRule(3, 'any')), lifecyclePolicy(10, 14))).toThrow(ConflictError);
    expect(() => lifecyclePolicyChange(policyOf(teamRule(3, 'any')), lifecyclePolicy(10, 14))).toThrow(/`ImagesRetained`.*priority 3.*Team rule 3/);
  });

  it('reads an unreadable policy as having no rules, and replaces it with ours', () => {
    expect(lifecyclePolicyChange('not json', lifecyclePolicy(undefined, 14))).toEqual({ kind: 'put', policy: lifecyclePolicy(undefined, 14) });
  });
});
