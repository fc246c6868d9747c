/**
 * `npm run package:jsii`: the construct library for every CDK language.
 *
 * jsii needs a project of its own (one rootDir, its own tsconfig, a `jsii` block in
 * package.json), so the library's sources are copied into a staging folder and compiled there;
 * the Lambda build, `tsc -p tsconfig.build.json` and ts-jest stay as they are. Steps:
 *
 * 1. Stage construct/*.ts (not the app), the shared handler modules and the prebuilt Lambda
 *    bundle (handler/dist, which the provider construct deploys) under `{out}/staging`, with a
 *    package.json derived from ours (same name, version, peer range and repository).
 * 2. `jsii`: compiles and writes the assembly `.jsii`, the source of every language binding.
 * 3. `jsii-pacmak --targets js,python --code-only`: the npm tarball (the JavaScript the other
 *    languages run) and the Python package's source. `--code-only` because pacmak's own Python
 *    build pip-installs pinned build tools, which cannot be reached here.
 * 4. The Python sdist and wheel with Debian's build tools, when they are installed
 *    (`apt-get install python3-build twine`); otherwise this step says it is skipped and why.
 *
 * 5. `jsii-docgen`: the API reference from the assembly; `--api-md API.md` writes it to the
 *    committed API.md (`npm run package:jsii`), which test/pack/jsii.test.ts keeps current.
 *
 * Usage: `tsx scripts/build-jsii.ts [--out DIR] [--no-wheel] [--api-md FILE]` (default DIR: build/jsii).
 * Needs `npm run build` first (the Lambda bundle). Java, .NET and Go are not built: their
 * toolchains (Maven, dotnet, go) are not on this machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * The shared handler modules the library imports: the ones package.json ships compiled
 * (`lib/handler/src/....js`), so the npm package and the jsii build cannot disagree.
 */
export function sharedHandlerSources(): string[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  return root.files.flatMap((file) => {
    const match = /^lib\/(handler\/src\/.+)\.js$/.exec(file);
    return match?.[1] === undefined ? [] : [`${match[1]}.ts`];
  });
}

/** Python distribution and module names (PyPI: `pip install org-ecr-repository`). */
export const PYTHON_DIST_NAME = 'org-ecr-repository';
export const PYTHON_MODULE = 'org_ecr_repository';

/** Debian's python3: a pyenv python3 earlier on PATH does not see Debian's build and twine. */
const SYSTEM_PYTHON = '/usr/bin/python3';

export interface JsiiBuildResult {
  readonly stagingDir: string;
  readonly assemblyFile: string;
  readonly jsTarball: string;
  readonly pythonSourceDir: string;
  /** The wheel and sdist, or why they were not built. */
  readonly wheel: { readonly built: true; readonly files: string[] } | { readonly built: false; readonly reason: string };
  /** The API reference jsii-docgen generated from the assembly (TypeScript names). */
  readonly apiReference: string;
}

