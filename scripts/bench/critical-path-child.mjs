/**
 * Critical path, run as its own process by bench.mjs: every AWS call answered after the same
 * fixed latency, the number of sequential round trips each event takes. The state an event
 * needs (the repository an Update or Delete finds) is set up first with no latency, then the
 * call log is cleared and only the measured event counts.
 *
 * Prints one line `BENCH_RESULT {json}` on stderr.
 *
 * Usage: node scripts/bench/critical-path-child.mjs <latencyMs> [bundle-url]
 */
import { sequentialRounds, startFakeAws } from './fake-aws.mjs';
import { BUNDLE_URL, cfnEvent, lambdaContext, properties, useFakeEnvironment } from './events.mjs';

const latencyMs = Number(process.argv[2] ?? 50);
const fake = await startFakeAws();
useFakeEnvironment(fake.url, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
const { createHandler } = await import(process.argv[3] ?? BUNDLE_URL);

/** Each scenario: its target, the events that set the stage, and the measured event. */
const SCENARIOS = [
  {
    name: 'Create: key + sharing + retention',
    target: 3,
    measured: () => ['Create', properties({ base: 'with-key', key: true, sharing: true, retained: '10' })],
  },
  {
    name: 'Create: no key, sharing + retention',
    target: 2,
    measured: () => ['Create', properties({ base: 'no-key', key: false, sharing: true, retained: '10' })],
  },
  {
    name: 'Create: no key, retention only',
    target: 2,
    measured: () => ['Create', properties({ base: 'retention-only', key: false, sharing: false, retained: '10' })],
  },
  {
    // Retention changed, sharing turned off, a tag changed: every in-place property at once.
    name: 'Update in place: no key',
    target: 2,
    setup: [['Create', properties({ base: 'update-no-key', key: false, sharing: true, retained: '10' })]],
    measured: () => [
      'Update',
      properties({ base: 'update-no-key', key: false, sharing: false, retained: '5', tags: [{ Key: 'team', Value: 'checkout' }] }),
      { physicalId: 'acme-shop-update-no-key', oldProps: properties({ base: 'update-no-key', key: false, sharing: true, retained: '10' }) },
    ],
  },
  {
    // Sharing off: the repository policy goes and the key policy follows.
    name: 'Update in place: key',
    target: 2,
    setup: [['Create', properties({ base: 'update-key', key: true, sharing: true, retained: '10' })]],
    measured: () => [
      'Update',
      properties({ base: 'update-key', key: true, sharing: false, retained: '5' }),
      { physicalId: 'acme-shop-update-key', oldProps: properties({ base: 'update-key', key: true, sharing: true, retained: '10' }) },
    ],
  },
  {
    // Issue 10: the compliant defaults (IMMUTABLE in CreateRepository, the untagged rule beside the parameters).
    name: 'Create: only the two required properties',
    target: 2,
    measured: () => ['Create', { ApplicationName: 'shop', RepositoryBaseName: 'bare' }],
  },
  {
    // Tag mutability changes ride the first round with the other in-place changes.
    name: 'Update in place: tag mutability',
    target: 2,
    setup: [['Create', properties({ base: 'update-mutability', key: false, sharing: false })]],
    measured: () => [
      'Update',
      { ...properties({ base: 'update-mutability', key: false, sharing: false }), ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['latest'] },
      { physicalId: 'acme-shop-update-mutability', oldProps: properties({ base: 'update-mutability', key: false, sharing: false }) },
    ],
  },
  {
    name: 'Delete: no key',
    target: 2,
    setup: [['Create', properties({ base: 'delete-no-key', key: false })]],
    measured: () => ['Delete', properties({ base: 'delete-no-key', key: false }), { physicalId: 'acme-shop-delete-no-key' }],
  },
  {
    name: 'Delete: key',
    target: 2,
    note: 'by design: the key deletion is scheduled only once the repository is gone',
    setup: [['Create', properties({ base: 'delete-key', key: true })]],
    measured: () => ['Delete', properties({ base: 'delete-key', key: true }), { physicalId: 'acme-shop-delete-key' }],
  },
];

async function handle(handler, [type, props, options]) {
  const event = cfnEvent(fake.url, type, props, options);
  await handler(event, lambdaContext());
  return fake.response(event.RequestId);
}

const results = [];
for (const scenario of SCENARIOS) {
  // A fresh handler per scenario, like a fresh Lambda environment.
  const handler = createHandler();
  fake.configure({ latencyMs: 0 });
  for (const step of scenario.setup ?? []) {
    const response = await handle(handler, step);
    if (response.Status !== 'SUCCESS') throw new Error(`setup of "${scenario.name}" failed: ${response.Reason}`);
  }
  fake.resetCalls();
  fake.configure({ latencyMs });
  const started = performance.now();
  const response = await handle(handler, scenario.measured());
  const elapsedMs = performance.now() - started;
  const calls = fake.calls.map(({ service, operation, start, end, status }) => ({
    call: `${service}.${operation}`,
    startMs: Math.round(start - started),
    endMs: Math.round(end - started),
    status,
  }));
  results.push({
    name: scenario.name,
    target: scenario.target,
    ...(scenario.note ? { note: scenario.note } : {}),
    status: response.Status,
    ...(response.Reason ? { reason: response.Reason } : {}),
    rounds: sequentialRounds(fake.calls),
    elapsedMs,
    elapsedOverLatency: elapsedMs / latencyMs,
    awsCalls: fake.calls.length,
    calls,
  });
}

await fake.close();
process.stderr.write(`BENCH_RESULT ${JSON.stringify({ latencyMs, scenarios: results })}\n`, () => process.exit(0));
