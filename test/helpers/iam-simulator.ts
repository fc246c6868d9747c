/**
 * IAM evaluated offline, for tests only: a thin layer over `@cloud-copilot/iam-simulate`
 * (AGPL-3.0, a devDependency that never reaches the bundle or the published package).
 *
 * `simulate()` runs one request through identity policies, the resource policy, SCPs, RCPs and
 * a permissions boundary, in Strict mode (a condition key not given is absent, as in AWS), and
 * returns the verdict with a readable explanation of every statement that did not allow it.
 */
import { getDenialReasons, runSimulation, type RequestAnalysis } from '@cloud-copilot/iam-simulate';

/** An IAM policy document as JSON values. */
export type PolicyDocument = { Version?: string; Statement: unknown; [field: string]: unknown };

/** A policy with a name the explanation can quote. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** One request as AWS would authorise it. */
export interface IamRequest {
  /** The calling principal's ARN (for a role session: the role's ARN). */
  readonly principal: string;
  /** `service:Action`. */
  readonly action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  readonly resource: string;
  /** Condition keys AWS sets for this request (`aws:RequestTag/k`, `aws:TagKeys`, `kms:ViaService`...). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** The policies that apply to a request. */
export interface ApplicablePolicies {
  readonly identityPolicies?: readonly (NamedPolicy | PolicyDocument)[];
  readonly resourcePolicy?: PolicyDocument;
  /** Service control policies, outermost (root) first. */
  readonly scps?: readonly (NamedPolicy | PolicyDocument)[];
  /** Resource control policies, outermost first. */
  readonly rcps?: readonly (NamedPolicy | PolicyDocument)[];
  readonly boundary?: NamedPolicy | PolicyDocument;
}

export type IamResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** The verdict of one simulated request. */
export interface IamVerdict {
  readonly result: IamResult;
  readonly allowed: boolean;
  /** Why it was not allowed (empty when allowed): the denying layer, statements and conditions. */
  readonly explanation: string;
  /** Condition keys given that do not apply to this action (AWS would not set them either). */
  readonly ignoredContextKeys: readonly string[];
}

/** Thrown when the simulator rejects the input itself: unknown action, wrong resource type, invalid policy. */
export class SimulationInputError extends Error {
  constructor(request: IamRequest, detail: unknown) {
    super(`cannot simulate ${request.action} on ${request.resource}: ${JSON.stringify(detail)}`);
    this.name = 'SimulationInputError';
  }
}

const ARN_ACCOUNT = /^arn:[^:]+:[^:]*:[^:]*:(\d{12})?:/;

/** The account a resource belongs to: from its ARN, else (for `*` and account-less ARNs) the caller's. */
export function accountOf(resource: string, principal: string): string {
  return ARN_ACCOUNT.exec(resource)?.[1] ?? ARN_ACCOUNT.exec(principal)?.[1] ?? '000000000000';
}

/** Simulates one request against the given policies. */
export async function simulate(request: IamRequest, policies: ApplicablePolicies): Promise<IamVerdict> {
  const named = (list: readonly (NamedPolicy | PolicyDocument)[] | undefined, kind: string) =>
    (list ?? []).map((entry, index) => ('policy' in entry && 'name' in entry ? (entry as NamedPolicy) : { name: `${kind}${index + 1}`, policy: entry as PolicyDocument }));
  const orgLevels = (list: readonly (NamedPolicy | PolicyDocument)[] | undefined, kind: string) =>
    list === undefined || list.length === 0 ? [] : [{ orgIdentifier: `${kind}-root`, policies: named(list, kind) }];
  const boundary = policies.boundary === undefined ? undefined : named([policies.boundary], 'boundary');
  // Keys AWS sets on every request of an IAM principal; a request may override them.
  const always: Record<string, string> = {
    'aws:PrincipalArn': request.principal,
    'aws:PrincipalAccount': ARN_ACCOUNT.exec(request.principal)?.[1] ?? '',
    'aws:PrincipalIsAWSService': 'false',
    'aws:SecureTransport': 'true',
  };
  const given = Object.fromEntries(Object.entries(request.context ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : [...value]]));
  const context = { ...always, ...given };

  const outcome = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.resource, request.principal) },
        contextVariables: context,
      },
      identityPolicies: named(policies.identityPolicies, 'identity'),
      serviceControlPolicies: orgLevels(policies.scps, 'scp'),
      resourceControlPolicies: orgLevels(policies.rcps, 'rcp'),
      ...(policies.resourcePolicy === undefined ? {} : { resourcePolicy: policies.resourcePolicy }),
      ...(boundary === undefined ? {} : { permissionBoundaryPolicies: boundary }),
    },
    { simulationMode: 'Strict' },
  );
  if (outcome.resultType === 'error') throw new SimulationInputError(request, outcome.errors);
  if (outcome.resultType !== 'single') throw new SimulationInputError(request, `a wildcard resource gives ${outcome.results.length} simulations; name one resource`);
  const result = outcome.overallResult as IamResult;
  const allowed = result === 'Allowed';
  return {
    result,
    allowed,
    explanation: allowed ? '' : explain(request, result, outcome.result.analysis),
    ignoredContextKeys: outcome.result.ignoredContextKeys ?? [],
  };
}

/** `principal action resource` and, for a denial, which layer denied and the statements that did not match. */
function explain(request: IamRequest, result: IamResult, analysis: RequestAnalysis): string {
  const lines = [`${result}: ${request.principal} ${request.action} on ${request.resource}`];
  lines.push(`  context: ${JSON.stringify(request.context ?? {})}`);
  for (const denial of getDenialReasons(analysis)) lines.push(`  denied by: ${JSON.stringify(denial)}`);
  const layers: Array<[string, unknown]> = [
    ['identity', analysis.identityAnalysis],
    ['resource', analysis.resourceAnalysis],
    ['scp', analysis.scpAnalysis],
    ['rcp', analysis.rcpAnalysis],
    ['boundary', analysis.permissionBoundaryAnalysis],
  ];
  for (const [layer, detail] of layers) {
    if (detail === undefined) continue;
    const summary = detail as { result?: string; unmatchedStatements?: unknown[]; denyStatements?: unknown[] };
    lines.push(`  ${layer}: ${summary.result ?? '?'}`);
    for (const statement of [...(summary.denyStatements ?? []), ...(summary.unmatchedStatements ?? [])].slice(0, 12)) {
      lines.push(`    ${compact(statement)}`);
    }
  }
  return lines.join('\n');
}

/** A statement explanation, without the parts that matched, on one line. */
function compact(explained: unknown): string {
  const seen = JSON.stringify(explained, (key, value: unknown) => (key === 'policy' || key === 'statement' ? undefined : value));
  return seen.length > 600 ? `${seen.slice(0, 600)}...` : seen;
}

/**
 * The verdict as a jest-friendly message: `null` when it is `expected`, else the explanation.
 * Use as `expect(mismatch(verdict, 'Allowed')).toBeNull()` so a failure prints the reasons.
 */
export function mismatch(verdict: IamVerdict, expected: 'Allowed' | 'Denied' | IamResult): string | null {
  const ok = expected === 'Denied' ? !verdict.allowed : verdict.result === expected;
  if (ok) return null;
  return verdict.allowed ? `expected ${expected}, got Allowed` : `expected ${expected}, got:\n${verdict.explanation}`;
}
