/**
 * The published package, as a consumer gets it: `npm pack`, installed into a fresh CDK app
 * (from the local npm cache), type-checked and synthesized, twice: with the aws-cdk-lib and
 * constructs versions this repository develops with, and with the lowest ones our peer range
 * accepts (package.json `peerDependencies`), which proves the range. Needs `npm run build`
 * first (`npm test` does it); the lowest versions come from the npm registry the first time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const version = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };

/** The lowest version a caret range (`^2.174.0`) accepts. */
function lowest(name: string): string {
  const range = manifest.peerDependencies[name] ?? '';
  const match = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (match?.[1] === undefined) throw new Error(`peerDependencies.${name} must be a caret range such as ^2.174.0; got: ${JSON.stringify(range)}`);
  return match[1];
}

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

const tsc = (cwd: string) => run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], cwd);

interface Packed {
  readonly directory: string;
  readonly tarball: string;
  readonly files: string[];
}

let packedOnce: Packed | undefined;

/** `npm pack` once for every describe block. */
function pack(): Packed {
  if (packedOnce !== undefined) return packedOnce;
  for (const built of ['lib/construct/index.js', 'lib/construct/index.d.ts', 'handler/dist/index.mjs']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before this test`);
  }
  const directory = mkdtempSync(join(tmpdir(), 'org-ecr-pack-'));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', directory], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  packedOnce = { directory, tarball: join(directory, packed.filename), files: packed.files.map((file) => file.path) };
  return packedOnce;
}

/** A fresh app depending on the tarball and the given aws-cdk-lib and constructs. */
function installApp(name: string, versions: { awsCdkLib: string; constructs: string }): string {
  const { directory, tarball } = pack();
  const appDirectory = join(directory, name);
  mkdirSync(appDirectory);
  writeFileSync(
    join(appDirectory, 'package.json'),
    JSON.stringify({
      name: `org-ecr-pack-${name}`,
      private: true,
      dependencies: { 'org-ecr-repository': `file:${tarball}`, 'aws-cdk-lib': versions.awsCdkLib, constructs: versions.constructs },
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
  return appDirectory;
}

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }> };

/** Type-checks and runs the app; returns its template and output folder. */
function synth(appDirectory: string): { template: Template; output: string } {
  if (!existsSync(join(appDirectory, 'app.js'))) tsc(appDirectory);
  run(process.execPath, ['app.js'], appDirectory);
  const output = join(appDirectory, 'cdk.out');
  return { template: JSON.parse(readFileSync(join(output, 'Smoke.template.json'), 'utf8')) as Template, output };
}

const ofType = (template: Template, type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type);

describe('the npm package', () => {
  let files: string[];
  let appDirectory: string;

  beforeAll(() => {
    files = pack().files;
    appDirectory = installApp('current', { awsCdkLib: version('aws-cdk-lib'), constructs: version('constructs') });
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

  it('ships the licence, says where the project lives, and every relative link of its README resolves inside it', () => {
    // GIVEN
    const installed = join(appDirectory, 'node_modules', 'org-ecr-repository');
    const metadata = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    // WHEN
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1] as string).filter((target) => !/^[a-z]+:/i.test(target));
    // THEN
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(metadata).toMatchObject({ license: 'Apache-2.0', repository: { type: 'git' }, homepage: expect.stringMatching(/^https:\/\//), bugs: { url: expect.stringMatching(/^https:\/\//) } });
    const repository = (metadata.repository as { url: string }).url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(metadata.homepage).toBe(`${repository}#readme`);
    expect((metadata.bugs as { url: string }).url).toBe(`${repository}/issues`);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((target) => !existsSync(join(installed, target)))).toEqual([]);
  });

  it('type-checks a consumer app against the shipped declarations', () => {
    // GIVEN: the app written above
    // WHEN / THEN (the @ts-expect-error line also proves the types are real, not `any`)
    expect(() => tsc(appDirectory)).not.toThrow();
  }, 120_000);

  it('synthesizes the provider with the shipped bundle and the repositories in a fresh app', () => {
    // GIVEN: app.js compiled by the previous test, or now
    // WHEN
    const { template, output } = synth(appDirectory);
    // THEN
    expect(ofType(template, 'Custom::OrgEcrRepository')).toHaveLength(2);
    expect(ofType(template, 'AWS::Lambda::Function')[0]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'] });
    const assets = readdirSync(output).filter((name) => name.startsWith('asset.'));
    expect(assets.some((asset) => existsSync(join(output, asset, 'index.mjs')))).toBe(true);
  }, 120_000);
});

describe('the npm package with the lowest aws-cdk-lib and constructs of its peer range', () => {
  const versions = { awsCdkLib: lowest('aws-cdk-lib'), constructs: lowest('constructs') };
  let appDirectory: string;

  beforeAll(() => {
    appDirectory = installApp('lowest', versions);
  }, 400_000);

  it(`installs aws-cdk-lib ${versions.awsCdkLib} and constructs ${versions.constructs} next to the package`, () => {
    // GIVEN / WHEN: installed above
    // THEN: npm resolved exactly the lowest versions, and the peer ranges accept them
    const installed = (name: string) => (JSON.parse(readFileSync(join(appDirectory, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect({ awsCdkLib: installed('aws-cdk-lib'), constructs: installed('constructs') }).toEqual(versions);
    expect(() => run('npm', ['ls', '--all', '--loglevel=error'], appDirectory)).not.toThrow();
  });

  it('type-checks and synthesizes the same app, with the Node.js 24 runtime and the acknowledgments cdk-nag 2 reads', () => {
    // GIVEN: the same consumer app as above
    // WHEN
    tsc(appDirectory);
    const { template } = synth(appDirectory);
    // THEN
    expect(ofType(template, 'Custom::OrgEcrRepository')).toHaveLength(2);
    expect(ofType(template, 'Custom::OrgEcrRepository')[0]?.Properties).toHaveProperty('ServiceTimeout');
    expect(ofType(template, 'AWS::Lambda::Function')[0]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'] });
    // No `Validations` in this aws-cdk-lib: the provider's reasoned IAM5 acknowledgments go where cdk-nag 2 reads them.
    const [policy] = ofType(template, 'AWS::IAM::Policy').filter((resource) => resource.Metadata?.cdk_nag !== undefined);
    expect(policy?.Metadata?.cdk_nag).toMatchObject({ rules_to_suppress: expect.arrayContaining([expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] })]) });
  }, 120_000);
});
