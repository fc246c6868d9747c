/**
 * `node --import ./scripts/bench/record-loads.mjs <script>`: records every module the script
 * loads into the file named by BENCH_LOAD_LOG (see load-hooks.mjs).
 */
import { register } from 'node:module';

register('./load-hooks.mjs', import.meta.url, { data: { logFile: process.env.BENCH_LOAD_LOG } });
