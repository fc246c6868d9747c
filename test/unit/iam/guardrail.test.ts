/**
 * The organisation guardrail (templates/guardrail.yaml, generated from the OrgEcrGuardrail
 * construct) evaluated: a developer with AdministratorAccess is denied each guarded change,
 * the provider role and break-glass are not, the provider's own recorded calls all pass, and
 * the RCP binds a principal of another account that a repository policy lets in.
 */
import { join } from 'node:path';
import { mismatch, type PolicyDocument, simulate } from '../../helpers/iam-simulator';
import { resolveTemplate } from '../../helpers/cfn-resolve';
import { deployProvider } from '../../helpers/provider-deployment';
import { readRecordedFixture, replayRecordedRuns } from '../../helpers/recorded-simulation';
import { loadTemplate } from '../../helpers/templates';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const template = loadTemplate(join(__dirname, '..', '..', '..', 'templates', 'guardrail.yaml'));
const resolved = resolveTemplate(template, { account: '999999999999', region: 'us-east-1', parameters: { OrganizationPrefix: 'acme', TargetIds: 'ou-abcd-11111111' } });
const policyOf = (type: string) => {
  const found = Object.values(resolved.Resources).find((resource) => resource.Type === 'AWS::Organizations::Policy' && resource.Properties?.Type === type);
  return found!.Properties!.Content as PolicyDocument;
};
const scp = policyOf('SERVICE_CONTROL_POLICY');
const rcp = policyOf('RESOURCE_CONTROL_POLICY');
const FULL_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const guardrails = { scps: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }, { name: 'org-ecr-guardrail', policy: scp }], rcps: [{ name: 'org-ecr-guardrail-resources', policy: rcp }] };

const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const PROVIDER = `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/OrgEcrProvider-Role-ABC`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/org-ecr/break-glass/Emergency`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef`;
const repo = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ownKey = { 'aws:ResourceTag/org-ecr:stack-id': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/shop/1`, 'kms:ResourceAliases': ['alias/acme-shop-api'] };
const keyPolicy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
const orgTag = { 'aws:RequestTag/org-ecr:stack-id': 'x', 'aws:TagKeys': ['org-ecr:stack-id'] };

/** [what, action, resource, context, resource policy] */
type Case = [string, string, string, Record<string, string | string[]>, PolicyDocument?];
const GUARDED: Case[] = [
  ['create an organisation repository', 'ecr:CreateRepository', repo('acme-shop-api'), {}],
  ['create any other repository', 'ecr:CreateRepository', repo('team-sandbox'), {}],
  ['add a repository creation template', 'ecr:CreateRepositoryCreationTemplate', '*', {}],
  ['add a pull-through cache rule', 'ecr:CreatePullThroughCacheRule', '*', {}],
  ['tag an organisation repository', 'ecr:TagResource', repo('acme-shop-api'), { 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'] }],
  ['untag an organisation repository', 'ecr:UntagResource', repo('acme-shop-api'), { 'aws:TagKeys': ['cost-center'] }],
  ['replace an organisation repository policy', 'ecr:SetRepositoryPolicy', repo('acme-shop-api'), {}],
  ['delete an organisation repository policy', 'ecr:DeleteRepositoryPolicy', repo('acme-shop-api'), {}],
  ['change an organisation lifecycle policy', 'ecr:PutLifecyclePolicy', repo('acme-shop-api'), {}],
  ['delete an organisation lifecycle policy', 'ecr:DeleteLifecyclePolicy', repo('acme-shop-api'), {}],
  ['turn off scanning of an organisation repository', 'ecr:PutImageScanningConfiguration', repo('acme-shop-api'), {}],
  ['make organisation tags mutable', 'ecr:PutImageTagMutability', repo('acme-shop-api'), {}],
  ['delete an organisation repository', 'ecr:DeleteRepository', repo('acme-shop-api'), {}],
  ['write an org-ecr: tag on any repository', 'ecr:TagResource', repo('cdk-hnb659fds-container-assets'), orgTag],
  ['write an org-ecr: tag on a key', 'kms:TagResource', KEY, orgTag, keyPolicy],
  ['create a key carrying org-ecr: tags', 'kms:CreateKey', '*', orgTag],
  ['write an org-ecr: tag on a parameter', 'ssm:AddTagsToResource', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/ECR_API_arn`, orgTag],
  ['write an org-ecr: tag through the tagging API', 'tag:TagResources', '*', orgTag],
  ['replace the key policy of an organisation key', 'kms:PutKeyPolicy', KEY, ownKey, keyPolicy],
  ['schedule an organisation key for deletion', 'kms:ScheduleKeyDeletion', KEY, ownKey, keyPolicy],
  ['disable an organisation key', 'kms:DisableKey', KEY, ownKey, keyPolicy],
  ['repoint an organisation alias', 'kms:UpdateAlias', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/acme-shop-api`, {}],
  ['change the provider role\'s policy', 'iam:PutRolePolicy', PROVIDER.replace(`arn:aws:iam::${ACCOUNT}:role/`, `arn:aws:iam::${ACCOUNT}:role/`), {}],
  ['create a role under the provider\'s path', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/Impostor`, {}],
  ['hand the provider role to another function', 'iam:PassRole', PROVIDER, {}],
  ['replace the provider function\'s code', 'lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:anything`, { 'aws:ResourceTag/org-ecr:component': 'provider' }],
];

