/**
 * The published package, as a consumer gets it: `npm pack`, installed into a fresh CDK app
 * (from the local npm cache, with the aws-cdk-lib and constructs versions this repository
 * uses), type-checked and synthesized. Needs `npm run build` first (`npm test` does it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const version = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

const CONTEXT = {
  env: 'dev',
  organizationPrefix: 'acme',
  applicationName: 'shop',
  environments: { dev: { account: '111111111111', region: 'eu-west-1', config: { ecr: { orders: { use_kms_key: true, images_retained: 10 } } } } },
};

/** The consumer's app: the constructs and the builder, through the package's entry point only. */
const APP_SOURCE = `
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplicationHelper, EcrBuilder, OrgEcrRepository, OrgEcrRepositoryProvider } from 'org-ecr-repository';

const app = new App({ outdir: 'cdk.out', context: ${JSON.stringify(CONTEXT)} });
const appHelper = new ApplicationHelper(app);
const stack = new Stack(app, 'Smoke', { env: appHelper.environment });
const provider = new OrgEcrRepositoryProvider(stack, 'Provider', {
  organizationPrefix: appHelper.organizationPrefix,
  environmentAccounts: appHelper.environmentAccounts(),
});
const built: OrgEcrRepository = new EcrBuilder()
  .setApplicationHelper(appHelper)
  .setBuilderConfig(appHelper.getFromEnv('ecr'))
  .setEcrRepoBaseName('orders')
  .setProvider(provider)
  .build(stack);
const direct = new OrgEcrRepository(stack, 'Direct', { applicationName: 'shop', repositoryBaseName: 'payments', provider });
direct.grantPull(new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
const uri: string = built.repositoryUri;
// Never called: only the compiler sees it.
export function typedProps(): OrgEcrRepository {
  // @ts-expect-error the props are typed: a number is not an application name
  return new OrgEcrRepository(stack, 'Typed', { applicationName: 1, repositoryBaseName: 'x' });
}
void uri;
app.synth();
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the npm package', () => {
  let files: string[];
  let appDirectory: string;

  beforeAll(() => {
    for (const built of ['lib/construct/index.js', 'lib/construct/index.d.ts', 'handler/dist/index.mjs']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before this test`);
    }
    const workDirectory = mkdtempSync(join(tmpdir(), 'org-ecr-pack-'));
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', workDirectory], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    if (packed === undefined) throw new Error('npm pack reported no tarball');
    files = packed.files.map((file) => file.path);

    appDirectory = join(workDirectory, 'app');
    mkdirSync(appDirectory);
    writeFileSync(
      join(appDirectory, 'package.json'),
      JSON.stringify({
        name: 'org-ecr-pack-smoke',
        private: true,
        dependencies: {
          'org-ecr-repository': `file:${join(workDirectory, packed.filename)}`,
          'aws-cdk-lib': version('aws-cdk-lib'),
          constructs: version('constructs'),
        },
      }),
    );
    writeFileSync(
      join(appDirectory, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', types: [], skipLibCheck: true, outDir: '.' },
        files: ['app.ts'],
      }),
    );
    writeFileSync(join(appDirectory, 'app.ts'), APP_SOURCE);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], appDirectory);
  }, 240_000);

  it('ships the compiled constructs, their types, the shared rules and the prebuilt bundle, and no sources or tests', () => {
    // GIVEN / WHEN: packed above
    // THEN
    for (const file of [
      'lib/construct/index.js',
      'lib/construct/index.d.ts',
      'lib/handler/src/contract.js',
      'lib/handler/src/props/rules.js',
      'lib/handler/src/props/settings.js',
      'handler/dist/index.mjs',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^(construct|test|handler\/src|scripts)\//.test(file) || file.startsWith('lib/construct/app/'))).toEqual([]);
  });

  it('type-checks a consumer app against the shipped declarations', () => {
    // GIVEN: the app written above
    // WHEN
    const compile = () => run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], appDirectory);
    // THEN (the @ts-expect-error line also proves the types are real, not `any`)
    expect(compile).not.toThrow();
  }, 120_000);

  it('synthesizes the provider with the shipped bundle and the repositories in a fresh app', () => {
    // GIVEN: app.js compiled by the previous test, or now
    if (!existsSync(join(appDirectory, 'app.js'))) run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], appDirectory);
    // WHEN
    run(process.execPath, ['app.js'], appDirectory);
    // THEN
    const output = join(appDirectory, 'cdk.out');
    const template = JSON.parse(readFileSync(join(output, 'Smoke.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const ofType = (type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type);
    expect(ofType('Custom::OrgEcrRepository')).toHaveLength(2);
    expect(ofType('AWS::Lambda::Function')[0]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'] });
    const assets = readdirSync(output).filter((name) => name.startsWith('asset.'));
    expect(assets.some((asset) => existsSync(join(output, asset, 'index.mjs')))).toBe(true);
  }, 120_000);
});
