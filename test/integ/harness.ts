/**
 * Integration harness: a loopback ResponseURL server, event builders, a runner that drives the
 * BUILT bundle in a fresh Node process against the AWS-compatible endpoint in
 * AWS_ENDPOINT_URL, and readers of the real state that results.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { recordRun, simulateRecordedCallsAfterAll } from './iam-recorder';
import { GetParametersCommand, ListTagsForResourceCommand as ListParameterTagsCommand, SSMClient } from '@aws-sdk/client-ssm';

export const endpoint = process.env.AWS_ENDPOINT_URL;
if (endpoint) simulateRecordedCallsAfterAll();
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

const credentials = { accessKeyId: 'integration', secretAccessKey: 'integration' };
const clientConfig = { region: REGION, credentials, ...(endpoint ? { endpoint } : {}) };
export const ecr = new ECRClient(clientConfig);
export const kms = new KMSClient(clientConfig);
export const ssm = new SSMClient(clientConfig);

export interface CfnResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** The provider settings the suite deploys with: two environment accounts plus the owner. */
export const SETTINGS = {
  ORG_PREFIX: 'acme',
  ORG_ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: '111111111111', prod: '222222222222', tools: ACCOUNT }),
  ORG_MANDATORY_TAGS: JSON.stringify({ 'cost-center': 'cc-42', owner: 'platform' }),
  ORG_KMS_KEY_ROTATION: 'true',
  ORG_KMS_DELETION_WINDOW_DAYS: '7',
  ORG_SSM_PARAMETER_PREFIX: '',
  ORG_PROVIDER_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/org-ecr/provider/org-ecr-provider`,
};

/** A loopback HTTP server standing in for CloudFormation's presigned S3 URL. */
export class ResponseServer {
  readonly received: { path: string; contentType: string | undefined; body: CfnResponse }[] = [];
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        this.received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: JSON.parse(body) as CfnResponse });
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  url(requestId: string): string {
    return `http://127.0.0.1:${this.port}/cfn/${requestId}?X-Amz-Signature=integration-secret`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export type Properties = Record<string, unknown>;

/** One stack with one resource; builds its events like CloudFormation does (strings!). */
export class Stack {
  readonly stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/integ-${randomUUID().slice(0, 8)}/${randomUUID()}`;
  constructor(
    private readonly responses: ResponseServer,
    readonly logicalId = 'Repository',
  ) {}

  private base(requestType: string) {
    const requestId = randomUUID();
    return {
      RequestType: requestType,
      ResponseURL: this.responses.url(requestId),
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: this.logicalId,
      ResourceType: 'Custom::OrgEcrRepository',
      ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:org-ecr`,
    };
  }

  create(properties: Properties) {
    return { ...this.base('Create'), ResourceProperties: withToken(properties) };
  }

  update(physicalId: string, properties: Properties, old: Properties) {
    return { ...this.base('Update'), PhysicalResourceId: physicalId, ResourceProperties: withToken(properties), OldResourceProperties: withToken(old) };
  }

  delete(physicalId: string, properties: Properties) {
    return { ...this.base('Delete'), PhysicalResourceId: physicalId, ResourceProperties: withToken(properties) };
  }
}