async function verdict(principal: string, [, action, resource, context, resourcePolicy]: Case) {
  return simulate({ principal, action, resource, context }, { identityPolicies: [FULL_ACCESS], ...(resourcePolicy ? { resourcePolicy } : {}), ...guardrails });
}

describe('the organisation guardrail (templates/guardrail.yaml)', () => {
  it.each(GUARDED)('denies a developer with AdministratorAccess to %s', async (...guarded) => {
    expect((await verdict(DEVELOPER, guarded)).result).toBe('ExplicitlyDenied');
  });

  it.each(GUARDED.filter(([, action]) => !action.startsWith('iam:') && !action.startsWith('lambda:')))('lets the provider role %s', async (...guarded) => {
    expect(mismatch(await verdict(PROVIDER, guarded), 'Allowed')).toBeNull();
  });

  it.each(GUARDED)('lets break-glass %s', async (...guarded) => {
    expect(mismatch(await verdict(BREAK_GLASS, guarded), 'Allowed')).toBeNull();
  });

  it('lets the StackSet execution role deploy the provider (its role and tagged function) but not change repositories', async () => {
    const deploy = GUARDED.filter(([, action]) => action.startsWith('iam:') || action.startsWith('lambda:'));
    for (const guarded of deploy) expect(mismatch(await verdict(DEPLOYER, guarded), 'Allowed')).toBeNull();
    expect((await verdict(DEPLOYER, GUARDED[6]!)).result).toBe('ExplicitlyDenied');
  });

  it.each<Case>([
    ['push an image to an organisation repository', 'ecr:PutImage', repo('acme-shop-api'), {}],
    ['pull from an organisation repository', 'ecr:BatchGetImage', repo('acme-shop-api'), {}],
    ['create a CDK bootstrap repository', 'ecr:CreateRepository', repo('cdk-hnb659fds-container-assets-111111111111-eu-west-1'), { 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'] }],
    ['tag its own key with its own tags', 'kms:TagResource', KEY, { 'aws:RequestTag/team': 'x', 'aws:TagKeys': ['team'] }, keyPolicy],
    ['create its own roles', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/app/Worker`, {}],
  ])('still lets a developer %s', async (...allowed) => {
    expect(mismatch(await verdict(DEVELOPER, allowed), 'Allowed')).toBeNull();
  });

  it('binds, through the RCP, a principal of another account that a repository policy lets in', async () => {
    const outsider = 'arn:aws:iam::222222222222:role/Ci';
    const sharedTooWidely: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'ecr:*', Resource: '*' }] };
    const request = (action: string) => ({ principal: outsider, action, resource: repo('acme-shop-api') });
    const policies = { identityPolicies: [FULL_ACCESS], resourcePolicy: sharedTooWidely, rcps: guardrails.rcps };
    expect((await simulate(request('ecr:SetRepositoryPolicy'), policies)).result).toBe('ExplicitlyDenied');
    expect(mismatch(await simulate(request('ecr:BatchGetImage'), policies), 'Allowed')).toBeNull();
  });

  it('does not block any recorded call of the provider (its role under the provider path)', async () => {
    const runs = readRecordedFixture();
    expect(runs.every((run) => /:role\/org-ecr\/provider\//.test(run.settings.ORG_PROVIDER_ROLE_ARN ?? ''))).toBe(true);
    const report = await replayRecordedRuns(runs, guardrails);
    expect(report.denials).toEqual([]);
    expect(report.simulated).toBeGreaterThan(100);
  });

  it('matches the provider role as the provider template deploys it', () => {
    const provider = deployProvider({ account: ACCOUNT, region: REGION, parameters: { OrganizationPrefix: 'acme', CodeBucketPrefix: 'code' } });
    expect(provider.roleArn).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/`));
  });

  it('fits the SCP and RCP size limit of 5,120 characters', () => {
    expect(JSON.stringify(scp).length).toBeLessThanOrEqual(5120);
    expect(JSON.stringify(rcp).length).toBeLessThanOrEqual(5120);
  });
});
