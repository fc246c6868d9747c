import { CROSS_ACCOUNT_KEY_ACTIONS, CROSS_ACCOUNT_PULL_ACTIONS } from '../../../handler/src/contract';
import { keyPolicy, sharingFor } from '../../../handler/src/core/desired';
import { PolicySid, sharingKeyStatements, sharingStatements } from '../../../handler/src/core/sharing';
import { DEV_ACCOUNT, givenDesired, givenEnvironment, givenSettings, givenSpec, PROD_ACCOUNT } from '../../helpers/given';

type Statement = { Sid: string; Effect: string; Principal: Record<string, string | string[]>; Action: string[]; Resource?: string; Condition?: Record<string, Record<string, unknown>> };
const statementsOf = (policy: string | undefined): Statement[] => (JSON.parse(policy ?? '{"Statement":[]}') as { Statement: Statement[] }).Statement;

const ORG = 'o-a1b2c3d4e5';
const OU = `${ORG}/r-ab12/ou-ab12-11111111/`;
const env = givenEnvironment();
const none = { accounts: [], organizationalUnitPaths: [], lambdaAccounts: [] };

describe('sharingStatements', () => {
  it('writes no statement when shared with no one', () => {
    expect(sharingStatements(env, none)).toEqual([]);
  });

  it('shares with the whole organisation read-only, through aws:PrincipalOrgID', () => {
    expect(sharingStatements(env, { ...none, organizationId: ORG })).toEqual([
      { Sid: PolicySid.OrganizationPull, Effect: 'Allow', Principal: { AWS: '*' }, Action: [...CROSS_ACCOUNT_PULL_ACTIONS], Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
    ]);
  });

  it('shares with organisational units and their child units, through aws:PrincipalOrgPaths', () => {
    expect(sharingStatements(env, { ...none, organizationalUnitPaths: [OU, `${ORG}/r-ab12/ou-ab12-22222222/`] })).toEqual([
      {
        Sid: PolicySid.OrganizationalUnitsPull,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [...CROSS_ACCOUNT_PULL_ACTIONS],
        Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${OU}*`, `${ORG}/r-ab12/ou-ab12-22222222/*`] } },
      },
    ]);
  });

  it('lets Lambda pull for functions of the environment accounts in this Region only, as AWS documents for cross-account images', () => {
    expect(sharingStatements(env, { ...none, lambdaAccounts: [DEV_ACCOUNT, PROD_ACCOUNT] })).toEqual([
      {
        Sid: PolicySid.LambdaAccountsPull,
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${DEV_ACCOUNT}:root`, `arn:aws:iam::${PROD_ACCOUNT}:root`] },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      },
      {
        Sid: PolicySid.LambdaServicePull,
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Condition: { StringLike: { 'aws:sourceArn': [`arn:aws:lambda:eu-west-1:${DEV_ACCOUNT}:function:*`, `arn:aws:lambda:eu-west-1:${PROD_ACCOUNT}:function:*`] } },
      },
    ]);
  });

  it('writes no account statement for Lambda when the environment accounts may pull already', () => {
    const sids = sharingStatements(env, { ...none, accounts: [DEV_ACCOUNT, PROD_ACCOUNT], lambdaAccounts: [DEV_ACCOUNT, PROD_ACCOUNT] }).map((statement) => (statement as Statement).Sid);
    expect(sids).toEqual([PolicySid.EnvironmentAccountsPull, PolicySid.LambdaServicePull]);
  });

  it('uses the partition of the stack in every ARN', () => {
    const statements = sharingStatements(givenEnvironment({ partition: 'aws-cn', region: 'cn-north-1' }), { ...none, lambdaAccounts: [DEV_ACCOUNT] }) as Statement[];
    expect(JSON.stringify(statements)).toContain(`arn:aws-cn:lambda:cn-north-1:${DEV_ACCOUNT}:function:*`);
    expect(JSON.stringify(statements)).toContain(`arn:aws-cn:iam::${DEV_ACCOUNT}:root`);
  });

  it('never grants a push, delete or policy action', () => {
    const all = sharingStatements(env, { accounts: [DEV_ACCOUNT], organizationId: ORG, organizationalUnitPaths: [OU], lambdaAccounts: [PROD_ACCOUNT] }) as Statement[];
    for (const action of all.flatMap((statement) => statement.Action)) expect(action).toMatch(/^ecr:(Batch(Check|Get)|Describe|Get|List)/);
  });
});

describe('sharingKeyStatements (the key policy follows)', () => {
  it('lets every principal that may pull decrypt and describe the key, with the same condition, nothing else', () => {
    const statements = sharingKeyStatements(env, { accounts: [PROD_ACCOUNT], organizationId: ORG, organizationalUnitPaths: [OU], lambdaAccounts: [DEV_ACCOUNT] }) as Statement[];
    expect(statements).toEqual([
      { Sid: 'EnvironmentAccountsDecrypt', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${DEV_ACCOUNT}:root`, `arn:aws:iam::${PROD_ACCOUNT}:root`] }, Action: [...CROSS_ACCOUNT_KEY_ACTIONS], Resource: '*' },
      { Sid: 'OrganizationDecrypt', Effect: 'Allow', Principal: { AWS: '*' }, Action: [...CROSS_ACCOUNT_KEY_ACTIONS], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
      {
        Sid: 'OrganizationalUnitsDecrypt',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [...CROSS_ACCOUNT_KEY_ACTIONS],
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${OU}*`] } },
      },
    ]);
  });

  it('adds nothing to the key policy when shared with no one', () => {
    expect(sharingKeyStatements(env, none)).toEqual([]);
    expect(statementsOf(keyPolicy(env, none)).map((statement) => statement.Sid)).not.toContain('EnvironmentAccountsDecrypt');
  });
});

describe('sharingFor and the desired state', () => {
  it('resolves the organisation and Lambda accounts from the settings, never the owner account', () => {
    const sharing = sharingFor(givenSpec({ shareWithOrganization: true, organizationalUnitPaths: [OU], lambdaPullFromEnvs: true }), givenSettings({ organizationId: ORG }), env);
    expect(sharing).toEqual({ accounts: [], organizationId: ORG, organizationalUnitPaths: [OU], lambdaAccounts: [DEV_ACCOUNT, PROD_ACCOUNT] });
  });

  it('leaves out organisation and OU sharing without the organisation id, and units of another organisation', () => {
    const spec = givenSpec({ shareWithOrganization: true, organizationalUnitPaths: [OU, 'o-zzzzzzzzzz/r-ab12/'] });
    expect(sharingFor(spec, givenSettings(), env)).toEqual(none);
    expect(sharingFor(spec, givenSettings({ organizationId: ORG }), env).organizationalUnitPaths).toEqual([OU]);
  });

  it('writes every sharing statement into one repository policy and the key policy', () => {
    const desired = givenDesired({ useKmsKey: true, shareableWithAllEnvs: true, shareWithOrganization: true, organizationalUnitPaths: [OU], lambdaPullFromEnvs: true }, { organizationId: ORG });
    expect(statementsOf(desired.repositoryPolicy).map((statement) => statement.Sid)).toEqual([
      PolicySid.EnvironmentAccountsPull,
      PolicySid.OrganizationPull,
      PolicySid.OrganizationalUnitsPull,
      PolicySid.LambdaServicePull,
    ]);
    expect(statementsOf(desired.key?.policy).map((statement) => statement.Sid)).toEqual(expect.arrayContaining(['EnvironmentAccountsDecrypt', 'OrganizationDecrypt', 'OrganizationalUnitsDecrypt']));
  });

  it('writes no repository policy when only Lambda is asked for and there is no other environment account', () => {
    const desired = givenDesired({ lambdaPullFromEnvs: true }, { environmentAccounts: {} });
    expect(desired.repositoryPolicy).toBeUndefined();
  });
});
