/**
 * The peer, run as a fresh `node` process by bench.mjs: aws-cdk-lib's own ECR custom-resource
 * handler (`custom-resource-handlers/dist/aws-ecr/auto-delete-images-handler`, what
 * `new ecr.Repository(..., { emptyOnDelete: true })` deploys) handling one request against
 * the same in-process fake as ours: a Delete of a repository tagged for auto-deletion, with no
 * images (DescribeRepositories, ListTagsForResource, ListImages, then the response PUT). Its
 * Create makes no AWS call at all, so the Delete is the request that loads and uses its SDK.
 *
 * It is loaded as on Lambda: `require` of the shipped file, which `require`s
 * `@aws-sdk/client-ecr` (here from node_modules; on Lambda from the runtime's SDK).
 *
 * One adaptation: it sends its response with `https.request` to the ResponseURL's host on
 * port 443; the fake is plain HTTP on an ephemeral port, so `https.request` is pointed at it
 * (same call, no TLS). Prints one line `BENCH_RESULT {json}` on stderr, like cold-child.mjs.
 *
 * Usage: node scripts/bench/peer-child.mjs
 */
const bootMs = performance.now();
const { seedRepository, startFakeAws } = await import('./fake-aws.mjs');
const { cfnEvent, cpuMs, lambdaContext, peakRssMiB, ROOT, useFakeEnvironment } = await import('./events.mjs');

const PEER_HANDLER = 'node_modules/aws-cdk-lib/custom-resource-handlers/dist/aws-ecr/auto-delete-images-handler/index.js';

const fake = await startFakeAws();
useFakeEnvironment(fake.url);
const name = 'acme-shop-peer';
seedRepository(fake.state, { name, tags: { 'aws-cdk:auto-delete-images': 'true' } });
const port = Number(new URL(fake.url).port);
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');
https.request = (options, callback) => http.request({ ...options, port, protocol: 'http:', agent: undefined }, callback);
const fakeReadyMs = performance.now();

const require = process.getBuiltinModule('node:module').createRequire(`${ROOT}/package.json`);
const peer = require(`${ROOT}/${PEER_HANDLER}`);
const importedMs = performance.now();

const event = cfnEvent(fake.url, 'Delete', { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:peer', RepositoryName: name }, { physicalId: name, logicalId: 'PeerAutoDelete' });
event.ResourceType = 'Custom::ECRAutoDeleteImages';
await peer.handler(event, lambdaContext());
const response = await fake.response(event.RequestId);
const handledMs = performance.now();

const result = {
  status: response.Status,
  reason: response.Reason === 'SUCCESS' ? undefined : response.Reason,
  bootMs,
  fakeMs: fakeReadyMs - bootMs,
  importMs: importedMs - fakeReadyMs,
  handleMs: handledMs - importedMs,
  totalMs: handledMs,
  awsCalls: fake.calls.length,
  calls: fake.calls.map((call) => `${call.service}.${call.operation}`),
  peakRssMiB: peakRssMiB(),
  cpuMs: cpuMs(),
};
process.stderr.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
