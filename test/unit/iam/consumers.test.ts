/**
 * Who may use what the provider creates: environment accounts pull through the repository
 * policy and decrypt through the key policy, nothing more; other accounts get nothing; the
 * owner account's principals use the key through ECR exactly as AWS's own aws/ecr key allows.
 */
import { CROSS_ACCOUNT_PULL_ACTIONS } from '../../../handler/src/contract';
import { keyPolicy, repositoryPolicy } from '../../../handler/src/core/desired';
import { mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';

const OWNER = '111111111111';
const REGION = 'eu-west-1';
const ENVIRONMENTS = ['222222222222', '333333333333'];
const env = { partition: 'aws', region: REGION, account: OWNER, urlSuffix: 'amazonaws.com' };
const REPOSITORY = `arn:aws:ecr:${REGION}:${OWNER}:repository/acme-shop-api`;
const KEY = `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const PROVIDER = `arn:aws:iam::${OWNER}:role/org-ecr/provider/p`;
const repoPolicy = JSON.parse(repositoryPolicy(env, ENVIRONMENTS)) as PolicyDocument;
const ourKeyPolicy = JSON.parse(keyPolicy(env, ENVIRONMENTS, PROVIDER)) as PolicyDocument;
/** Their own accounts let them do anything with ECR and KMS: only our resource policies decide. */
const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:*', 'kms:*'], Resource: '*' }] };

/** The key policy of AWS's managed aws/ecr key, for the comparison. */
const awsEcrKeyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `ecr.${REGION}.amazonaws.com`, 'kms:CallerAccount': OWNER } },
    },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'], Resource: '*' },
  ],
};

describe('an environment account (repository policy and key policy as the provider writes them)', () => {
  const app = (account: string) => `arn:aws:iam::${account}:role/App`;
  it.each(ENVIRONMENTS.flatMap((account) => ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'].map((action) => [account, action])))(
    'lets %s pull: %s',
    async (account, action) => {
      const verdict = await simulate({ principal: app(account), action, resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repoPolicy });
      expect(mismatch(verdict, 'Allowed')).toBeNull();
    },
  );

  it.each(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage', 'ecr:DeleteRepository', 'ecr:SetRepositoryPolicy', 'ecr:PutLifecyclePolicy', 'ecr:TagResource'])(
    'does not let an environment account %s',
    async (action) => {
      const verdict = await simulate({ principal: app(ENVIRONMENTS[0]!), action, resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repoPolicy });
      expect(mismatch(verdict, 'Denied')).toBeNull();
    },
  );

  it('grants exactly the seed\'s read-only actions and nothing that writes', () => {
    expect(CROSS_ACCOUNT_PULL_ACTIONS.every((action) => /^ecr:(Batch(Check|Get)|Describe|Get|List)/.test(action))).toBe(true);
  });

  it('lets an environment account decrypt and describe the key, nothing else', async () => {
    const request = (action: string) => simulate({ principal: app(ENVIRONMENTS[1]!), action, resource: KEY }, { identityPolicies: [everything], resourcePolicy: ourKeyPolicy });
    expect(mismatch(await request('kms:Decrypt'), 'Allowed')).toBeNull();
    expect(mismatch(await request('kms:DescribeKey'), 'Allowed')).toBeNull();
    for (const action of ['kms:Encrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant']) expect(mismatch(await request(action), 'Denied')).toBeNull();
  });
});

describe('an account that is not an environment account', () => {
  const outsider = 'arn:aws:iam::444444444444:role/App';
  it.each(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'])('cannot %s', async (action) => {
    const verdict = await simulate({ principal: outsider, action, resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repoPolicy });
    expect(mismatch(verdict, 'Denied')).toBeNull();
  });

  it('cannot decrypt with the key', async () => {
    const verdict = await simulate({ principal: outsider, action: 'kms:Decrypt', resource: KEY }, { identityPolicies: [everything], resourcePolicy: ourKeyPolicy });
    expect(mismatch(verdict, 'Denied')).toBeNull();
  });
});

describe('the owner account\'s use of the key through ECR', () => {
  const developer = `arn:aws:iam::${OWNER}:role/Developer`;
  const viaEcr = { 'kms:ViaService': `ecr.${REGION}.amazonaws.com`, 'kms:CallerAccount': OWNER };
  const cases: Array<[string, string, Record<string, string>]> = [
    ...['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'].map(
      (action): [string, string, Record<string, string>] => [`${action} through ECR`, action, viaEcr],
    ),
    ['kms:Decrypt directly', 'kms:Decrypt', { 'kms:CallerAccount': OWNER }],
    ['kms:Decrypt through another service', 'kms:Decrypt', { 'kms:ViaService': `ec2.${REGION}.amazonaws.com`, 'kms:CallerAccount': OWNER }],
    ['kms:ScheduleKeyDeletion through ECR', 'kms:ScheduleKeyDeletion', viaEcr],
  ];
  it.each(cases)('decides %s as AWS\'s aws/ecr key policy does, for a principal with no KMS permission of its own', async (_what, action, context) => {
    const ours = await simulate({ principal: developer, action, resource: KEY, context }, { identityPolicies: [], resourcePolicy: ourKeyPolicy });
    const awsOwn = await simulate({ principal: developer, action, resource: KEY, context }, { identityPolicies: [], resourcePolicy: awsEcrKeyPolicy });
    expect(ours.allowed).toBe(awsOwn.allowed);
  });

  it('allows every ECR use of the key, and no direct use', async () => {
    const decide = (context: Record<string, string>) => simulate({ principal: developer, action: 'kms:Decrypt', resource: KEY, context }, { identityPolicies: [], resourcePolicy: ourKeyPolicy });
    expect(mismatch(await decide(viaEcr), 'Allowed')).toBeNull();
    expect(mismatch(await decide({ 'kms:CallerAccount': OWNER }), 'Denied')).toBeNull();
  });
});
