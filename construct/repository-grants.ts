/**
 * How `OrgEcrRepository` grants access. The repository policy belongs to the provider (it
 * writes the environment accounts' read-only statement and keeps statements Lambda adds), so a
 * grant never edits it from the CDK: a grant either goes onto the grantee's own IAM policy, or
 * is satisfied by what the contract's sharing properties make the provider write, or fails the
 * synth saying which property to use instead.
 *
 * KMS: ECR encrypts and decrypts a repository's layers itself, through the grants it creates
 * on the key when the repository is created. A principal that pushes or pulls never calls KMS,
 * in the owning account or in an environment account, so no grant here adds a key permission
 * (the key policy the provider writes gives environment accounts `kms:Decrypt` and
 * `kms:DescribeKey` for direct use of the key, as the seed asks).
 */
import { Annotations, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { CROSS_ACCOUNT_PULL_ACTIONS } from '../handler/src/contract';
import { InvalidConstructPropsError } from './errors';

/** What `grantPull` allows, as the CDK's `ecr.Repository` does. */
export const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'] as const;
/** What `grantPush` allows, as the CDK's `ecr.Repository` does. */
export const PUSH_ACTIONS = ['ecr:CompleteLayerUpload', 'ecr:UploadLayerPart', 'ecr:InitiateLayerUpload', 'ecr:BatchCheckLayerAvailability', 'ecr:PutImage'] as const;
/** What `grantRead` allows, as the CDK's `ecr.Repository` does. */
export const READ_ACTIONS = ['ecr:DescribeRepositories', 'ecr:DescribeImages'] as const;
/** What Lambda itself calls to fetch a function's image (Lambda's documentation). */
export const LAMBDA_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

/** The repository as the grants see it. */
export interface GrantTarget {
  /** The repository construct, for messages and annotations. */
  readonly scope: IConstruct;
  readonly repositoryArn: string;
  /** The owning account (the stack's). */
  readonly ownerAccount: string;
  /** `shareableWithAllEnvs` as given: a boolean, a token or absent. */
  readonly shareableWithAllEnvs: unknown;
  /** `shareWithOrganization` as given: a boolean, a token or absent. @default - absent */
  readonly shareWithOrganization?: unknown;
  /** `shareWithOrganizationalUnitPaths` as given: a list, a token or absent. @default - absent */
  readonly shareWithOrganizationalUnitPaths?: unknown;
  /** The provider's environment accounts when known at synth. */
  readonly environmentAccounts: readonly string[] | undefined;
}

/**
 * Grants `actions` on the repository to `grantee`, the way the contract allows.
 *
 * @throws InvalidConstructPropsError when the grant would need a repository policy statement
 *   the contract does not make, naming what to do instead.
 */
export function grantOnRepository(target: GrantTarget, grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.ServicePrincipal) return grantToService(target, grantee, principal, actions);

  const account = accountOf(target, principal);
  if (account.kind === 'other') {
    checkCrossAccount(target, account.account, actions);
  }
  const grant = iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [target.repositoryArn] });
  if (!grant.success) {
    throw new InvalidConstructPropsError(target.scope.node.path, [
      `cannot grant ${actions.join(', ')} to ${principal.toString()}: it takes no IAM policy, and the repository policy is the provider's. ` +
        'Grant to an IAM role or user (e.g. the ECS task execution role, a CodeBuild role), or share the repository with `shareableWithAllEnvs`',
    ]);
  }
  return grant;
}

/** `ecr:GetAuthorizationToken` on `*`: every `docker login` to ECR needs it (ECR's own requirement). */
export function grantAuthorizationToken(grantee: iam.IGrantable): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
}

/** True when the grantee is a service principal (it needs no authorization token). */
export function isServicePrincipal(grantee: iam.IGrantable): boolean {
  return grantee.grantPrincipal instanceof iam.ServicePrincipal;
}

/**
 * Lambda pulling a function's image (`lambda.DockerImageCode.fromEcr`): Lambda's documented
 * way for a function of the owning account is a repository-policy statement for
 * `lambda.amazonaws.com`, which Lambda adds itself when the function is created or updated by
 * a principal allowed `ecr:GetRepositoryPolicy` and `ecr:SetRepositoryPolicy` on the
 * repository (the CDK's deploy role is); the provider keeps that statement through every
 * Update. Other service principals would need a statement the contract does not write.
 */
