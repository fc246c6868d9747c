#!/usr/bin/env node
/**
 * Runs the BUILT provider bundle (handler/dist/index.mjs) on the events given as a JSON array
 * on stdin, one after another in this fresh process, as the Lambda runtime would. Each event
 * carries its own ResponseURL (the test's loopback server). Lambda context is simulated with
 * the budget given in REMAINING_MS. START_DELAY_MS waits that long once the bundle is loaded
 * (jitter between processes started together, as two Lambda environments would be);
 * START_AT (epoch ms) first waits until then, so processes that load at different speeds still
 * start handling their events at the same moment.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'handler', 'dist', 'index.mjs');
const events = JSON.parse(readFileSync(0, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
const budget = Number(process.env.REMAINING_MS ?? 60_000);
const startAt = Number(process.env.START_AT ?? 0);
if (startAt > Date.now()) await sleep(startAt - Date.now());
const delay = Number(process.env.START_DELAY_MS ?? 0);
if (delay > 0) await sleep(delay);
for (const event of events) {
  const started = Date.now();
  await handler(event, {
    getRemainingTimeInMillis: () => budget - (Date.now() - started),
    awsRequestId: `integ-${started}`,
    logStreamName: 'integ/stream',
    logGroupName: '/aws/lambda/integ',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:integ',
  });
}
