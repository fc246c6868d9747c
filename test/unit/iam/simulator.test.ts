/** The test helper over @cloud-copilot/iam-simulate: verdicts, explanations, input errors. */
import { mismatch, simulate, SimulationInputError } from '../../helpers/iam-simulator';

const ROLE = 'arn:aws:iam::111111111111:role/app';
const REPO = 'arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop-api';
const allowTagged = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Tagged', Effect: 'Allow', Action: 'ecr:TagResource', Resource: REPO, Condition: { StringEquals: { 'aws:RequestTag/team': 'shop' } } }],
};

describe('simulate', () => {
  it('allows a request an identity policy allows with its condition met', async () => {
    const verdict = await simulate({ principal: ROLE, action: 'ecr:TagResource', resource: REPO, context: { 'aws:RequestTag/team': 'shop', 'aws:TagKeys': ['team'] } }, { identityPolicies: [allowTagged] });
    expect(mismatch(verdict, 'Allowed')).toBeNull();
  });

  it('denies when a condition key AWS would not set is absent (Strict mode), and says which statement did not match', async () => {
    const verdict = await simulate({ principal: ROLE, action: 'ecr:TagResource', resource: REPO }, { identityPolicies: [allowTagged] });
    expect(verdict.result).toBe('ImplicitlyDenied');
    expect(verdict.explanation).toContain('Tagged');
    expect(mismatch(verdict, 'Allowed')).toContain('expected Allowed');
  });

  it('denies explicitly through an SCP and through a permissions boundary', async () => {
    const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const denyTag = { Version: '2012-10-17', Statement: [{ Sid: 'NoTags', Effect: 'Deny', Action: 'ecr:TagResource', Resource: '*' }] };
    const request = { principal: ROLE, action: 'ecr:TagResource', resource: REPO };
    expect((await simulate(request, { identityPolicies: [allowAll], scps: [allowAll, denyTag] })).result).toBe('ExplicitlyDenied');
    expect((await simulate(request, { identityPolicies: [allowAll], boundary: denyTag })).result).toBe('ExplicitlyDenied');
    expect((await simulate(request, { identityPolicies: [allowAll], scps: [allowAll], boundary: allowAll })).result).toBe('Allowed');
  });

  it('fails for an action AWS does not know', async () => {
    await expect(simulate({ principal: ROLE, action: 'ecr:CreateRepositories', resource: REPO }, {})).rejects.toThrow(SimulationInputError);
  });
});
