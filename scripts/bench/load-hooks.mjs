/**
 * Module loader hooks for the size benchmark (registered by record-loads.mjs): append the URL
 * of every module Node loads to a file, so the benchmark can add up the bundle files a
 * request really loads. Runs on Node's hooks thread, hence the synchronous file append.
 */
import { appendFileSync } from 'node:fs';

let logFile;

export async function initialize(data) {
  logFile = data.logFile;
}

export async function load(url, context, nextLoad) {
  appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
