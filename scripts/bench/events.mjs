/**
 * What every benchmark process shares: the provider settings and dummy credentials it runs
 * with, and builders for the CloudFormation events and Lambda context the handler receives.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'handler', 'dist');
export const BUNDLE_URL = pathToFileURL(join(DIST, 'index.mjs')).href;

export const ACCOUNT = '123456789012';
export const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/bench/0c6f4a80-6e59-11ef-9e9a-0affd2c1b9c3`;

/**
 * Points the SDK at the fake and gives the provider its settings. Must run before the bundle
 * is imported: the bundle creates its clients at module load.
 */
export function useFakeEnvironment(endpointUrl, extra = {}) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    // Lambda's nodejs24.x never prints this Node 20 notice; it would only add noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ORG_PREFIX: 'acme',
    ORG_ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: '111111111111', test: '222222222222', prod: '333333333333', own: ACCOUNT }),
    ORG_MANDATORY_TAGS: JSON.stringify({ 'cost-center': 'cc-1234', 'data-classification': 'internal' }),
    ...extra,
  });
}

/** Resource properties as CloudFormation sends them: every scalar a string. */
export function properties({ base = 'orders-api', key = false, sharing = true, retained = '10', tags = [{ Key: 'team', Value: 'payments' }] } = {}) {
  return {
    ServiceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:org-ecr-provider`,
    ApplicationName: 'shop',
    RepositoryBaseName: base,
    UseKmsKey: String(key),
    ...(retained === undefined ? {} : { ImagesRetained: retained }),
    ShareableWithAllEnvs: String(sharing),
    Tags: tags,
  };
}

/** A CloudFormation request; its response is PUT to the fake at /response/<RequestId>. */
export function cfnEvent(endpointUrl, requestType, props, { logicalId = 'Repository', physicalId, oldProps } = {}) {
  const requestId = randomUUID();
  return {
    RequestType: requestType,
    ResponseURL: `${endpointUrl}/response/${requestId}?X-Amz-Signature=bench`,
    StackId: STACK_ID,
    RequestId: requestId,
    LogicalResourceId: logicalId,
    ResourceType: 'Custom::OrgEcrRepository',
    ServiceToken: props.ServiceToken,
    ResourceProperties: props,
    ...(physicalId === undefined ? {} : { PhysicalResourceId: physicalId }),
    ...(oldProps === undefined ? {} : { OldResourceProperties: oldProps }),
  };
}

/** A Lambda context with a 5-minute budget counted from now. */
export function lambdaContext(budgetMs = 300_000) {
  const deadline = Date.now() + budgetMs;
  return {
    getRemainingTimeInMillis: () => deadline - Date.now(),
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/org-ecr-provider',
    logStreamName: 'bench',
    functionName: 'org-ecr-provider',
  };
}

/** The resident-set high-water mark of this process, in MiB. */
export function peakRssMiB() {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * CPU time this process used so far (user + system, every thread: V8 compiles and collects on
 * background threads), in ms. Less sensitive than wall time to other processes on a busy machine.
 */
export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
