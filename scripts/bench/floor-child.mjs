/**
 * The floor of the cold-start harness, run as a fresh `node` process by bench.mjs: start the
 * in-process fake and PUT one CloudFormation response to it, with no SDK and no handler. What
 * every measured handler pays here besides its own work; nothing that answers a custom
 * resource request can start faster in this harness.
 *
 * Prints one line `BENCH_RESULT {json}` on stderr, like cold-child.mjs.
 *
 * Usage: node scripts/bench/floor-child.mjs
 */
const bootMs = performance.now();
const { startFakeAws } = await import('./fake-aws.mjs');
const { cfnEvent, cpuMs, peakRssMiB, properties, useFakeEnvironment } = await import('./events.mjs');

const fake = await startFakeAws();
useFakeEnvironment(fake.url);
const fakeReadyMs = performance.now();

// The response a handler would send, PUT the way the CloudFormation wrapper sends it.
const event = cfnEvent(fake.url, 'Create', properties());
const body = JSON.stringify({
  Status: 'SUCCESS',
  Reason: 'floor',
  PhysicalResourceId: 'floor',
  StackId: event.StackId,
  RequestId: event.RequestId,
  LogicalResourceId: event.LogicalResourceId,
});
// Built-ins as the handler bundle loads them: CommonJS exports, no ESM namespace (fake-aws.mjs says why).
const { request } = process.getBuiltinModule('node:http');
await new Promise((resolve, reject) => {
  const put = request(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', resolve);
  });
  put.on('error', reject);
  put.end(body);
});
const response = await fake.response(event.RequestId);
const handledMs = performance.now();

const result = {
  status: response.Status,
  bootMs,
  fakeMs: fakeReadyMs - bootMs,
  importMs: 0,
  handleMs: handledMs - fakeReadyMs,
  totalMs: handledMs,
  awsCalls: fake.calls.length,
  peakRssMiB: peakRssMiB(),
  cpuMs: cpuMs(),
};
process.stderr.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));

