/**
 * The benchmark's cold-start subjects each handle their one request successfully against the
 * fake: a subject that fails (the peer did, unnoticed, once the fake's repository grew tag
 * mutability) makes every cold-start comparison meaningless, and `npm run bench` only
 * reports it. One fresh process each, as the bench runs them; no timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'handler', 'dist', 'provider.mjs');

function runChild(file: string, env: Record<string, string> = {}): { status?: string; reason?: string; awsCalls?: number } {
  const child = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench', file)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  const line = child.stderr.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
  if (line === undefined) throw new Error(`${file} printed no BENCH_RESULT (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

describe('the benchmark cold-start subjects', () => {
  it('the peer (aws-cdk-lib\'s ECR auto-delete handler) answers SUCCESS to its Delete after its ECR calls', () => {
    const result = runChild('peer-child.mjs');
    expect({ status: result.status, reason: result.reason }).toEqual({ status: 'SUCCESS', reason: undefined });
    expect(result.awsCalls).toBeGreaterThanOrEqual(3);
  });

  it('the floor (fake + one response PUT) answers SUCCESS', () => {
    expect(runChild('floor-child.mjs').status).toBe('SUCCESS');
  });

  it('ours answers SUCCESS to a cold Create, with and without a customer key', () => {
    expect(existsSync(BUNDLE) ? 'built' : 'handler/dist/provider.mjs is missing: run `npm run build` (npm test does)').toBe('built');
    expect(runChild('cold-child.mjs').status).toBe('SUCCESS');
    expect(runChild('cold-child.mjs', { BENCH_KEY: '1' }).status).toBe('SUCCESS');
  });
});
