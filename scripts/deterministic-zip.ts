/**
 * Zip archives whose bytes depend only on the files' paths and contents: entries sorted,
 * one fixed timestamp, fixed Unix permissions. The same commit then always gives the same
 * zip, so its SHA-256 identifies a release and re-uploading it changes nothing.
 * Uses fflate (pure JavaScript): no `zip` binary needed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/** One file of an archive: its path inside the zip (with `/`) and its bytes. */
export interface ZipEntry {
  readonly path: string;
  readonly data: Uint8Array;
}

/**
 * 1980-01-01 00:00, the earliest DOS timestamp. Built from local date parts because zip stores
 * local wall-clock time: the archive is then the same in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** A regular file, rw-r--r--: Lambda and the CloudFormation registry only need to read it. */
const REGULAR_FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const UNIX = 3;

/** Every file under `directory`, with paths relative to it, in byte order of their paths. */
export function directoryEntries(directory: string, prefix = ''): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else entries.push({ path: `${prefix}${relative(directory, path).split(sep).join('/')}`, data: readFileSync(path) });
    }
  };
  walk(directory);
  return entries;
}

/** The archive of `entries`, deterministic whatever their order or the machine. */
export function deterministicZip(entries: readonly ZipEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: Zippable = {};
  for (const { path, data } of sorted) {
    if (path in files) throw new Error(`Two zip entries have the path ${JSON.stringify(path)}`);
    files[path] = [data, { mtime: FIXED_MTIME, os: UNIX, attrs: REGULAR_FILE_ATTRIBUTES, level: 9 }];
  }
  return zipSync(files);
}
