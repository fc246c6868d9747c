/**
 * Organisation, organisational-unit and Lambda sharing, evaluated: the repository and key
 * policies the provider writes let exactly the principals asked for pull and decrypt, never
 * push, and nobody else.
 */
import { keyPolicy, sharingFor } from '../../../handler/src/core/desired';
import { sharingStatements } from '../../../handler/src/core/sharing';
import { givenSettings, givenSpec } from '../../helpers/given';
import { mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';

const OWNER = '111111111111';
const DEV = '222222222222';
const REGION = 'eu-west-1';
const ORG = 'o-a1b2c3d4e5';
const OU = `${ORG}/r-ab12/ou-ab12-11111111/`;
const env = { partition: 'aws', region: REGION, account: OWNER, urlSuffix: 'amazonaws.com' };
const REPOSITORY = `arn:aws:ecr:${REGION}:${OWNER}:repository/acme-shop-api`;
const KEY = `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** Their own accounts let them do anything with ECR and KMS: only our resource policies decide. */
const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:*', 'kms:*'], Resource: '*' }] };

const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
const WRITE = ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage', 'ecr:DeleteRepository', 'ecr:SetRepositoryPolicy', 'ecr:PutLifecyclePolicy', 'ecr:TagResource'];

function policiesFor(spec: Parameters<typeof givenSpec>[0]): { repository: PolicyDocument; key: PolicyDocument } {
  const sharing = sharingFor(givenSpec(spec), givenSettings({ organizationId: ORG, environmentAccounts: { dev: DEV } }), env);
  return {
    repository: { Version: '2012-10-17', Statement: sharingStatements(env, sharing) },
    key: JSON.parse(keyPolicy(env, sharing)) as PolicyDocument,
  };
}

describe('ShareWithOrganization', () => {
  const { repository, key } = policiesFor({ shareWithOrganization: true });
  const member = 'arn:aws:iam::555555555555:role/App';
  const inOrganization = { 'aws:PrincipalOrgID': ORG };

  it.each(PULL)('lets a principal of any account of the organisation %s', async (action) => {
    const verdict = await simulate({ principal: member, action, resource: REPOSITORY, context: inOrganization }, { identityPolicies: [everything], resourcePolicy: repository });
    expect(mismatch(verdict, 'Allowed')).toBeNull();
  });

  it.each(WRITE)('does not let a principal of the organisation %s', async (action) => {
    const verdict = await simulate({ principal: member, action, resource: REPOSITORY, context: inOrganization }, { identityPolicies: [everything], resourcePolicy: repository });
    expect(mismatch(verdict, 'Denied')).toBeNull();
  });

  it('lets nobody outside the organisation pull', async () => {
    const other = await simulate({ principal: member, action: 'ecr:BatchGetImage', resource: REPOSITORY, context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } }, { identityPolicies: [everything], resourcePolicy: repository });
    const none = await simulate({ principal: member, action: 'ecr:BatchGetImage', resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repository });
    expect(mismatch(other, 'Denied')).toBeNull();
    expect(mismatch(none, 'Denied')).toBeNull();
  });

  it('lets a principal of the organisation decrypt and describe the key, nothing else', async () => {
    const request = (action: string) => simulate({ principal: member, action, resource: KEY, context: inOrganization }, { identityPolicies: [everything], resourcePolicy: key });
    expect(mismatch(await request('kms:Decrypt'), 'Allowed')).toBeNull();
    expect(mismatch(await request('kms:DescribeKey'), 'Allowed')).toBeNull();
    for (const action of ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant']) expect(mismatch(await request(action), 'Denied')).toBeNull();
  });
});

describe('ShareWithOrganizationalUnitPaths', () => {
  const { repository, key } = policiesFor({ organizationalUnitPaths: [OU] });
  const member = 'arn:aws:iam::666666666666:role/App';

  it.each([
    ['an account of the unit', [`${OU}`]],
    ['an account of a child unit', [`${OU}ou-ab12-33333333/`]],
  ])('lets %s pull and decrypt', async (_who, paths) => {
    const context = { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalOrgPaths': paths };
    for (const action of PULL) {
      expect(mismatch(await simulate({ principal: member, action, resource: REPOSITORY, context }, { identityPolicies: [everything], resourcePolicy: repository }), 'Allowed')).toBeNull();
    }
    expect(mismatch(await simulate({ principal: member, action: 'kms:Decrypt', resource: KEY, context }, { identityPolicies: [everything], resourcePolicy: key }), 'Allowed')).toBeNull();
  });

  it('lets an account of the unit push nothing', async () => {
    const context = { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalOrgPaths': [OU] };
    for (const action of WRITE) {
      expect(mismatch(await simulate({ principal: member, action, resource: REPOSITORY, context }, { identityPolicies: [everything], resourcePolicy: repository }), 'Denied')).toBeNull();
    }
  });

  it('lets an account of another unit of the same organisation do nothing', async () => {
    const context = { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/ou-ab12-22222222/`] };
    expect(mismatch(await simulate({ principal: member, action: 'ecr:BatchGetImage', resource: REPOSITORY, context }, { identityPolicies: [everything], resourcePolicy: repository }), 'Denied')).toBeNull();
    expect(mismatch(await simulate({ principal: member, action: 'kms:Decrypt', resource: KEY, context }, { identityPolicies: [everything], resourcePolicy: key }), 'Denied')).toBeNull();
  });
});

describe('LambdaPullFromEnvs', () => {
  const { repository } = policiesFor({ lambdaPullFromEnvs: true });
  const lambda = (sourceArn: string) => ({ 'aws:PrincipalIsAWSService': 'true', 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceArn.split(':')[4] ?? '' });

  it.each(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'])('lets Lambda %s for a function of an environment account in this Region', async (action) => {
    const verdict = await simulate({ principal: 'lambda.amazonaws.com', action, resource: REPOSITORY, context: lambda(`arn:aws:lambda:${REGION}:${DEV}:function:orders`) }, { resourcePolicy: repository });
    expect(mismatch(verdict, 'Allowed')).toBeNull();
  });

  it.each([
    ['another account', `arn:aws:lambda:${REGION}:444444444444:function:orders`],
    ['another Region', `arn:aws:lambda:us-east-1:${DEV}:function:orders`],
  ])('does not let Lambda pull for a function of %s', async (_where, sourceArn) => {
    const verdict = await simulate({ principal: 'lambda.amazonaws.com', action: 'ecr:BatchGetImage', resource: REPOSITORY, context: lambda(sourceArn) }, { resourcePolicy: repository });
    expect(mismatch(verdict, 'Denied')).toBeNull();
  });

  it('lets the environment account that creates the function read the image, and push nothing', async () => {
    const deployer = `arn:aws:iam::${DEV}:role/Deployer`;
    for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
      expect(mismatch(await simulate({ principal: deployer, action, resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repository }), 'Allowed')).toBeNull();
    }
    for (const action of WRITE) {
      expect(mismatch(await simulate({ principal: deployer, action, resource: REPOSITORY }, { identityPolicies: [everything], resourcePolicy: repository }), 'Denied')).toBeNull();
    }
  });
});
