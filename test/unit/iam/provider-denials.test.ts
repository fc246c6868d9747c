/**
 * The provider role's policy, as generated into templates/provider.yaml, evaluated: what it must
 * never be allowed to do, each next to the nearest request it must be allowed, so a denial
 * cannot pass because the whole policy broke.
 */
import { mismatch, simulate, type IamRequest } from '../../helpers/iam-simulator';
import { deployProvider } from '../../helpers/provider-deployment';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const provider = deployProvider({ account: ACCOUNT, region: REGION, parameters: { OrganizationPrefix: 'acme', ParameterPrefix: '/platform/ecr', CodeBucketPrefix: 'acme-artifacts' } });
const OUR_STACK = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/shop/0000`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ownKey = { 'aws:ResourceTag/org-ecr:stack-id': OUR_STACK, 'kms:ResourceAliases': ['alias/acme-shop-api'] };

async function verdict(action: string, resource: string, context: IamRequest['context'] = {}) {
  return simulate({ principal: provider.roleArn, action, resource, context }, { identityPolicies: provider.policies });
}

describe('the provider role (templates/provider.yaml)', () => {
  it.each([
    ['ecr:CreateRepository', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`, 'arn:aws:ecr:eu-west-1:123456789012:repository/other-shop-api'],
    ['ecr:DeleteRepository', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`, 'arn:aws:ecr:eu-west-1:123456789012:repository/acmeshop-api'],
    ['ecr:SetRepositoryPolicy', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`, 'arn:aws:ecr:eu-west-1:999999999999:repository/acme-shop-api'],
    // Alias calls are scoped by the key they name, not by the alias's name: earlier-prefix.test.ts.
    ['ssm:PutParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/platform/ecr/ECR_API_arn`, `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ECR_API_arn`],
    ['ssm:DeleteParameters', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/platform/ecr/ECR_API_arn`, `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/platform/ecr/DB_PASSWORD`],
  ])('allows %s on %s and denies it outside the organisation prefix (%s)', async (action, inside, outside) => {
    expect(mismatch(await verdict(action, inside), 'Allowed')).toBeNull();
    expect(mismatch(await verdict(action, outside), 'Denied')).toBeNull();
  });

  it('creates a key only when the request tags it as owned by a stack of this account and Region', async () => {
    const tagged = { 'aws:RequestTag/org-ecr:stack-id': OUR_STACK, 'aws:TagKeys': ['org-ecr:stack-id'] };
    expect(mismatch(await verdict('kms:CreateKey', '*', tagged), 'Allowed')).toBeNull();
    expect(mismatch(await verdict('kms:CreateKey', '*'), 'Denied')).toBeNull();
    const elsewhere = { 'aws:RequestTag/org-ecr:stack-id': `arn:aws:cloudformation:${REGION}:999999999999:stack/shop/0000`, 'aws:TagKeys': ['org-ecr:stack-id'] };
    expect(mismatch(await verdict('kms:CreateKey', '*', elsewhere), 'Denied')).toBeNull();
  });

  it.each(['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation', 'kms:UntagResource', 'kms:CreateGrant'])(
    'through IAM alone, runs %s only on a key carrying our ownership tag AND an organisation alias',
    async (action) => {
      const viaEcr: Record<string, string> = action === 'kms:CreateGrant' ? { 'kms:ViaService': `ecr.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' } : {};
      const keyPolicyAllowsAccount = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
      const run = (context: Record<string, string | string[]>) =>
        simulate({ principal: provider.roleArn, action, resource: KEY, context: { ...viaEcr, ...context } }, { identityPolicies: provider.policies, resourcePolicy: keyPolicyAllowsAccount });
      expect(mismatch(await run(ownKey), 'Allowed')).toBeNull();
      expect(mismatch(await run({}), 'Denied')).toBeNull(); // no ownership tag, no alias
      expect(mismatch(await run({ 'aws:ResourceTag/org-ecr:stack-id': OUR_STACK }), 'Denied')).toBeNull(); // tag without alias
      expect(mismatch(await run({ 'kms:ResourceAliases': ['alias/acme-shop-api'] }), 'Denied')).toBeNull(); // alias without tag
      expect(mismatch(await run({ ...ownKey, 'aws:ResourceTag/org-ecr:stack-id': `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/shop/0000` }), 'Denied')).toBeNull();
    },
  );

  it('creates grants on our key only through ECR', async () => {
    const keyPolicyAllowsAccount = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const verdictOf = async (context: Record<string, string | string[]>) =>
      simulate({ principal: provider.roleArn, action: 'kms:CreateGrant', resource: KEY, context: { ...ownKey, ...context } }, { identityPolicies: provider.policies, resourcePolicy: keyPolicyAllowsAccount });
    expect(mismatch(await verdictOf({ 'kms:ViaService': `ecr.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' }), 'Allowed')).toBeNull();
    expect(mismatch(await verdictOf({ 'kms:GrantIsForAWSResource': 'false' }), 'Denied')).toBeNull();
    expect(mismatch(await verdictOf({ 'kms:ViaService': `ec2.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' }), 'Denied')).toBeNull();
  });
});