const withToken = (properties: Properties) => ({ ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:org-ecr`, ServiceTimeout: '360', ...properties });

/** How one bundle process is run. */
export interface BundleOptions {
  /** Where the bundle sends its AWS calls, e.g. an {@link startAwsProxy} url. @default - AWS_ENDPOINT_URL */
  readonly endpoint?: string;
  /** The Lambda time budget the driver simulates (REMAINING_MS). @default 60000 */
  readonly remainingMs?: number;
  /** Milliseconds the process waits, once loaded, before the first event (start jitter). @default 0 */
  readonly delayMs?: number;
  /** Epoch ms before which the loaded process does not start (a common start for racing processes). @default - at once */
  readonly startAt?: number;
  /** Powertools log level of the bundle. @default 'WARN' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** What one bundle process did: the responses it PUT, in order, and its log lines (parsed JSON). */
export interface BundleRun {
  readonly responses: CfnResponse[];
  readonly logs: Record<string, unknown>[];
}

/** Drives the built bundle in a fresh Node process; returns the responses it PUT, in order. */
export async function runBundle(responses: ResponseServer, events: object[], settings: Record<string, string> = SETTINGS, options: BundleOptions = {}): Promise<CfnResponse[]> {
  return (await runBundleWithLogs(responses, events, settings, options)).responses;
}

/**
 * Drives the built bundle in a fresh Node process (a Lambda execution environment of its own)
 * and keeps its log. Responses are matched by RequestId, so several processes may run at once.
 */
export async function runBundleWithLogs(
  responses: ResponseServer,
  events: object[],
  settings: Record<string, string> = SETTINGS,
  options: BundleOptions = {},
): Promise<BundleRun> {
  const driver = join(__dirname, 'drive-bundle.mjs');
  // Runs on the suite's own endpoint go through a recording proxy: their calls are simulated
  // against the provider's IAM policy at the end of the file (iam-recorder.ts).
  const recorder = options.endpoint === undefined && endpoint ? await recordRun(endpoint, ACCOUNT, REGION, settings) : undefined;
  // Each process answers on URLs of its own, so two processes given the same event (a
  // duplicate delivery) each get their own answer back.
  const run = randomUUID();
  const tagged = events.map((event) => {
    const url = (event as { ResponseURL?: string }).ResponseURL;
    return url ? { ...event, ResponseURL: `${url}&run=${run}` } : event;
  });
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [driver],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL: options.endpoint ?? recorder?.url ?? endpoint,
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
          ...(options.remainingMs === undefined ? {} : { REMAINING_MS: String(options.remainingMs) }),
          ...(options.delayMs === undefined ? {} : { START_DELAY_MS: String(options.delayMs) }),
          ...(options.startAt === undefined ? {} : { START_AT: String(options.startAt) }),
          ...settings,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      // Powertools writes WARN and ERROR lines to stderr, the others to stdout.
      (error, out, stderr) => (error ? reject(new Error(`bundle driver failed: ${error.message}\n${stderr}`)) : resolve(`${out}\n${stderr}`)),
    );
    child.stdin?.end(JSON.stringify(tagged));
  }).finally(() => recorder?.finish());
  const answered = responses.received.filter((entry) => entry.path.endsWith(`&run=${run}`)).map((entry) => entry.body);
  const logs = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return { responses: answered, logs };
}

// ---------------------------------------------------------------------------------------
// Reading back the real state

export async function readRepository(name: string) {
  try {
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repository = described.repositories?.[0];
    if (!repository) return undefined;
    const [tags, lifecycle, policy] = await Promise.all([
      ecr.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn })),
      ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })).catch(() => undefined),
      ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })).catch(() => undefined),
    ]);
    return {
      repository,
      tags: Object.fromEntries((tags.tags ?? []).map((tag) => [tag.Key, tag.Value])),
      lifecycle: lifecycle?.lifecyclePolicyText ? (JSON.parse(lifecycle.lifecyclePolicyText) as { rules: { selection: Record<string, unknown> }[] }) : undefined,
      policy: policy?.policyText ? (JSON.parse(policy.policyText) as { Statement: Record<string, unknown>[] }) : undefined,
    };
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return undefined;
    throw error;
  }
}

export async function readKey(keyId: string) {
  const [described, policy, rotation, tags] = await Promise.all([
    kms.send(new DescribeKeyCommand({ KeyId: keyId })),
    kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
    kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })),
    kms.send(new ListResourceTagsCommand({ KeyId: keyId })),
  ]);
  return {
    state: described.KeyMetadata?.KeyState,
    arn: described.KeyMetadata?.Arn,
    policy: JSON.parse(policy.Policy ?? '{}') as { Statement: { Sid?: string; Principal?: { AWS?: unknown }; Action?: unknown }[] },
    rotation: rotation.KeyRotationEnabled,
    tags: Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue])),
  };
}

export async function aliasTarget(aliasName: string): Promise<string | undefined> {
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: aliasName }))).KeyMetadata?.Arn;
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return undefined;
    throw error;
  }
}

export async function readParameters(names: string[]) {
  const values = await ssm.send(new GetParametersCommand({ Names: names }));
  const result: Record<string, { value: string; tags: Record<string, string | undefined> }> = {};
  for (const parameter of values.Parameters ?? []) {
    const tags = await ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: parameter.Name! }));
    result[parameter.Name!] = { value: parameter.Value ?? '', tags: Object.fromEntries((tags.TagList ?? []).map((tag) => [tag.Key, tag.Value])) };
  }
  return result;
}

/** The `ImagesRetained` rule's count (the one rule with tagStatus any), next to the untagged-expiry rule. */
export function retainedCount(state: Awaited<ReturnType<typeof readRepository>>): unknown {
  return state?.lifecycle?.rules.find((rule) => rule.selection.tagStatus === 'any')?.selection.countNumber;
}

/** A base name unique to this run, so the suite can run twice against one endpoint. */
export const unique = (base: string) => `${base}-${randomUUID().slice(0, 6)}`;