interface RootPackage {
  name: string;
  version: string;
  description: string;
  license: string;
  author?: unknown;
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  keywords?: string[];
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

function libraryFiles(): string[] {
  const construct = readdirSync(join(ROOT, 'construct')).filter((name) => name.endsWith('.ts')).map((name) => `construct/${name}`);
  return [...construct, ...sharedHandlerSources()];
}

/** Writes the staging project: sources, bundle, README, LICENSE, package.json, node_modules link. */
export function stage(stagingDir: string): void {
  const bundle = join(ROOT, 'handler', 'dist', 'index.mjs');
  if (!existsSync(bundle)) throw new Error(`${relative(ROOT, bundle)} is missing: run \`npm run build\` first`);
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(stagingDir, { recursive: true });
  for (const file of libraryFiles()) cpSync(join(ROOT, file), join(stagingDir, file));
  cpSync(join(ROOT, 'handler', 'dist'), join(stagingDir, 'handler', 'dist'), { recursive: true });
  for (const file of ['README.md', 'LICENSE']) cpSync(join(ROOT, file), join(stagingDir, file));
  symlinkSync(join(ROOT, 'node_modules'), join(stagingDir, 'node_modules'), 'dir');

  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootPackage;
  const staged = {
    name: root.name,
    version: root.version,
    description: root.description,
    license: root.license,
    author: root.author,
    repository: root.repository,
    homepage: root.homepage,
    bugs: root.bugs,
    keywords: root.keywords,
    main: 'lib/construct/index.js',
    types: 'lib/construct/index.d.ts',
    files: ['lib/**/*.js', 'lib/**/*.d.ts', 'handler/dist/**', '.jsii', 'README.md', 'LICENSE'],
    peerDependencies: root.peerDependencies,
    // jsii wants the exact versions it compiles against as devDependencies (warning JSII6).
    devDependencies: Object.fromEntries(Object.keys(root.peerDependencies).map((name) => [name, root.devDependencies[name]])),
    jsii: {
      outdir: 'dist',
      // Our own tsconfig (jsii's generated one targets ES2020: no `Error` `cause`).
      tsconfig: 'tsconfig.json',
      validateTsconfig: 'minimal',
      targets: { python: { distName: PYTHON_DIST_NAME, module: PYTHON_MODULE } },
    },
  };
  writeFileSync(join(stagingDir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  writeFileSync(join(stagingDir, 'tsconfig.json'), `${JSON.stringify(STAGING_TSCONFIG, null, 2)}\n`);
}

/** The compiler options of tsconfig.build.json that matter for the emitted code, plus what jsii requires. */
const STAGING_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    noImplicitOverride: true,
    esModuleInterop: true,
    skipLibCheck: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: false,
    types: ['node'],
    rootDir: '.',
    outDir: 'lib',
  },
  include: ['construct/**/*.ts', 'handler/src/**/*.ts'],
  exclude: ['node_modules', 'lib', 'dist'],
};

const QUIET_JSII = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_SUPPRESS_UPGRADE_PROMPT: 'true' };

function bin(name: string): string {
  return join(ROOT, 'node_modules', '.bin', name);
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: QUIET_JSII, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${basename(command)} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`);
  }
}

/** Why the wheel cannot be built on this machine, or undefined when it can. */
export function wheelToolsMissing(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} is not installed`;
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import build, setuptools, wheel'], { encoding: 'utf8' });
  if (probe.status !== 0) return `Debian's Python build tools are missing (${probe.stderr.trim().split('\n').pop()}); install them with \`apt-get install python3-build\``;
  return undefined;
}

/**
 * The seed's Python names that jsii cannot generate (it rejects `setXxx`, Java's property
 * setters, and `build`, Java's generated builders): added to the generated `EcrBuilder` as
 * aliases of the methods jsii does generate, so they keep their signatures and type hints.
 */
export const PYTHON_SEED_ALIASES: Readonly<Record<string, string>> = {
  set_application_helper: 'with_application_helper',
  set_builder_config: 'with_builder_config',
  set_ecr_repo_base_name: 'with_ecr_repo_base_name',
  set_provider: 'with_provider',
  set_service_token: 'with_service_token',
  set_usage: 'with_usage',
  build: 'build_repository',
};

/** Adds {@link PYTHON_SEED_ALIASES} at the end of `class EcrBuilder` in the generated module. */
export function addPythonSeedAliases(source: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith('class EcrBuilder('));
  if (start < 0) throw new Error('the generated Python module has no `class EcrBuilder`');
  let end = lines.findIndex((line, index) => index > start && line !== '' && !/^\s/.test(line));
  if (end < 0) end = lines.length;
  while (end > start && lines[end - 1] === '') end--;
  const body = lines.slice(start, end).join('\n');
  const aliases = Object.entries(PYTHON_SEED_ALIASES).map(([alias, target]) => {
    if (!new RegExp(`\\n    def ${target}\\(`).test(body)) throw new Error(`EcrBuilder has no method ${target} to alias as ${alias}`);
    return `    ${alias} = ${target}`;
  });
  const block = ['', "    # The seed's names, which jsii cannot generate (added by scripts/build-jsii.ts).", ...aliases];
  return [...lines.slice(0, end), ...block, ...lines.slice(end)].join('\n');
}

