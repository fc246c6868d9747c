/**
 * Records, through the AWS proxy, every AWS call a bundle run makes against the endpoint, and
 * at the end of each integration test file simulates every recorded call against the
 * provider role's policy as generated (test/helpers/recorded-simulation.ts): a call the
 * provider makes without its permission fails the file, naming the call and the statements
 * that did not allow it.
 *
 * Runs given their own endpoint (a test's fault-injecting proxy) are not recorded here: their
 * calls are the faults those tests stage.
 */
import type { RecordedCall, RecordedRun } from '../helpers/iam-calls';
import { replayRecordedRuns } from '../helpers/recorded-simulation';
import { type AwsCall, startAwsProxy } from './aws-proxy';

const recorded: RecordedRun[] = [];

/** A recording proxy for one bundle run, and what to do when the run is over. */
export interface RunRecorder {
  readonly url: string;
  finish(): Promise<void>;
}

/** Starts recording one run of the bundle with `settings` in `account`/`region`. */
export async function recordRun(target: string, account: string, region: string, settings: Readonly<Record<string, string>>): Promise<RunRecorder> {
  const proxy = await startAwsProxy(target);
  // The run takes its place when it starts, so runs are replayed in the order they began even
  // when one (a fault-injection run wrapping others) finishes after the runs that follow it.
  const calls: RecordedCall[] = [];
  recorded.push({ account, region, settings: pickSettings(settings), calls });
  return {
    url: proxy.url,
    finish: async () => {
      calls.push(...proxy.calls.map(trimCall));
      await proxy.close();
    },
  };
}

/** The runs recorded so far in this test file. */
export function recordedRuns(): readonly RecordedRun[] {
  return recorded;
}

/** The settings the IAM simulation needs (the rest are the provider's own business). */
export function pickSettings(settings: Readonly<Record<string, string>>): Record<string, string> {
  const wanted = ['ORG_PREFIX', 'ORG_SSM_PARAMETER_PREFIX', 'ORG_PROVIDER_ROLE_ARN'];
  return Object.fromEntries(Object.entries(settings).filter(([key]) => wanted.includes(key)));
}

/** A proxy call with only what the IAM mapping reads (bodies kept; answers cut to ids and tags). */
export function trimCall(call: AwsCall): RecordedCall {
  const response = call.response ?? {};
  const kept: Record<string, unknown> = {};
  const metadata = response.KeyMetadata as { KeyId?: string; Arn?: string } | undefined;
  if (metadata !== undefined) kept.KeyMetadata = { KeyId: metadata.KeyId, Arn: metadata.Arn };
  for (const field of ['Tags', 'tags', 'TagList']) if (response[field] !== undefined) kept[field] = response[field];
  const repositories = response.repositories as { repositoryName?: string; encryptionConfiguration?: unknown }[] | undefined;
  if (repositories !== undefined) kept.repositories = repositories.map((r) => ({ repositoryName: r.repositoryName, encryptionConfiguration: r.encryptionConfiguration }));
  return { action: call.action, body: call.body, ...(call.status === undefined ? {} : { status: call.status }), response: kept };
}

/** At the end of the file: every recorded call must be Allowed. */
export function simulateRecordedCallsAfterAll(): void {
  afterAll(async () => {
    if (recorded.length === 0) return;
    const report = await replayRecordedRuns(recorded);
    if (report.denials.length > 0) {
      throw new Error(`${report.denials.length} of ${report.simulated} AWS requests the provider made would be denied by its IAM policy:\n\n${report.denials.join('\n\n')}`);
    }
  });
}