function grantToService(target: GrantTarget, grantee: iam.IGrantable, principal: iam.ServicePrincipal, actions: readonly string[]): iam.Grant {
  const isLambda = principal.service === 'lambda.amazonaws.com';
  const lambdaPull = isLambda && actions.every((action) => (PULL_ACTIONS as readonly string[]).includes(action));
  if (!lambdaPull) {
    throw new InvalidConstructPropsError(target.scope.node.path, [
      `cannot grant ${actions.join(', ')} to the service principal ${principal.service}: the repository policy is the provider's, and the contract only lets ` +
        'Lambda pull function images (lambda.DockerImageCode.fromEcr). Grant to the IAM role the service uses instead (for ECS: the task execution role)',
    ]);
  }
  Annotations.of(target.scope).addInfo(
    'Lambda pulls function images through the repository policy statement for lambda.amazonaws.com that Lambda adds itself when the function is deployed ' +
      '(the deploying role needs ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy on the repository); the provider keeps that statement.',
  );
  return iam.Grant.drop(grantee, `${LAMBDA_PULL_ACTIONS.join(', ')} for ${principal.service} (added by Lambda itself at deploy time)`);
}

type AccountOf = { readonly kind: 'same' } | { readonly kind: 'other'; readonly account: string };

function accountOf(target: GrantTarget, principal: iam.IPrincipal): AccountOf {
  const account = principal.principalAccount;
  if (account === undefined) return { kind: 'same' };
  const comparison = Token.compareStrings(account, target.ownerAccount);
  if (comparison === TokenComparison.DIFFERENT) return { kind: 'other', account };
  return { kind: 'same' };
}

/**
 * A principal of another account may pull (read-only) when the provider shares the repository
 * with its account: `shareableWithAllEnvs` and an environment account, or organisation or OU
 * sharing (whose membership only AWS Organizations knows: the account must be in it).
 */
function checkCrossAccount(target: GrantTarget, account: string, actions: readonly string[]): void {
  const problems: string[] = [];
  const readOnly = actions.every((action) => CROSS_ACCOUNT_PULL_ACTIONS.some((allowed) => matchesAction(allowed, action)));
  if (!readOnly) {
    problems.push(
      `cannot grant ${actions.join(', ')} to account ${account}: the organisation shares repositories read-only (${CROSS_ACCOUNT_PULL_ACTIONS.join(', ')}); push from the owning account`,
    );
  }
  const shareable = target.shareableWithAllEnvs;
  // Organisation or OU sharing lets the account pull when it is a member: only AWS Organizations knows.
  const byOrganization = sharesWithOrganization(target);
  if (byOrganization === 'no' && (shareable === undefined || shareable === false)) {
    problems.push(
      `cannot grant ${actions.join(', ')} to account ${account}: set \`shareableWithAllEnvs: true\` so the provider lets the environment accounts pull, ` +
        'or `shareWithOrganization` / `shareWithOrganizationalUnitPaths` for accounts of the organisation',
    );
  } else if (shareable !== true && byOrganization !== 'yes') {
    Annotations.of(target.scope).addWarningV2(
      'org-ecr:crossAccountGrantNeedsSharing',
      `the grant to account ${account} works only when \`shareableWithAllEnvs\`, \`shareWithOrganization\` or \`shareWithOrganizationalUnitPaths\` shares the repository with it at deploy time`,
    );
  }
  const environments = target.environmentAccounts;
  if (byOrganization === 'no' && environments !== undefined && !Token.isUnresolved(account) && !environments.includes(account)) {
    problems.push(`cannot grant to account ${account}: it is not one of the provider's environment accounts (${environments.join(', ') || 'none'}), the only accounts a repository is shared with`);
  }
  if (problems.length > 0) throw new InvalidConstructPropsError(target.scope.node.path, problems);
}

/** Whether organisation or OU sharing is on: known at synth, or a token only the deploy resolves. */
function sharesWithOrganization(target: GrantTarget): 'yes' | 'no' | 'token' {
  const organization = target.shareWithOrganization;
  const paths = target.shareWithOrganizationalUnitPaths;
  if (organization === true || (Array.isArray(paths) && paths.length > 0 && !Token.isUnresolved(paths))) return 'yes';
  if (Token.isUnresolved(organization) || Token.isUnresolved(paths)) return 'token';
  return 'no';
}

/** IAM's action matching: case-insensitive, `*` for any characters. */
function matchesAction(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}
