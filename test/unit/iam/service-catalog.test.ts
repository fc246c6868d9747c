/**
 * Service Catalog: the launch role (as templates/provider.yaml creates it) runs the product's
 * SC-* stacks and invokes the provider, and cannot call ECR, KMS or SSM itself; the provider
 * role does that work (its recorded calls are simulated in recorded-calls.test.ts). An end user
 * therefore needs Service Catalog rights only.
 */
import { mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';
import { deployProvider } from '../../helpers/provider-deployment';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const provider = deployProvider({ account: ACCOUNT, region: REGION, parameters: { OrganizationPrefix: 'acme', CodeBucketPrefix: 'code' } });
const productStack = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/SC-${ACCOUNT}-pp-abcdefghijklm/11111111-2222-3333-4444-555555555555`;

const asLaunchRole = (action: string, resource: string, context: Record<string, string> = {}) =>
  simulate({ principal: provider.launchRoleArn, action, resource, context }, { identityPolicies: provider.launchRolePolicies });

describe('the Service Catalog launch role (templates/provider.yaml)', () => {
  it.each(['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:TagResource'])(
    'runs the product stacks: %s on an SC-* stack',
    async (action) => {
      expect(mismatch(await asLaunchRole(action, productStack), 'Allowed')).toBeNull();
      expect(mismatch(await asLaunchRole(action, productStack.replace('stack/SC-', 'stack/platform-')), 'Denied')).toBeNull();
    },
  );

  it('invokes the provider and no other function', async () => {
    expect(mismatch(await asLaunchRole('lambda:InvokeFunction', provider.functionArn), 'Allowed')).toBeNull();
    expect(mismatch(await asLaunchRole('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other`), 'Denied')).toBeNull();
  });

  it('reads only the template copies Service Catalog tagged for provisioning', async () => {
    const object = 'arn:aws:s3:::cf-templates-servicecatalog/abc/product.yaml';
    expect(mismatch(await asLaunchRole('s3:GetObject', object, { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' }), 'Allowed')).toBeNull();
    expect(mismatch(await asLaunchRole('s3:GetObject', object), 'Denied')).toBeNull();
  });

  it.each([
    ['ecr:CreateRepository', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`],
    ['ecr:SetRepositoryPolicy', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`],
    ['kms:CreateKey', '*'],
    ['kms:ScheduleKeyDeletion', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['ssm:PutParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ECR_API_arn`],
    ['iam:PassRole', provider.roleArn],
  ])('cannot call %s itself', async (action, resource) => {
    expect(mismatch(await asLaunchRole(action, resource), 'Denied')).toBeNull();
  });
});

describe('an end user of the product', () => {
  const endUser = `arn:aws:iam::${ACCOUNT}:role/Developer`;
  const serviceCatalogOnly: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['servicecatalog:SearchProducts', 'servicecatalog:DescribeProduct', 'servicecatalog:ListLaunchPaths', 'servicecatalog:DescribeProvisioningParameters', 'servicecatalog:ProvisionProduct', 'servicecatalog:UpdateProvisionedProduct', 'servicecatalog:TerminateProvisionedProduct', 'servicecatalog:DescribeRecord'],
        Resource: '*',
      },
    ],
  };
  it('provisions with Service Catalog rights alone, holding no CloudFormation, ECR, KMS or SSM right', async () => {
    const product = `arn:aws:catalog:${REGION}:${ACCOUNT}:product/prod-abcdefghijklm`;
    expect(mismatch(await simulate({ principal: endUser, action: 'servicecatalog:ProvisionProduct', resource: product }, { identityPolicies: [serviceCatalogOnly] }), 'Allowed')).toBeNull();
    for (const [action, resource] of [
      ['cloudformation:CreateStack', productStack],
      ['ecr:CreateRepository', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-shop-api`],
      ['kms:CreateKey', '*'],
      ['lambda:InvokeFunction', provider.functionArn],
    ] as const) {
      expect(mismatch(await simulate({ principal: endUser, action, resource }, { identityPolicies: [serviceCatalogOnly] }), 'Denied')).toBeNull();
    }
  });
});
