/**
 * Every recorded AWS call of the provider, simulated against the provider role's policy as
 * generated into templates/provider.yaml (deployed on paper with the run's settings) and, for
 * key calls, the key's own policy as the provider wrote it. Optionally under a permissions
 * boundary and the organisation guardrail (SCP/RCP), which must not block the provider either.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DerivedRequest, type RecordedRun, RecordedWorld } from './iam-calls';
import { type ApplicablePolicies, simulate } from './iam-simulator';
import { deployProvider, type ProviderDeployment } from './provider-deployment';

/** The committed recording the simulation replays without an endpoint. */
export const RECORDED_CALLS_FIXTURE = join(__dirname, '..', 'fixtures', 'iam', 'recorded-calls.json');

/** What the replay found. */
export interface ReplayReport {
  /** IAM requests simulated (recorded calls plus the requests AWS derives from them). */
  readonly simulated: number;
  /** Recorded calls replayed. */
  readonly calls: number;
  /** Runs skipped because their settings are not a deployable provider's (no ORG_PROVIDER_ROLE_ARN). */
  readonly skippedRuns: number;
  /** `service:Action` -> simulated requests. */
  readonly byAction: Readonly<Record<string, number>>;
  /** One explanation per request that was not Allowed. */
  readonly denials: readonly string[];
  /** Requests denied where the provider expects and handles the denial (`mayBeDenied`). */
  readonly toleratedDenials: number;
}

/** Extra policies over the provider role: its boundary, the organisation's SCPs and RCPs. */
export type Guardrails = Pick<ApplicablePolicies, 'boundary' | 'scps' | 'rcps'>;

/**
 * Replays runs in order (state such as tags and key policies carries over between runs).
 * `guardrails` may depend on the run's settings (a boundary deployed for its `ORG_PREFIX`).
 */
export async function replayRecordedRuns(runs: readonly RecordedRun[], guardrails: Guardrails | ((settings: RecordedRun['settings']) => Guardrails) = {}, template?: ProviderDeployment['template']): Promise<ReplayReport> {
  const deployments = new Map<string, ProviderDeployment>();
  const worlds = new Map<string, RecordedWorld>();
  const byAction: Record<string, number> = {};
  const denials: string[] = [];
  let simulated = 0;
  let calls = 0;
  let skippedRuns = 0;
  let toleratedDenials = 0;
  for (const run of runs) {
    const principal = run.settings.ORG_PROVIDER_ROLE_ARN;
    if (principal === undefined || principal === '') {
      skippedRuns += 1;
      continue;
    }
    const parameters = { OrganizationPrefix: run.settings.ORG_PREFIX ?? '', ParameterPrefix: run.settings.ORG_SSM_PARAMETER_PREFIX ?? '', CodeBucketPrefix: 'code' };
    const deploymentKey = JSON.stringify([run.account, run.region, parameters]);
    let deployment = deployments.get(deploymentKey);
    if (deployment === undefined) {
      deployment = deployProvider({ account: run.account, region: run.region, parameters }, template);
      deployments.set(deploymentKey, deployment);
    }
    const worldKey = `${run.account}/${run.region}`;
    let world = worlds.get(worldKey);
    if (world === undefined) {
      world = new RecordedWorld(run.account, run.region);
      worlds.set(worldKey, world);
    }
    for (const call of run.calls) {
      calls += 1;
      for (const request of world.requestsFor(call)) {
        simulated += 1;
        byAction[request.action] = (byAction[request.action] ?? 0) + 1;
        const verdict = await simulateOne(principal, request, deployment, typeof guardrails === 'function' ? guardrails(run.settings) : guardrails);
        if (!verdict.allowed && request.mayBeDenied !== undefined) toleratedDenials += 1;
        else if (!verdict.allowed) denials.push(`${call.action} -> ${request.action} (${request.because}):\n${verdict.explanation}`);
      }
    }
  }
  return { simulated, calls, skippedRuns, byAction, denials, toleratedDenials };
}

function simulateOne(principal: string, request: DerivedRequest, deployment: ProviderDeployment, guardrails: Guardrails) {
  return simulate(
    { principal, action: request.action, resource: request.resource, context: request.context },
    {
      identityPolicies: deployment.policies,
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
      ...guardrails,
    },
  );
}

/** The committed recording (empty when there is none yet). */
export function readRecordedFixture(): RecordedRun[] {
  if (!existsSync(RECORDED_CALLS_FIXTURE)) return [];
  return (JSON.parse(readFileSync(RECORDED_CALLS_FIXTURE, 'utf8')) as { runs: RecordedRun[] }).runs;
}

/**
 * A call's shape, without the names and ids that differ between runs: the action, the
 * requests AWS derives from it and the condition keys each carries. A recording is current
 * when it holds every shape a fresh recording produces.
 */
export function callShapes(runs: readonly RecordedRun[]): string[] {
  const shapes = new Set<string>();
  const worlds = new Map<string, RecordedWorld>();
  for (const run of runs) {
    const key = `${run.account}/${run.region}`;
    const world = worlds.get(key) ?? new RecordedWorld(run.account, run.region);
    worlds.set(key, world);
    for (const call of run.calls) {
      const derived = world
        .requestsFor(call)
        .map((request) => `${request.action}[${Object.keys(request.context).map((k) => k.replace(/^(aws:(Request|Resource)Tag\/).*$/, '$1*')).filter((k, i, all) => all.indexOf(k) === i).sort().join(',')}]`)
        .filter((part, index, all) => all.indexOf(part) === index)
        .sort()
        .join(' + ');
      shapes.add(`${call.action} => ${derived}`);
    }
  }
  return [...shapes].sort();
}
