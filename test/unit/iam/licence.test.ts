/**
 * @cloud-copilot/iam-simulate and its policy libraries are AGPL-3.0: they may serve the tests,
 * never the Lambda bundle or the published package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;

describe('the AGPL IAM simulator', () => {
  it('is an exactly pinned devDependency and nothing else', () => {
    expect(manifest.devDependencies?.['@cloud-copilot/iam-simulate']).toMatch(/^\d+\.\d+\.\d+$/);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
      expect(Object.keys(manifest[field] ?? {}).filter((name) => name.startsWith('@cloud-copilot/'))).toEqual([]);
    }
  });

  it('is in no file of the built Lambda bundle', () => {
    const dist = join(ROOT, 'handler', 'dist');
    const files = readdirSync(dist).filter((name) => /\.(m?js|cjs)$/.test(name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(dist, file), 'utf8')).not.toMatch(/cloud-copilot|iam-simulate/);
  });
});