function buildWheel(pythonSourceDir: string, outDir: string): JsiiBuildResult['wheel'] {
  const missing = wheelToolsMissing();
  if (missing !== undefined) return { built: false, reason: missing };
  const wheelhouse = join(outDir, 'python-dist');
  rmSync(wheelhouse, { recursive: true, force: true });
  // --no-isolation: the build tools come from Debian, not from pip (no index is reachable here).
  run(SYSTEM_PYTHON, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', wheelhouse, pythonSourceDir], pythonSourceDir);
  const files = readdirSync(wheelhouse).map((name) => join(wheelhouse, name));
  if (spawnSync(SYSTEM_PYTHON, ['-c', 'import twine'], { encoding: 'utf8' }).status === 0) {
    run(SYSTEM_PYTHON, ['-m', 'twine', 'check', '--strict', ...files], wheelhouse);
  }
  return { built: true, files };
}

export function buildJsii(outDir: string, options: { wheel?: boolean } = {}): JsiiBuildResult {
  const stagingDir = join(outDir, 'staging');
  stage(stagingDir);
  run(bin('jsii'), ['--silence-warnings=reserved-word'], stagingDir);
  const packages = join(outDir, 'packages');
  rmSync(packages, { recursive: true, force: true });
  run(bin('jsii-pacmak'), ['--targets', 'js', '--targets', 'python', '--code-only', '--outdir', packages, '--no-fingerprint', '--rosetta-unknown-snippets', 'verbatim'], stagingDir);
  const jsDir = join(packages, 'js');
  const jsTarball = readdirSync(jsDir).find((name) => name.endsWith('.tgz'));
  if (jsTarball === undefined) throw new Error(`jsii-pacmak wrote no npm tarball to ${jsDir}`);
  const pythonSourceDir = join(packages, 'python');
  const pythonModule = join(pythonSourceDir, 'src', PYTHON_MODULE, '__init__.py');
  writeFileSync(pythonModule, addPythonSeedAliases(readFileSync(pythonModule, 'utf8')));
  const wheel = options.wheel === false ? { built: false as const, reason: 'the wheel was not asked for (--no-wheel)' } : buildWheel(pythonSourceDir, outDir);
  const apiReference = join(outDir, 'API.md');
  run(bin('jsii-docgen'), ['--language', 'typescript', '--output', apiReference], stagingDir);
  return { stagingDir, assemblyFile: join(stagingDir, '.jsii'), jsTarball: join(jsDir, jsTarball), pythonSourceDir, wheel, apiReference };
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 && args[index + 1] !== undefined ? join(process.cwd(), args[index + 1] as string) : undefined;
  };
  const outDir = option('--out') ?? join(ROOT, 'build', 'jsii');
  const apiMarkdown = option('--api-md');
  const started = Date.now();
  const result = buildJsii(outDir, { wheel: !args.includes('--no-wheel') });
  const show = (path: string) => relative(process.cwd(), path);
  console.log(`jsii assembly: ${show(result.assemblyFile)}`);
  console.log(`npm package (jsii): ${show(result.jsTarball)}`);
  console.log(`Python package source: ${show(result.pythonSourceDir)}`);
  if (result.wheel.built) console.log(`Python sdist and wheel: ${result.wheel.files.map(show).join(', ')}`);
  else console.log(`Python sdist and wheel: skipped, ${result.wheel.reason}`);
  if (apiMarkdown !== undefined) {
    cpSync(result.apiReference, apiMarkdown);
    console.log(`API reference: ${show(apiMarkdown)}`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) main();
