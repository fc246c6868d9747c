/**
 * The README and docs/performance.md show the same benchmark run (scripts/bench/write-docs.mjs
 * writes both from one `bench.mjs` output), so neither can quote figures the other contradicts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BEGIN = '<!-- bench-run:begin -->';
const END = '<!-- bench-run:end -->';

function benchBlock(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return text.slice(begin + BEGIN.length, end).trim();
}

describe('the benchmark run in the docs', () => {
  it('is the same run in README.md and docs/performance.md', () => {
    expect(benchBlock('README.md')).toBe(benchBlock(join('docs', 'performance.md')));
  });

  it('quotes a run whose cold start ran in the clean (Lambda) environment on Node 24', () => {
    const block = benchBlock('docs/performance.md');
    expect(block).toMatch(/\| v24\.\d+\.\d+ \| clean \(Lambda\)/);
    expect(block).toMatch(/Targets met: \d+ of \d+/);
  });
});
