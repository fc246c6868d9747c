#!/usr/bin/env node
/**
 * Puts one benchmark run into the docs: the text between `<!-- bench-run:begin -->` and
 * `<!-- bench-run:end -->` in README.md and docs/performance.md becomes `intro`, a blank line
 * and the run's text output, so both files always show the same run.
 *
 *   node scripts/bench/bench.mjs --node 24 --node current > /tmp/bench.txt
 *   node scripts/bench/write-docs.mjs /tmp/bench.txt "One sentence: command, date, machine, load."
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BEGIN = '<!-- bench-run:begin -->';
export const END = '<!-- bench-run:end -->';
export const DOCS = ['README.md', join('docs', 'performance.md')];

/**
 * `document` with its one bench-run block replaced by `intro` and `run`.
 * @throws when the document has no block, or more than one.
 */
export function replaceBenchBlock(document, intro, run) {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (begin < 0 || end < begin || document.indexOf(BEGIN, begin + 1) >= 0) {
    throw new Error(`expected exactly one ${BEGIN} ... ${END} block`);
  }
  const body = [intro.trim(), '', run.trim()].join('\n');
  return `${document.slice(0, begin + BEGIN.length)}\n${body}\n${document.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [runFile, intro] = process.argv.slice(2);
  if (!runFile || !intro) {
    process.stderr.write('usage: node scripts/bench/write-docs.mjs BENCH_OUTPUT_FILE "INTRO SENTENCE"\n');
    process.exit(2);
  }
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  const run = readFileSync(runFile, 'utf8');
  for (const file of DOCS) {
    const path = join(root, file);
    writeFileSync(path, replaceBenchBlock(readFileSync(path, 'utf8'), intro, run));
    process.stdout.write(`updated ${file}\n`);
  }
}
