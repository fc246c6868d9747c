#!/usr/bin/env node
/**
 * Bundles the provider Lambda into handler/dist/ with esbuild: one ESM entry (index.mjs), its
 * sourcemap, and chunks that only some requests load (the KMS client, needed only for
 * customer-managed keys).
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
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'handler', 'dist');

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

const result = await build({
  entryPoints: { index: join(root, 'handler', 'src', 'index.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  plugins: [requireBuiltins],
  logLevel: 'warning',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});
// The metafile (what went into the bundle, for the size benchmark) stays out of the Lambda asset.
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build', 'handler-meta.json'), JSON.stringify(result.metafile));

let total = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.mjs')) total += statSync(path).size;
  }
};
walk(outdir);
const entry = statSync(join(outdir, 'index.mjs')).size;
console.log(`handler bundle: handler/dist/index.mjs ${entry} B; all chunks ${total} B`);
