import { CROSS_ACCOUNT_PULL_ACTIONS, OwnershipTag } from '../../../handler/src/contract';
import { desiredState, environmentFromStackId } from '../../../handler/src/core/desired';
import { DEV_ACCOUNT, givenDesired, givenEnvironment, givenOwner, givenSettings, givenSpec, OWNER_ACCOUNT, PROD_ACCOUNT, STACK_ID } from '../../helpers/given';

type Statement = { Sid: string; Effect: string; Principal: { AWS: string | string[] }; Action: string | string[]; Condition?: unknown };
const statementsOf = (policy: string | undefined): Statement[] => (JSON.parse(policy ?? '{}') as { Statement: Statement[] }).Statement;

describe('environmentFromStackId', () => {
  it.each([
    [STACK_ID, { partition: 'aws', region: 'eu-west-1', account: OWNER_ACCOUNT, urlSuffix: 'amazonaws.com' }],
    ['arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/app/1', { partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', urlSuffix: 'amazonaws.com.cn' }],
    ['arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/app/1', { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', urlSuffix: 'amazonaws.com' }],
  ])('reads partition, region, account and DNS suffix from %s', (stackId, expected) => {
    expect(environmentFromStackId(stackId)).toEqual(expected);
  });

  it('returns undefined when the StackId is not a stack ARN', () => {
    expect(environmentFromStackId('my-stack')).toBeUndefined();
  });
});

describe('desiredState', () => {
  it('names the repository, its alias and its parameters after the properties and settings', () => {
    const desired = givenDesired({ applicationName: 'Shop', baseName: 'orders-api', useKmsKey: true }, { parameterPrefix: '/platform/ecr/' });
    expect(desired).toMatchObject({
      repositoryName: 'acme-shop-orders-api',
      aliasName: 'alias/acme-shop-orders-api',
      key: { aliasName: 'alias/acme-shop-orders-api' },
      parameters: {
        arn: { name: '/platform/ecr/ECR_ORDERS_API_arn', value: `arn:aws:ecr:eu-west-1:${OWNER_ACCOUNT}:repository/acme-shop-orders-api` },
        name: { name: '/platform/ecr/ECR_ORDERS_API_name', value: 'acme-shop-orders-api' },
        kmsKeyArn: { name: '/platform/ecr/ECR_ORDERS_API_kms_key_arn' },
      },
    });
    expect(desired.parameters.kmsKeyArn).not.toHaveProperty('value');
  });

  it('uses the seed’s exact parameter names and no key parameter when there is no prefix and no key', () => {
    const desired = givenDesired();
    expect([desired.parameters.arn.name, desired.parameters.name.name]).toEqual(['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_name']);
    expect(desired.parameters.kmsKeyArn).toBeUndefined();
    expect(desired.key).toBeUndefined();
  });

  it.each([
    ['aws', 'eu-west-1', 'amazonaws.com', `arn:aws:ecr:eu-west-1:${OWNER_ACCOUNT}:repository/acme-shop-orders-api`, `${OWNER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-orders-api`],
    ['aws-cn', 'cn-north-1', 'amazonaws.com.cn', `arn:aws-cn:ecr:cn-north-1:${OWNER_ACCOUNT}:repository/acme-shop-orders-api`, `${OWNER_ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/acme-shop-orders-api`],
  ])('builds the ARN and URI of partition %s', (partition, region, urlSuffix, arn, uri) => {
    const desired = desiredState(givenSpec(), givenSettings(), givenEnvironment({ partition, region, urlSuffix }), givenOwner());
    expect(desired.repositoryArn).toBe(arn);
    expect(desired.repositoryUri).toBe(uri);
  });

  describe('repository policy', () => {
    it('grants exactly the seed’s read-only actions to every environment account but the owner when shared', () => {
      const [statement, ...others] = statementsOf(givenDesired({ shareableWithAllEnvs: true }).repositoryPolicy);
      expect(others).toEqual([]);
      expect(statement).toEqual({
        Sid: 'OrgEcrEnvironmentAccountsPull',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${DEV_ACCOUNT}:root`, `arn:aws:iam::${PROD_ACCOUNT}:root`] },
        Action: [...CROSS_ACCOUNT_PULL_ACTIONS],
      });
    });

    it('never grants a push action when shared', () => {
      const actions = statementsOf(givenDesired({ shareableWithAllEnvs: true }).repositoryPolicy).flatMap((statement) => statement.Action);
      for (const push of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:*', '*']) {
        expect(actions).not.toContain(push);
      }
    });

    it('lists each account once, sorted, when environments share an account', () => {
      const desired = givenDesired({ shareableWithAllEnvs: true }, { environmentAccounts: { qa: PROD_ACCOUNT, prod: PROD_ACCOUNT, dev: DEV_ACCOUNT } });
      expect(statementsOf(desired.repositoryPolicy)[0]?.Principal.AWS).toEqual([`arn:aws:iam::${DEV_ACCOUNT}:root`, `arn:aws:iam::${PROD_ACCOUNT}:root`]);
    });

    it.each([
      ['not shared', { shareableWithAllEnvs: false }, {}],
      ['shared but the only environment is the owner', { shareableWithAllEnvs: true }, { environmentAccounts: { tools: OWNER_ACCOUNT } }],
      ['shared but no environment is configured', { shareableWithAllEnvs: true }, { environmentAccounts: {} }],
    ])('has no repository policy when %s', (_case, spec, settings) => {
      expect(givenDesired(spec, settings).repositoryPolicy).toBeUndefined();
    });
  });

  describe('key policy', () => {
    it('lets the owner administer the key and ECR use it for the owner when not shared', () => {
      const statements = statementsOf(givenDesired({ useKmsKey: true }).key?.policy);
      expect(statements).toEqual([
        expect.objectContaining({ Sid: 'OwnerAccountAdministersKey', Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` }, Action: 'kms:*' }),
        expect.objectContaining({
          Sid: 'EcrUsesKeyForOwnerAccount',
          Condition: { StringEquals: { 'kms:CallerAccount': OWNER_ACCOUNT, 'kms:ViaService': 'ecr.eu-west-1.amazonaws.com' } },
        }),
      ]);
    });

    it('gives the environment accounts Decrypt and DescribeKey only when shared', () => {
      const statements = statementsOf(givenDesired({ useKmsKey: true, shareableWithAllEnvs: true }).key?.policy);
      expect(statements[2]).toEqual({
        Sid: 'EnvironmentAccountsDecrypt',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${DEV_ACCOUNT}:root`, `arn:aws:iam::${PROD_ACCOUNT}:root`] },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      });
      expect(statements).toHaveLength(3);
    });

    it('names the provider role with the key lifecycle actions, so managing a new key does not wait for IAM to see its tags', () => {
      // GIVEN the role the provider's deployment passes in
      const role = 'arn:aws:iam::111111111111:role/OrgEcrProviderRole';
      // WHEN the key policy is built
      const statements = statementsOf(givenDesired({ useKmsKey: true }, { providerRoleArn: role }).key?.policy);
      // THEN one statement names the role, with the lifecycle actions and nothing else
      const provider = statements.find((statement) => statement.Sid === 'ProviderManagesKey');
      expect(provider).toMatchObject({ Principal: { AWS: role }, Effect: 'Allow' });
      expect(provider?.Action).toEqual(expect.arrayContaining(['kms:CreateAlias', 'kms:EnableKeyRotation', 'kms:TagResource', 'kms:ScheduleKeyDeletion']));
      expect(provider?.Action).not.toContain('kms:Decrypt');
      expect(provider?.Action).not.toContain('kms:*');
    });

    it('takes rotation and the deletion window from the settings', () => {
      expect(givenDesired({ useKmsKey: true }, { keyRotation: true, deletionWindowDays: 7 }).key).toMatchObject({ rotation: true, deletionWindowDays: 7 });
    });
  });

  describe('lifecycle', () => {
    const rulesOf = (policy: string | undefined) => (JSON.parse(policy ?? '{}') as { rules?: unknown[] }).rules;

    it('expires untagged images 14 days after push by default, so every repository has a lifecycle policy (ECR.3)', () => {
      expect(rulesOf(givenDesired().lifecyclePolicy)).toEqual([
        expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }),
      ]);
    });

    it('keeps the N most recently pushed images of any tag status after the untagged rule when ImagesRetained is N', () => {
      expect(rulesOf(givenDesired({ imagesRetained: 25 }, { untaggedImageExpiryDays: 7 }).lifecyclePolicy)).toEqual([
        expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged', countNumber: 7 }) }),
        expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 25 }, action: { type: 'expire' } }),
      ]);
    });

    it("writes the seed's exact single rule when the organisation switches the untagged rule off", () => {
      expect(rulesOf(givenDesired({ imagesRetained: 25 }, { untaggedImageExpiryDays: undefined }).lifecyclePolicy)).toEqual([
        { rulePriority: 1, description: 'Keep the 25 most recently pushed images (Org::ECR::Repository ImagesRetained)', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 25 }, action: { type: 'expire' } },
      ]);
    });

    it("has no lifecycle policy without ImagesRetained when the organisation switches the untagged rule off (the seed's behaviour)", () => {
      expect(givenDesired({}, { untaggedImageExpiryDays: undefined }).lifecyclePolicy).toBeUndefined();
    });
  });

  describe('tag mutability', () => {
    it('is IMMUTABLE without filters by default (ECR.2)', () => {
      expect(givenDesired()).toMatchObject({ imageTagMutability: 'IMMUTABLE', exclusionFilters: [] });
    });

    it("takes the organisation's default when the property is absent", () => {
      expect(givenDesired({}, { imageTagMutability: 'MUTABLE' })).toMatchObject({ imageTagMutability: 'MUTABLE', exclusionFilters: [] });
    });

    it("takes the property over the organisation's default, and the organisation's filters when it gives none", () => {
      const desired = givenDesired({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }, { imageTagMutability: 'MUTABLE', exclusionFilters: ['latest'] });
      expect(desired).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] });
    });

    it('drops filters where ECR takes none', () => {
      expect(givenDesired({ imageTagMutability: 'IMMUTABLE', exclusionFilters: ['latest'] })).toMatchObject({ exclusionFilters: [] });
    });
  });

  it('tags with the consumer’s, the organisation’s (which win) and the ownership tags', () => {
    // GIVEN a consumer tag that collides with an organisation tag (the props layer forbids it; the core must still hold)
    const desired = givenDesired({ tags: { team: 'payments', 'cost-center': 'mine' } });
    expect(desired.repositoryTags).toEqual({
      team: 'payments',
      'cost-center': 'cc-42',
      [OwnershipTag.StackId]: STACK_ID,
      [OwnershipTag.LogicalId]: 'Repository',
    });
    expect(desired.childTags).toEqual({ ...desired.repositoryTags, [OwnershipTag.Repository]: 'acme-shop-orders-api' });
  });
});
