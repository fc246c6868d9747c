/**
 * After the platform team changes ORG_PREFIX (acme -> corp), the provider keeps updating,
 * rolling back to and deleting the repositories it made under the earlier prefix (README,
 * Update). Evaluated with the provider role's policy as generated into templates/provider.yaml
 * for the new prefix, the recommended boundary and the organisation guardrail (SCP and RCP) of
 * the new prefix: those calls are allowed on a repository carrying the provider's ownership
 * tag; a repository under the earlier prefix without it stays out of reach; and nobody but the
 * provider can put that tag on a repository, in any letter case.
 */
import { join } from 'node:path';
import { keyPolicy } from '../../../handler/src/core/desired';
import { resolveTemplate } from '../../helpers/cfn-resolve';
import { type ApplicablePolicies, mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';
import { deployProvider } from '../../helpers/provider-deployment';
import { loadTemplate } from '../../helpers/templates';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ROOT = join(__dirname, '..', '..', '..');
const TODAY = 'corp';
const provider = deployProvider({ account: ACCOUNT, region: REGION, parameters: { OrganizationPrefix: TODAY, CodeBucketPrefix: 'code' } });

const resolved = (file: string, parameters: Record<string, string>) => resolveTemplate(loadTemplate(join(ROOT, 'templates', file)), { account: ACCOUNT, region: REGION, parameters });
const boundaryPolicy = Object.values(resolved('provider-boundary.yaml', { OrganizationPrefix: TODAY }).Resources).find((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')!;
const guardrail = resolved('guardrail.yaml', { OrganizationPrefix: TODAY, TargetIds: 'ou-abcd-11111111' });
const organisationPolicy = (type: string) =>
  Object.values(guardrail.Resources).find((resource) => resource.Type === 'AWS::Organizations::Policy' && resource.Properties?.Type === type)!.Properties!.Content as PolicyDocument;
const FULL_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const scp = organisationPolicy('SERVICE_CONTROL_POLICY');
const GUARDRAILS: Pick<ApplicablePolicies, 'boundary' | 'scps' | 'rcps'> = {
  boundary: { name: 'org-ecr-provider-boundary', policy: boundaryPolicy.Properties!.PolicyDocument as PolicyDocument },
  scps: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }, { name: 'org-ecr-guardrail', policy: scp }],
  rcps: [{ name: 'org-ecr-guardrail-resources', policy: organisationPolicy('RESOURCE_CONTROL_POLICY') }],
};

const OUR_STACK = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/shop/1111`;
const OWNED = { 'aws:ResourceTag/org-ecr:stack-id': OUR_STACK, 'aws:ResourceTag/org-ecr:logical-id': 'Repository' };
const repository = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
const EARLIER_REPOSITORY = repository('acme-shop-orders-api');
const FOREIGN_REPOSITORY = repository('acme-legacy-app');

/** What an Update, its rollback and a Delete call on the repository (handler/src/adapters). */
const UPDATE_AND_DELETE_CALLS = [
  'ecr:DescribeRepositories',
  'ecr:ListTagsForResource',
  'ecr:TagResource',
  'ecr:UntagResource',
  'ecr:GetLifecyclePolicy',
  'ecr:PutLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:SetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
  'ecr:DeleteRepository',
];

const asProvider = (action: string, resource: string, context: Record<string, string | string[]>, policies: ApplicablePolicies = {}) =>
  simulate({ principal: provider.roleArn, action, resource, context }, { identityPolicies: provider.policies, ...policies });

describe('the provider role after an ORG_PREFIX change (acme -> corp)', () => {
  describe('on repositories', () => {
    it.each(UPDATE_AND_DELETE_CALLS)('allows %s on a repository it made under the earlier prefix, under its boundary and the guardrail', async (action) => {
      expect(mismatch(await asProvider(action, EARLIER_REPOSITORY, OWNED, GUARDRAILS), 'Allowed')).toBeNull();
    });

    it.each(UPDATE_AND_DELETE_CALLS)('denies %s on a repository under the earlier prefix that carries no ownership tag', async (action) => {
      expect(mismatch(await asProvider(action, FOREIGN_REPOSITORY, {}), 'Denied')).toBeNull();
    });

    it('denies a repository whose ownership tag names a stack of another account or Region', async () => {
      const elsewhere = ['999999999999', `us-east-1:${ACCOUNT}`].map((where) => `arn:aws:cloudformation:${where.includes(':') ? where : `${REGION}:${where}`}:stack/shop/1111`);
      for (const stackId of elsewhere) {
        expect(mismatch(await asProvider('ecr:DeleteRepository', EARLIER_REPOSITORY, { 'aws:ResourceTag/org-ecr:stack-id': stackId }), 'Denied')).toBeNull();
      }
    });

    it('never creates a repository under the earlier prefix, even tagged as its own', async () => {
      const tagged = { 'aws:RequestTag/org-ecr:stack-id': OUR_STACK, 'aws:TagKeys': ['org-ecr:stack-id'] };
      expect(mismatch(await asProvider('ecr:CreateRepository', repository('acme-shop-new'), tagged), 'Denied')).toBeNull();
      expect(mismatch(await asProvider('ecr:CreateRepository', repository('corp-shop-new'), tagged, GUARDRAILS), 'Allowed')).toBeNull();
    });

    it('fails to pull a foreign repository into its reach by tagging it as its own', async () => {
      const ours = { 'aws:RequestTag/org-ecr:stack-id': OUR_STACK, 'aws:TagKeys': ['org-ecr:stack-id'] };
      expect(mismatch(await asProvider('ecr:TagResource', FOREIGN_REPOSITORY, ours), 'Denied')).toBeNull();
      expect(mismatch(await asProvider('ecr:TagResource', repository('team-sandbox'), ours), 'Denied')).toBeNull();
    });
  });

  describe('on the keys and aliases of those repositories', () => {
    const env = { partition: 'aws', region: REGION, account: ACCOUNT, urlSuffix: 'amazonaws.com' };
    const OUR_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
    const FOREIGN_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`;
    const ourKeyPolicy = JSON.parse(keyPolicy(env, [], provider.roleArn)) as PolicyDocument;
    const defaultKeyPolicy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const ourKey = { 'aws:ResourceTag/org-ecr:stack-id': OUR_STACK, 'kms:ResourceAliases': ['alias/acme-shop-orders-api'], 'kms:CallerAccount': ACCOUNT };
    const foreignKey = { 'kms:ResourceAliases': ['alias/acme-legacy-app'], 'kms:CallerAccount': ACCOUNT };
    const alias = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:alias/${name}`;
    /** KMS authorises an alias call on the alias and on every key it involves: all must allow it. */
    async function aliasCall(action: string, aliasName: string, keys: Array<[string, Record<string, string | string[]>, PolicyDocument]>, policies: ApplicablePolicies = {}) {
      const verdicts = [await asProvider(action, alias(aliasName), { 'kms:CallerAccount': ACCOUNT }, policies)];
      for (const [key, context, resourcePolicy] of keys) verdicts.push(await asProvider(action, key, context, { ...policies, resourcePolicy }));
      return verdicts;
    }

    it('deletes and repairs the alias of its own key made under the earlier prefix', async () => {
      for (const verdict of await aliasCall('kms:DeleteAlias', 'acme-shop-orders-api', [[OUR_KEY, ourKey, ourKeyPolicy]], GUARDRAILS)) expect(mismatch(verdict, 'Allowed')).toBeNull();
      for (const verdict of await aliasCall('kms:CreateAlias', 'acme-shop-orders-api', [[OUR_KEY, { ...ourKey, 'kms:ResourceAliases': [] }, ourKeyPolicy]], GUARDRAILS)) expect(mismatch(verdict, 'Allowed')).toBeNull();
    });

    it.each(['kms:DescribeKey', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'])('runs %s on its own key behind an earlier alias, by the key policy', async (action) => {
      const context = action === 'kms:DescribeKey' ? { ...ourKey, 'kms:RequestAlias': 'alias/acme-shop-orders-api' } : ourKey;
      expect(mismatch(await asProvider(action, OUR_KEY, context, { ...GUARDRAILS, resourcePolicy: ourKeyPolicy }), 'Allowed')).toBeNull();
    });

    it('lets ECR retire its grant on that key when the repository is deleted', async () => {
      const viaEcr = { ...ourKey, 'kms:ViaService': `ecr.${REGION}.amazonaws.com` };
      expect(mismatch(await asProvider('kms:RetireGrant', OUR_KEY, viaEcr, { ...GUARDRAILS, resourcePolicy: ourKeyPolicy }), 'Allowed')).toBeNull();
    });

    it('can neither delete nor repoint an alias that names a key it does not own, nor name such a key', async () => {
      const [deleteOnAlias, deleteOnKey] = await aliasCall('kms:DeleteAlias', 'acme-legacy-app', [[FOREIGN_KEY, foreignKey, defaultKeyPolicy]]);
      expect(mismatch(deleteOnAlias!, 'Allowed')).toBeNull(); // the alias side names no owner...
      expect(mismatch(deleteOnKey!, 'Denied')).toBeNull(); // ...the key side does
      const repoint = await aliasCall('kms:UpdateAlias', 'acme-legacy-app', [[FOREIGN_KEY, foreignKey, defaultKeyPolicy], [OUR_KEY, ourKey, ourKeyPolicy]]);
      expect(mismatch(repoint[1]!, 'Denied')).toBeNull();
      const [, nameForeign] = await aliasCall('kms:CreateAlias', 'other-team', [[FOREIGN_KEY, { 'kms:CallerAccount': ACCOUNT }, defaultKeyPolicy]]);
      expect(mismatch(nameForeign!, 'Denied')).toBeNull();
      // A foreign key tagged as ours is still not ours without an organisation alias of today's prefix.
      const [, taggedForeign] = await aliasCall('kms:DeleteAlias', 'acme-legacy-app', [[FOREIGN_KEY, { ...foreignKey, 'aws:ResourceTag/org-ecr:stack-id': OUR_STACK }, defaultKeyPolicy]]);
      expect(mismatch(taggedForeign!, 'Denied')).toBeNull();
    });
  });
});

describe('the organisation guardrail against borrowing the ownership tag', () => {
  const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
  const asDeveloper = (action: string, resource: string, key: string, scps = GUARDRAILS.scps) =>
    simulate({ principal: DEVELOPER, action, resource, context: { [`aws:RequestTag/${key}`]: OUR_STACK, 'aws:TagKeys': [key] } }, { identityPolicies: [FULL_ACCESS], scps });

  it.each(['org-ecr:stack-id', 'ORG-ECR:Stack-Id', 'Org-Ecr:STACK-ID'])('denies a developer with AdministratorAccess tagging a foreign repository with %s', async (key) => {
    expect((await asDeveloper('ecr:TagResource', FOREIGN_REPOSITORY, key)).result).toBe('ExplicitlyDenied');
    expect((await asDeveloper('ssm:AddTagsToResource', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db/password`, key)).result).toBe('ExplicitlyDenied');
    expect((await asDeveloper('kms:CreateKey', '*', key)).result).toBe('ExplicitlyDenied');
  });

  it('needs the statement on the request tag itself: IAM matches tag keys in any case, aws:TagKeys does not', async () => {
    const withoutIt = { ...scp, Statement: (scp.Statement as { Sid?: string }[]).filter((statement) => statement.Sid !== 'DenyOwnershipTagWritesInAnyCase') };
    const scps = [{ name: 'FullAWSAccess', policy: FULL_ACCESS }, { name: 'org-ecr-guardrail', policy: withoutIt }];
    expect((await asDeveloper('ecr:TagResource', FOREIGN_REPOSITORY, 'ORG-ECR:Stack-Id', scps)).result).toBe('Allowed');
    // and what such a tag would open: the provider's tag-scoped statement matches it
    expect(mismatch(await asProvider('ecr:DeleteRepository', FOREIGN_REPOSITORY, { 'aws:ResourceTag/ORG-ECR:Stack-Id': OUR_STACK }), 'Allowed')).toBeNull();
  });

  it('still lets a developer tag a repository with tags of its own', async () => {
    expect(mismatch(await asDeveloper('ecr:TagResource', repository('team-sandbox'), 'team'), 'Allowed')).toBeNull();
  });
});
