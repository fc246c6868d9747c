/** `npm run package`'s zips: deterministic, laid out as Lambda and the CloudFormation registry expect. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync } from 'fflate';
import { deterministicZip, directoryEntries } from '../../../scripts/deterministic-zip';
import { artefactKeys, moduleEntries, providerCodeEntries } from '../../../scripts/package-provider';

function givenDirectory(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'zip-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(directory, path, '..'), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return directory;
}

describe('deterministicZip', () => {
  it('gives the same bytes for the same files, whatever their order', () => {
    // GIVEN
    const a = { path: 'index.mjs', data: strToU8('export const handler = 1;') };
    const b = { path: 'chunks/kms.mjs', data: strToU8('export const kms = 2;') };
    // WHEN
    const zips = [deterministicZip([a, b]), deterministicZip([b, a])];
    // THEN
    expect(Buffer.from(zips[0]!).equals(Buffer.from(zips[1]!))).toBe(true);
  });

  it('keeps every file and its bytes', () => {
    // GIVEN
    const directory = givenDirectory({ 'index.mjs': 'entry', 'chunks/a.mjs': 'chunk' });
    // WHEN
    const unzipped = unzipSync(deterministicZip(directoryEntries(directory)));
    // THEN
    expect(Object.fromEntries(Object.entries(unzipped).map(([path, data]) => [path, Buffer.from(data).toString()]))).toEqual({ 'chunks/a.mjs': 'chunk', 'index.mjs': 'entry' });
  });

  it('fails naming the path when two entries collide', () => {
    // GIVEN
    const entry = { path: 'index.mjs', data: strToU8('x') };
    // WHEN / THEN
    expect(() => deterministicZip([entry, entry])).toThrow(/Two zip entries have the path "index.mjs"/);
  });
});

describe('the release artefacts', () => {
  it('puts the bundle entry at the root of the code zip, where the handler index.handler is looked up', () => {
    // GIVEN
    const dist = givenDirectory({ 'index.mjs': 'entry', 'index.mjs.map': '{}', 'chunks/kms.mjs': 'chunk' });
    // WHEN
    const paths = providerCodeEntries(dist).map((entry) => entry.path).sort();
    // THEN
    expect(paths).toEqual(['chunks/kms.mjs', 'index.mjs', 'index.mjs.map']);
  });

  it('fails naming the build command when there is no bundle', () => {
    // GIVEN
    const empty = givenDirectory({});
    // WHEN / THEN
    expect(() => providerCodeEntries(empty)).toThrow(/index\.mjs is missing\): run `npm run build` first/);
  });

  it('lays the module package out as cfn submit does: settings, schema and fragments', () => {
    // GIVEN the committed module folder
    // WHEN
    const paths = moduleEntries().map((entry) => entry.path).sort();
    // THEN
    expect(paths).toEqual(['.rpdk-config', 'fragments/org-ecr-repository.json', 'schema.json']);
  });

  it('puts the version in every S3 key, so a release never overwrites another', () => {
    // GIVEN / WHEN
    const keys = Object.values(artefactKeys('1.2.3'));
    // THEN
    expect(keys.every((key) => key.includes('1.2.3'))).toBe(true);
  });
});
