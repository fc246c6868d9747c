/**
 * Who may pull from a repository, and the statements that say so: the environment accounts
 * (`ShareableWithAllEnvs`), the whole organisation (`aws:PrincipalOrgID`), organisational
 * units (`aws:PrincipalOrgPaths`), and Lambda functions of the environment accounts (the
 * `lambda.amazonaws.com` service principal limited by `aws:SourceArn`, as AWS documents for
 * cross-account container images). Read-only always; the key policy follows. Pure.
 */
import { CROSS_ACCOUNT_KEY_ACTIONS, CROSS_ACCOUNT_PULL_ACTIONS, LAMBDA_PULL_ACTIONS } from '../contract';
import type { Environment } from './model';

/** The Sids the provider owns in a repository policy: every other statement is someone else's. */
export const PolicySid = {
  EnvironmentAccountsPull: 'OrgEcrEnvironmentAccountsPull',
  OrganizationPull: 'OrgEcrOrganizationPull',
  OrganizationalUnitsPull: 'OrgEcrOrganizationalUnitsPull',
  LambdaAccountsPull: 'OrgEcrLambdaEnvironmentAccountsPull',
  LambdaServicePull: 'OrgEcrLambdaPull',
} as const;
export const PROVIDER_POLICY_SIDS: ReadonlySet<string> = new Set(Object.values(PolicySid));

/** Who a repository is shared with, resolved against the settings. */
export interface Sharing {
  /** Environment accounts other than the owner, read-only (`ShareableWithAllEnvs`). */
  readonly accounts: readonly string[];
  /** The organisation id, when the whole organisation may pull. */
  readonly organizationId?: string;
  /** OU paths ending in `/`, whose accounts (and those of their child OUs) may pull. */
  readonly organizationalUnitPaths: readonly string[];
  /** Environment accounts other than the owner whose Lambda functions may pull. */
  readonly lambdaAccounts: readonly string[];
}

const root = (env: Environment, account: string) => `arn:${env.partition}:iam::${account}:root`;
const everyone = { AWS: '*' };

/** The repository policy's statements, in a stable order; empty when shared with no one. */
export function sharingStatements(env: Environment, sharing: Sharing): object[] {
  const statements: object[] = [];
  const pull = [...CROSS_ACCOUNT_PULL_ACTIONS];
  if (sharing.accounts.length > 0) {
    statements.push({ Sid: PolicySid.EnvironmentAccountsPull, Effect: 'Allow', Principal: { AWS: sharing.accounts.map((account) => root(env, account)) }, Action: pull });
  }
  if (sharing.organizationId !== undefined) {
    statements.push({ Sid: PolicySid.OrganizationPull, Effect: 'Allow', Principal: everyone, Action: pull, Condition: { StringEquals: { 'aws:PrincipalOrgID': sharing.organizationId } } });
  }
  if (sharing.organizationalUnitPaths.length > 0) {
    statements.push({
      Sid: PolicySid.OrganizationalUnitsPull,
      Effect: 'Allow',
      Principal: everyone,
      Action: pull,
      Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': sharing.organizationalUnitPaths.map((path) => `${path}*`) } },
    });
  }
  if (sharing.lambdaAccounts.length > 0) {
    // The account that creates or updates the function needs the pull actions too (AWS's
    // "CrossAccountPermission" statement); ShareableWithAllEnvs already grants them when on.
    const unshared = sharing.lambdaAccounts.filter((account) => !sharing.accounts.includes(account));
    if (unshared.length > 0) {
      statements.push({ Sid: PolicySid.LambdaAccountsPull, Effect: 'Allow', Principal: { AWS: unshared.map((account) => root(env, account)) }, Action: [...LAMBDA_PULL_ACTIONS] });
    }
    statements.push({
      Sid: PolicySid.LambdaServicePull,
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: [...LAMBDA_PULL_ACTIONS],
      // Lambda pulls cross-account images in its own Region only.
      Condition: { StringLike: { 'aws:sourceArn': sharing.lambdaAccounts.map((account) => `arn:${env.partition}:lambda:${env.region}:${account}:function:*`) } },
    });
  }
  return statements;
}

/** The key policy's statements letting every principal that may pull decrypt and describe, nothing else. */
export function sharingKeyStatements(env: Environment, sharing: Sharing): object[] {
  const statements: object[] = [];
  const accounts = [...new Set([...sharing.accounts, ...sharing.lambdaAccounts])].sort();
  if (accounts.length > 0) {
    statements.push({ Sid: 'EnvironmentAccountsDecrypt', Effect: 'Allow', Principal: { AWS: accounts.map((account) => root(env, account)) }, Action: [...CROSS_ACCOUNT_KEY_ACTIONS], Resource: '*' });
  }
  if (sharing.organizationId !== undefined) {
    statements.push({
      Sid: 'OrganizationDecrypt',
      Effect: 'Allow',
      Principal: everyone,
      Action: [...CROSS_ACCOUNT_KEY_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': sharing.organizationId } },
    });
  }
  if (sharing.organizationalUnitPaths.length > 0) {
    statements.push({
      Sid: 'OrganizationalUnitsDecrypt',
      Effect: 'Allow',
      Principal: everyone,
      Action: [...CROSS_ACCOUNT_KEY_ACTIONS],
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': sharing.organizationalUnitPaths.map((path) => `${path}*`) } },
    });
  }
  return statements;
}
