/**
 * The recommended permissions boundary (templates/provider-boundary.yaml, generated from
 * OrgEcrProviderBoundary) still allows every recorded call of the provider, and caps what the
 * role could do if its own policy were widened by mistake.
 */
import { join } from 'node:path';
import { mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';
import { resolveTemplate } from '../../helpers/cfn-resolve';
import { readRecordedFixture, replayRecordedRuns } from '../../helpers/recorded-simulation';
import { loadTemplate } from '../../helpers/templates';

const ACCOUNT = '123456789012';
const ROOT = join(__dirname, '..', '..', '..');
const boundaryOf = (account: string, region: string, prefix = 'acme') => {
  const resolved = resolveTemplate(loadTemplate(join(ROOT, 'templates', 'provider-boundary.yaml')), { account, region, parameters: { OrganizationPrefix: prefix } });
  const policy = Object.values(resolved.Resources).find((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')!;
  return { name: String(policy.Properties!.ManagedPolicyName), policy: policy.Properties!.PolicyDocument as PolicyDocument };
};

describe('the recommended provider boundary (templates/provider-boundary.yaml)', () => {
  it('still allows every recorded call of the provider, also on repositories made under an earlier prefix', async () => {
    const runs = readRecordedFixture();
    // The boundary deployed for each run's ORG_PREFIX: the platform team changes both at once.
    const report = await replayRecordedRuns(runs, (settings) => ({ boundary: boundaryOf(runs[0]!.account, runs[0]!.region, settings.ORG_PREFIX) }));
    expect(report.denials).toEqual([]);
    expect(report.simulated).toBeGreaterThan(100);
  });

  it('allows the reads other provider changes add (DescribeStacks of the account\'s stacks, DescribeParameters)', async () => {
    const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const principal = `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/p`;
    const boundary = boundaryOf(ACCOUNT, 'us-east-1');
    const stack = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/shop/1111`;
    expect(mismatch(await simulate({ principal, action: 'cloudformation:DescribeStacks', resource: stack }, { identityPolicies: [everything], boundary }), 'Allowed')).toBeNull();
    expect(mismatch(await simulate({ principal, action: 'ssm:DescribeParameters', resource: '*' }, { identityPolicies: [everything], boundary }), 'Allowed')).toBeNull();
  });

  it('reaches a repository outside the prefix only when it carries the provider ownership tag of a stack of this account', async () => {
    const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const request = (stackId: string) => ({ principal: `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/p`, action: 'ecr:DeleteRepository', resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/old-shop-api`, context: { 'aws:ResourceTag/org-ecr:stack-id': stackId } });
    const boundary = boundaryOf(ACCOUNT, 'us-east-1');
    expect(mismatch(await simulate(request(`arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/shop/1`), { identityPolicies: [everything], boundary }), 'Allowed')).toBeNull();
    expect(mismatch(await simulate(request('arn:aws:cloudformation:us-east-1:999999999999:stack/shop/1'), { identityPolicies: [everything], boundary }), 'Denied')).toBeNull();
  });

  it.each([
    ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/anything`],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/anything`],
    ['sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/anything`],
    ['ecr:SetRepositoryPolicy', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other-team-repo`],
    // Untagged: the boundary reaches a repository outside the prefix only by the provider's ownership tag.
    ['ecr:DeleteRepository', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other-team-repo`],
    ['ssm:PutParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/db/password`],
    ['s3:GetObject', 'arn:aws:s3:::any-bucket/key'],
  ])('denies %s on %s even to a role whose own policy allows everything', async (action, resource) => {
    const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const verdict = await simulate({ principal: `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/p`, action, resource }, { identityPolicies: [everything], boundary: boundaryOf(ACCOUNT, 'us-east-1') });
    expect(mismatch(verdict, 'Denied')).toBeNull();
  });
});

describe('the provider template\'s PermissionsBoundaryArn', () => {
  it('sets the role\'s boundary when given and leaves it out when empty', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/org-ecr-provider-boundary`;
    const roleOf = (parameters: Record<string, string>) => {
      const resolved = resolveTemplate(loadTemplate(join(ROOT, 'templates', 'provider.yaml')), { account: ACCOUNT, region: 'us-east-1', parameters: { OrganizationPrefix: 'acme', CodeBucketPrefix: 'code', ...parameters } });
      return Object.values(resolved.Resources).find((resource) => resource.Type === 'AWS::IAM::Role' && JSON.stringify(resource.Properties).includes('lambda.amazonaws.com'))!;
    };
    expect(roleOf({ PermissionsBoundaryArn: arn }).Properties!.PermissionsBoundary).toBe(arn);
    expect(roleOf({}).Properties!.PermissionsBoundary).toBeUndefined();
  });
});
