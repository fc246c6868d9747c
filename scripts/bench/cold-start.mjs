/**
 * The cold-start measurement of bench.mjs: fresh processes, timed from spawn to exit by the
 * parent, interleaved so drift in the machine's load hits every subject alike; medians.
 *
 * Subjects (each one fresh `node` per run):
 * - `bare`: `node -e 0`, Node's own start;
 * - `floor`: the harness alone: start the in-process fake, PUT one response (floor-child.mjs);
 * - `ours`: fake + import our bundle + handle one Create without a key (cold-child.mjs);
 * - `peer`: fake + aws-cdk-lib's ECR auto-delete-images handler handling one Delete (peer-child.mjs).
 *
 * Each subject runs on every node given (`--node`) and in both environments of
 * environments.mjs (`lambda`, the clean one, and `machine`), in one interleaved loop.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { canRunAsLambdaUser, LAMBDA_GID, LAMBDA_UID, lambdaEnvironment, lambdaNodeFlags, machineOnlyVariables } from './environments.mjs';

/** Issue 12: in the clean (Lambda) environment, a cold Create at most 4x a bare node start. */
export const COLD_START_TARGET_RATIO = 4.0;

export const SUBJECTS = ['bare', 'floor', 'ours', 'peer'];
/** `node -e 0` that also reports its CPU time (nothing a bare start would not do). */
const BARE_SCRIPT = "const c=process.cpuUsage();process.stderr.write('BENCH_RESULT '+JSON.stringify({status:'SUCCESS',cpuMs:(c.user+c.system)/1000}))";
export const ENVIRONMENTS = ['lambda', 'machine'];

/**
 * @param {{ nodes: {path: string, version: string, major: number}[], runs: number, root: string, dist: string, bundleUrl: string, log: (m: string) => void }} options
 */
