/**
 * One cold start, run as a fresh `node` process by bench.mjs: start the in-process fake,
 * import the bundle, handle one Create without a customer key (with retention and sharing),
 * then print one line `BENCH_RESULT {json}` on stderr and exit.
 *
 * The phases are timed inside the process with performance.now(), whose origin is the
 * process start: `bootMs` is Node's own start-up until this script runs.
 *
 * Usage: node scripts/bench/cold-child.mjs [bundle-url]   (BENCH_KEY=1: a Create with a customer key)
 */
const bootMs = performance.now();
const { startFakeAws } = await import('./fake-aws.mjs');
const { BUNDLE_URL, cfnEvent, cpuMs, lambdaContext, peakRssMiB, properties, useFakeEnvironment } = await import('./events.mjs');

const fake = await startFakeAws();
useFakeEnvironment(fake.url);
const fakeReadyMs = performance.now();

const bundle = await import(process.argv[2] ?? BUNDLE_URL);
const importedMs = performance.now();

// BENCH_KEY=1 (used only by the size measurement) asks for a customer key instead.
const event = cfnEvent(fake.url, 'Create', properties({ key: process.env.BENCH_KEY === '1', sharing: true, retained: '10' }));
await bundle.handler(event, lambdaContext());
const response = await fake.response(event.RequestId);
const handledMs = performance.now();

const result = {
  status: response.Status,
  reason: response.Reason,
  bootMs,
  fakeMs: fakeReadyMs - bootMs,
  importMs: importedMs - fakeReadyMs,
  handleMs: handledMs - importedMs,
  totalMs: handledMs,
  awsCalls: fake.calls.length,
  peakRssMiB: peakRssMiB(),
  cpuMs: cpuMs(),
  heapUsedMiB: process.memoryUsage().heapUsed / 1048576,
};
process.stderr.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
