#!/usr/bin/env node
/**
 * Bundles the provider Lambda into handler/dist/ with esbuild: the bundle (provider.mjs), its
 * sourcemap, chunks that only some requests load (the KMS client, needed only for
 * customer-managed keys; the SDK's full credential chain), the Lambda entry index.mjs and
 * Node's compile cache for Lambda (scripts/compile-cache.mjs).
 *
 * Why the SDK clients are bundled, not taken from the Lambda runtime: the runtime's SDK
 * version moves under us without notice, while a bundle pins the exact versions the tests
 * ran against (package-lock.json). Measured on our machines (see README, Performance): the
 * bundled, module-first, split entry also loads faster than resolving the SDK's many files
 * from node_modules at cold start.
 *
 * Flags that matter:
 * - `mainFields: module,main`: without it esbuild takes the SDK's CommonJS build, about 60 %
 *   larger and slower to load, and its lazily imported chunks lose their named exports.
 * - `format: esm` + `splitting`: lets `await import('@aws-sdk/client-kms')` become a chunk
 *   that a Create without a customer key never loads.
 * - the banner gives ESM a `require` for the few CommonJS `require('node:...')` calls left.
 * - `target: node20`: the Lambda runs nodejs24.x; node20 syntax also loads on the Node.js 20
 *   the tests run on.
 * - Node built-ins are loaded with `require`, not `import`: on Node 22 and later an ESM import
 *   of `node:http` also loads Node's bundled undici (126 internal modules instead of 96),
 *   measured at 7-16 ms of a cold start on Node 24 (docs/performance.md); no change on Node 20.
 * - the SDK's default credential chain is built on its own: the clients' import of
 *   `@aws-sdk/credential-provider-node` resolves to handler/src/adapters/credentials.ts
 *   (environment credentials first), whose lazy `import('./credential-chain')` stays external
 *   and is bundled separately, as credential-chain.mjs next to the file that imports it. The
 *   chain (INI/SSO/STS/container/IMDS providers and the STS, SSO and sign-in clients) then
 *   shares no chunk with the eager path and loads only when the environment has no credentials.
 *
 * `--outdir DIR` builds elsewhere (experiments; `npm run bench -- --dist DIR` measures it).
 */
import { build } from 'esbuild';
import { entrySource, generateCompileCache } from './compile-cache.mjs';
import { builtinModules } from 'node:module';
import { mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag === -1 ? join(root, 'handler', 'dist') : resolve(process.argv[outdirFlag + 1]);
const adapters = join(root, 'handler', 'src', 'adapters');

rmSync(outdir, { recursive: true, force: true });
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const requireBuiltins = {
  name: 'require-builtins',
  setup(bundler) {
    bundler.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      !builtins.has(args.path) || args.namespace === 'builtin' || args.kind === 'require-call'
        ? undefined
        : { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'builtin' },
    );
    bundler.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** The clients' default credential provider -> ours; our lazy full chain -> a separate file. */
const splitCredentialChain = {
  name: 'split-credential-chain',
  setup(bundler) {
    bundler.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: join(adapters, 'credentials.ts') }));
    bundler.onResolve({ filter: /^\.\/credential-chain$/ }, (args) =>
      args.importer === join(adapters, 'credentials.ts') ? { path: './credential-chain.mjs', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
};
const result = await build({
  ...common,
  entryPoints: { provider: join(root, 'handler', 'src', 'index.ts') },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  plugins: [splitCredentialChain, requireBuiltins],
});
// The full chain goes next to the output file holding credentials.ts, whose `./credential-chain.mjs` it is.
const shimSource = relative(process.cwd(), join(adapters, 'credentials.ts')).split('\\').join('/');
const holder = Object.entries(result.metafile.outputs).find(([, info]) => shimSource in info.inputs)?.[0];
if (holder === undefined) throw new Error(`no output holds ${shimSource}: the credential split did not apply`);
const chain = await build({
  ...common,
  entryPoints: [join(adapters, 'credential-chain.ts')],
  outfile: join(dirname(resolve(holder)), 'credential-chain.mjs'),
  plugins: [requireBuiltins],
});
Object.assign(result.metafile.outputs, chain.metafile.outputs);

// index.mjs, the Lambda entry: turns on the shipped compile cache, then loads provider.mjs.
const provider = Object.entries(result.metafile.outputs).find(([output]) => resolve(output) === join(outdir, 'provider.mjs'))?.[1];
writeFileSync(join(outdir, 'index.mjs'), entrySource(provider.exports));
console.log(generateCompileCache({ root, outdir }));
// The metafile (what went into the bundle, for the size benchmark) stays out of the Lambda asset.
if (outdirFlag === -1) {
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(join(root, 'build', 'handler-meta.json'), JSON.stringify(result.metafile));
}

let total = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.mjs')) total += statSync(path).size;
  }
};
walk(outdir);
const entry = statSync(join(outdir, 'provider.mjs')).size;
console.log(`handler bundle: ${relative(root, outdir)}/provider.mjs ${entry} B; all .mjs files ${total} B`);