export function measureColdStarts({ nodes, runs, root, dist, bundleUrl, log }) {
  const asLambdaUser = canRunAsLambdaUser(root, nodes.map((node) => node.path));
  const setups = [];
  for (const node of nodes) {
    for (const environment of ENVIRONMENTS) setups.push(setup(node, environment));
  }
  const samples = new Map(setups.map((item) => [item.key, Object.fromEntries(SUBJECTS.map((subject) => [subject, []]))]));

  function setup(node, environment) {
    const clean = environment === 'lambda';
    return {
      key: `${node.version}/${environment}`,
      node,
      environment,
      flags: clean ? lambdaNodeFlags() : [],
      env: clean ? lambdaEnvironment({ taskRoot: dist, nodeMajor: node.major }) : { ...process.env },
      identity: clean && asLambdaUser ? { uid: LAMBDA_UID, gid: LAMBDA_GID } : {},
    };
  }

  function once(item, subject) {
    const args = {
      bare: ['-e', BARE_SCRIPT],
      floor: [join(root, 'scripts', 'bench', 'floor-child.mjs')],
      ours: [join(root, 'scripts', 'bench', 'cold-child.mjs'), bundleUrl],
      peer: [join(root, 'scripts', 'bench', 'peer-child.mjs')],
    }[subject];
    const started = process.hrtime.bigint();
    const child = spawnSync(item.node.path, [...item.flags, ...args], {
      cwd: root,
      env: item.env,
      ...item.identity,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = child.stderr.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
    if (child.status !== 0 || line === undefined) {
      throw new Error(`${subject} (${item.key}) failed (exit ${child.status}):\n${child.stderr.slice(-3000)}`);
    }
    return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), wallMs };
  }

  // Warm the file cache and the binaries' pages: not costs a Lambda environment pays per start.
  for (let round = 0; round < 2; round++) for (const item of setups) for (const subject of SUBJECTS) once(item, subject);
  for (let round = 0; round < runs; round++) {
    if (round % 5 === 0) log(`  cold start: round ${round + 1} of ${runs}`);
    for (const item of setups) {
      // Rotate the order each round: no subject always runs right after another.
      for (let index = 0; index < SUBJECTS.length; index++) {
        const subject = SUBJECTS[(index + round) % SUBJECTS.length];
        samples.get(item.key)[subject].push(once(item, subject));
      }
    }
  }

  const clean = lambdaEnvironment({ taskRoot: dist, nodeMajor: nodes[0].major });
  return {
    runs,
    lambdaUser: asLambdaUser ? { uid: LAMBDA_UID, gid: LAMBDA_GID } : null,
    currentUid: process.getuid?.() ?? null,
    lambdaFlags: lambdaNodeFlags(),
    lambdaVariables: Object.keys(clean),
    machineOnlyVariables: machineOnlyVariables(clean),
    results: setups.map((item) => ({ ...summarize(item, samples.get(item.key)), compileCache: compileCacheUse(item) })),
  };

  /** One more cold Create with Node's compile-cache log on: which bundle modules used the shipped cache. */
  function compileCacheUse(item) {
    const child = spawnSync(item.node.path, [...item.flags, join(root, 'scripts', 'bench', 'cold-child.mjs'), bundleUrl], {
      cwd: root,
      env: { ...item.env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
      ...item.identity,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = child.stderr.split('\n').filter((line) => line.startsWith('[compile cache]') && line.includes(dist));
    return {
      accepted: lines.filter((line) => line.includes('was accepted')).length,
      notAccepted: lines.filter((line) => /was rejected|was not initialized/.test(line)).length,
    };
  }
}

function summarize(item, bySubject) {
  const bareMs = median(bySubject.bare.map((run) => run.wallMs));
  const bareCpuMs = median(bySubject.bare.map((run) => run.cpuMs));
  const subjects = { bare: { ms: bareMs, ratio: 1, cpuMs: bareCpuMs, cpuRatio: 1, spread: spread(bySubject.bare) } };
  for (const subject of SUBJECTS.slice(1)) {
    const runs = bySubject[subject];
    const pick = (field) => median(runs.map((run) => run[field]));
    const ms = pick('wallMs');
    subjects[subject] = {
      ms,
      ratio: ms / bareMs,
      cpuMs: pick('cpuMs'),
      cpuRatio: pick('cpuMs') / bareCpuMs,
      spread: spread(runs),
      phases: { bootMs: pick('bootMs'), fakeMs: pick('fakeMs'), importMs: pick('importMs'), handleMs: pick('handleMs') },
      awsCalls: runs[0].awsCalls,
      peakRssMiB: pick('peakRssMiB'),
      failures: runs.filter((run) => run.status !== 'SUCCESS').map((run) => run.reason ?? run.status),
    };
  }
  return { node: item.node.version, major: item.node.major, environment: item.environment, flags: item.flags, uid: item.identity.uid ?? process.getuid?.() ?? null, subjects };
}

function spread(runs) {
  const values = runs.map((run) => run.wallMs);
  return [Math.min(...values), Math.max(...values)];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Issue 12's targets, for each node in the clean (Lambda) environment. */
export function coldStartTargets(result) {
  return result.coldStart.results
    .filter((cold) => cold.environment === 'lambda')
    .flatMap((cold) => {
      const { ours, peer } = cold.subjects;
      const ok = ours.failures.length === 0 && peer.failures.length === 0;
      return [
        {
          id: `coldStart:${cold.node}`,
          target: `cold Create <= ${COLD_START_TARGET_RATIO}x bare node (clean environment, Node ${cold.node})`,
          value: `${ours.ratio.toFixed(2)}x`,
          met: ours.ratio <= COLD_START_TARGET_RATIO && ok,
        },
        {
          id: `coldStartPeer:${cold.node}`,
          target: `cold Create ahead of the peer (clean environment, Node ${cold.node})`,
          value: `${ours.ms.toFixed(0)} vs ${peer.ms.toFixed(0)} ms`,
          met: ours.ms < peer.ms && ok,
        },
      ];
    });
}

/** The cold-start table: every node and environment, every subject, in ms and x bare node. */
export function coldStartTable(coldStart) {
  const ms = (value) => `${value.toFixed(0)} ms`;
  const cell = (subject) => (subject.ratio === 1 ? ms(subject.ms) : `${ms(subject.ms)} (${subject.ratio.toFixed(2)}x)`);
  const label = { lambda: 'clean (Lambda)', machine: 'this machine' };
  const header = ['Node', 'Environment', 'bare `node -e 0`', 'floor: fake + response PUT', 'ours: import + one Create', 'peer: CDK auto-delete, one Delete', 'ours: start / fake / import / handle', 'CPU: bare / floor / ours / peer'];
  const rows = coldStart.results.map((cold) => {
    const { bare, floor, ours, peer } = cold.subjects;
    const phases = ours.phases;
    const cpu = `${[bare, floor, ours, peer].map((subject) => subject.cpuMs.toFixed(0)).join(' / ')} ms (ours ${ours.cpuRatio.toFixed(2)}x, peer ${peer.cpuRatio.toFixed(2)}x)`;
    return [cold.node, label[cold.environment], cell(bare), cell(floor), cell(ours), cell(peer), [phases.bootMs, phases.fakeMs, phases.importMs, phases.handleMs].map((value) => value.toFixed(0)).join(' / ') + ' ms', cpu];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column].length)));
  const line = (cells) => `| ${cells.map((text, column) => text.padEnd(widths[column])).join(' | ')} |`;
  const unset = coldStart.machineOnlyVariables;
  const user = coldStart.lambdaUser ? `uid ${coldStart.lambdaUser.uid}, gid ${coldStart.lambdaUser.gid} (Lambda's sbx_user1051)` : `uid ${coldStart.currentUid} (Lambda's uid 993 not possible here: not root, or uid 993 cannot read the checkout; the compile cache is copied for this uid)`;
  return [
    `Cold start, medians of ${coldStart.runs} interleaved runs, spawn to exit (x = times bare node in the same environment; CPU = the process's user + system time, all threads, which a busy machine disturbs less than wall time):`,
    `- clean (Lambda): only ${coldStart.lambdaVariables.join(', ')} (plus the harness's AWS settings); node ${coldStart.lambdaFlags.join(' ')}; run as ${user}.`,
    `  Unset from this machine's environment: ${unset.listed.join(', ') || '(none)'}${unset.npmCount > 0 ? ` and ${unset.npmCount} npm_* variables of \`npm run\`` : ''}.`,
    '- this machine: its environment as it is, no extra flags, the current user.',
    `- Node's compile cache shipped in the bundle (one more cold Create with NODE_DEBUG_NATIVE=COMPILE_CACHE): ${coldStart.results.map((cold) => `${cold.node} ${label[cold.environment]}: ${cold.compileCache.accepted + cold.compileCache.notAccepted === 0 ? 'not used' : `${cold.compileCache.accepted} of ${cold.compileCache.accepted + cold.compileCache.notAccepted} bundle files accepted`}`).join('; ')}.`,
    '',
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ];
}
