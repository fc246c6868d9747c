/**
 * Scale, run as its own process by bench.mjs: many Creates at once, each through its own
 * createHandler() (its own SDK clients, retry budget and logger, like separate Lambda
 * execution environments), while a fraction of AWS calls first answer ThrottlingException.
 *
 * Prints one line `BENCH_RESULT {json}` on stderr.
 *
 * Usage: node scripts/bench/scale-child.mjs <count> <throttleFraction> <latencyMs> [bundle-url]
 */
import { startFakeAws } from './fake-aws.mjs';
import { BUNDLE_URL, cfnEvent, lambdaContext, peakRssMiB, properties, useFakeEnvironment } from './events.mjs';

const count = Number(process.argv[2] ?? 100);
const throttleFraction = Number(process.argv[3] ?? 0.3);
const latencyMs = Number(process.argv[4] ?? 50);
const fake = await startFakeAws({ latencyMs, throttleFraction, seed: 2024 });
// 100 environments' INFO logs would only measure the terminal; the cold start keeps them.
useFakeEnvironment(fake.url, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
const { createHandler } = await import(process.argv[5] ?? BUNDLE_URL);

// The heaviest Create: a customer key (the KMS client loads in every environment), sharing
// and retention: 8 AWS calls in 3 rounds when nothing is throttled.
const runs = Array.from({ length: count }, (_, index) => {
  const handler = createHandler();
  const props = properties({ base: `service-${String(index).padStart(3, '0')}`, key: true, sharing: true, retained: '10' });
  return { handler, event: cfnEvent(fake.url, 'Create', props, { logicalId: `Repository${index}` }) };
});

const started = performance.now();
const cpuBefore = process.cpuUsage();
const outcomes = await Promise.all(
  runs.map(async ({ handler, event }) => {
    const begin = performance.now();
    await handler(event, lambdaContext());
    const response = await fake.response(event.RequestId);
    return { ms: performance.now() - begin, status: response.Status, reason: response.Reason };
  }),
);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);

const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
const percentile = (p) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
const failures = outcomes.filter((outcome) => outcome.status !== 'SUCCESS');
const attempts = fake.calls.length;
const throttled = fake.calls.filter((call) => call.error === 'ThrottlingException').length;
const retries = fake.calls.filter((call) => call.attempt > 1).length;

const result = {
  count,
  throttleFraction,
  latencyMs,
  succeeded: count - failures.length,
  failures: failures.slice(0, 5).map((failure) => failure.reason),
  requests: attempts,
  throttled,
  retries,
  // Calls answered with an error other than throttling (a fake or provider problem).
  otherErrors: fake.calls.filter((call) => call.status !== 200 && call.error !== 'ThrottlingException').map((call) => `${call.service}.${call.operation}: ${call.error}`).slice(0, 5),
  p50Ms: percentile(50),
  p95Ms: percentile(95),
  maxMs: times.at(-1),
  wallMs,
  // One thread serves every environment here; on Lambda each has its own CPU.
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssMiB: peakRssMiB(),
};
await fake.close();
process.stderr.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
