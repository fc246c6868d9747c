/**
 * The split credential provider (handler/src/adapters/credentials.ts): environment credentials
 * without loading the SDK's full default chain, and the full chain's behaviour (profiles,
 * container and instance credentials) when the environment has none: in the source, and in the
 * built bundle, where the chain is a separately built file that only then loads.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ChainModule, createDefaultProvider, defaultProvider } from '../../../handler/src/adapters/credentials';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'handler', 'dist', 'index.mjs');

/** Every variable the SDK's chain reads: cleared for each test, so this machine's never count. */
const CHAIN_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

let scratch: string;
let saved: NodeJS.ProcessEnv;
let server: Server | undefined;

/** An environment with no credentials: empty config files, no instance metadata. */
function isolatedEnvironment(): Record<string, string> {
  return {
    AWS_CONFIG_FILE: join(scratch, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'eu-west-1',
  };
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'credentials-test-'));
  saved = { ...process.env };
  for (const name of CHAIN_VARIABLES) delete process.env[name];
  Object.assign(process.env, isolatedEnvironment());
});

afterEach(async () => {
  process.env = saved;
  rmSync(scratch, { recursive: true, force: true });
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const fakeChain = (accessKeyId: string): ChainModule => ({
  defaultProvider: () => async () => ({ accessKeyId, secretAccessKey: 'from-chain' }),
});

/** A loopback server answering container (`/creds`) and instance-metadata (IMDSv2) requests. */
async function credentialServer(accessKeyId: string): Promise<string> {
  const body = JSON.stringify({
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: accessKeyId,
    SecretAccessKey: 'served-secret',
    Token: 'served-token',
    Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    LastUpdated: new Date().toISOString(),
  });
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'PUT' && url === '/latest/api/token') return res.end('imds-token');
    if (/security-credentials(-extended)?\/$/.test(url)) return res.end('provider-role');
    if (/security-credentials(-extended)?\/provider-role$/.test(url) || url === '/creds') {
      res.setHeader('content-type', 'application/json');
      return res.end(body);
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function writeProfile(profile: string, accessKeyId: string): void {
  writeFileSync(join(scratch, 'credentials'), `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = profile-secret\n`);
}

describe('credentials from the environment first', () => {
  it('returns the environment credentials without loading the full chain', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-token' });
    const loadChain = jest.fn(async () => fakeChain('NOT-USED'));
    const provider = createDefaultProvider({}, loadChain);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAENVIRONMENT', secretAccessKey: 'env-secret', sessionToken: 'env-token' });
    await provider();
    expect(loadChain).not.toHaveBeenCalled();
  });

  it('loads the full chain once when the environment has no credentials, and uses it', async () => {
    const loadChain = jest.fn(async () => fakeChain('AKIAFROMCHAIN'));
    const provider = createDefaultProvider({}, loadChain);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAFROMCHAIN' });
    await provider();
    expect(loadChain).toHaveBeenCalledTimes(1);
  });

  it('prefers a profile (AWS_PROFILE) over environment keys, as the SDK does', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_PROFILE: 'deploy' });
    const provider = createDefaultProvider({}, async () => fakeChain('AKIAFROMCHAIN'));
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAFROMCHAIN' });
  });

  it('loads the chain again after a failed load', async () => {
    const loadChain = jest.fn<Promise<ChainModule>, []>().mockRejectedValueOnce(new Error('chunk missing')).mockResolvedValue(fakeChain('AKIAFROMCHAIN'));
    const provider = createDefaultProvider({}, loadChain);
    await expect(provider()).rejects.toThrow('chunk missing');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAFROMCHAIN' });
  });
});

describe("the SDK's full chain when the environment has none (source)", () => {
  it('reads a profile from the shared credentials file', async () => {
    writeProfile('deploy', 'AKIAPROFILE');
    process.env.AWS_PROFILE = 'deploy';
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIAPROFILE', secretAccessKey: 'profile-secret' });
  });

  it('takes container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${await credentialServer('AKIACONTAINER')}/creds`;
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIACONTAINER', sessionToken: 'served-token' });
  });

  it('takes instance credentials from the instance metadata service (IMDSv2)', async () => {
    delete process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = await credentialServer('AKIAINSTANCE');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIAINSTANCE', sessionToken: 'served-token' });
  });
});

describe('the built bundle (handler/dist, built by npm test)', () => {
  /**
   * Resolves the ECR client's credentials in a fresh node running the bundle, recording every
   * module it loads; returns the access key id and whether the chain file was loaded.
   */
  async function bundleCredentials(env: Record<string, string>): Promise<{ accessKeyId: string; chainLoaded: boolean }> {
    const loads = join(scratch, 'loads.txt');
    const script = `const { createClients } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
const { accessKeyId } = await createClients().ecr.config.credentials();
process.stdout.write(accessKeyId);`;
    const hooks = pathToFileURL(join(ROOT, 'scripts', 'bench', 'record-loads.mjs')).href;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', hooks, '--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...isolatedEnvironment(), ...env, BENCH_LOAD_LOG: loads } }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    return { accessKeyId: stdout, chainLoaded: readFileSync(loads, 'utf8').includes('/credential-chain.mjs') };
  }

  // A fresh node loading the bundle: seconds on a busy machine, not jest's 5 s default.
  jest.setTimeout(60_000);

  beforeAll(() => {
    if (!existsSync(BUNDLE)) throw new Error('no handler/dist/index.mjs: npm test builds it first (npm run build)');
  });

  it('takes environment credentials without loading the chain file', async () => {
    await expect(bundleCredentials({ AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret' })).resolves.toEqual({ accessKeyId: 'AKIAENVIRONMENT', chainLoaded: false });
  });

  it('loads the chain file for a profile', async () => {
    writeProfile('deploy', 'AKIAPROFILE');
    await expect(bundleCredentials({ AWS_PROFILE: 'deploy' })).resolves.toEqual({ accessKeyId: 'AKIAPROFILE', chainLoaded: true });
  });

  it('loads the chain file for container credentials', async () => {
    const url = await credentialServer('AKIACONTAINER');
    await expect(bundleCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/creds` })).resolves.toEqual({ accessKeyId: 'AKIACONTAINER', chainLoaded: true });
  });
});
