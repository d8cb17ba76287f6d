// The release archive's on-disk format: what `tet assets build` writes and instances read.
//
//   <archive>/objects/<2 hex>/<96 hex>   each file's bytes, once, named by their SHA-384
//   <archive>/releases/<token>.json      an archived release: its token and path → object
//   <archive>/ledger/<token>.json        a pruned release: the same record, objects gone
//
// Plain files and renames only, no database: a folder that ships with the application or a
// directory several hosts share works the same way.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@tet/core';

/** One stored object: the SHA-384 (hex) of some bytes, and how many there are. */
export interface ArchivedObject {
  readonly sha384: string;
  readonly size: number;
}

/** What a release recorded for one file of the folder. */
export interface ArchivedFileRecord extends ArchivedObject {
  /** The file's modification time when it was built (for `Last-Modified`). */
  readonly mtimeMs: number;
  /**
   * For a stylesheet whose references a content-hashed view rewrites: the rewritten bytes
   * that view serves, with their compressed forms (its `.br`/`.gz` on disk would be stale).
   */
  readonly content?: ArchivedObject & { readonly br: ArchivedObject; readonly gzip: ArchivedObject };
}

/** One release: the token its URLs carry and its files. */
export interface ReleaseRecord {
  readonly format: 'tet-archive-release';
  readonly version: 1;
  /** The token of `/static/<token>/...` URLs: a release name, or the folder's tree token. */
  readonly token: string;
  /** The folder's tree token (what `setCachebreaker({ from: 'content' })` makes of it). */
  readonly tree: string;
  readonly created: string;
  readonly files: Readonly<Record<string, ArchivedFileRecord>>;
}

/** Where an archive keeps things. */
export const archivePaths = (dir: string) => ({
  objects: join(dir, 'objects'),
  releases: join(dir, 'releases'),
  ledger: join(dir, 'ledger'),
  object: (sha384: string) => join(dir, 'objects', sha384.slice(0, 2), sha384),
  release: (token: string) => join(dir, 'releases', `${token}.json`),
  ledgerEntry: (token: string) => join(dir, 'ledger', `${token}.json`),
});

/** The archive's default place: a dot-folder inside the static folder, so it is never served and ships with it. */
export const ARCHIVE_NAME = '.tet-archive';
/** Releases kept with their bytes by default. */
export const DEFAULT_ARCHIVE_KEEP = 10;
/** Pruned releases whose hashes are kept (the ledger) by default. */
export const DEFAULT_LEDGER_KEEP = 100;

const SHA384_HEX = /^[0-9a-f]{96}$/;

function isObject(value: unknown): value is ArchivedObject {
  const o = value as ArchivedObject;
  return typeof o === 'object' && o !== null && typeof o.sha384 === 'string' && SHA384_HEX.test(o.sha384) && Number.isSafeInteger(o.size) && o.size >= 0;
}

/** Checks a parsed release record; a ConfigurationError saying what to do when it is not one. */
export function checkRelease(parsed: unknown, where: string): ReleaseRecord {
  const record = parsed as ReleaseRecord;
  const bad = (why: string) => new ConfigurationError(`${where} is not a Tet release record (${why}). Rebuild it with 'npx tet assets build', or delete it.`, 'TET_ERR_STATIC_ARCHIVE');
  if (typeof record !== 'object' || record === null || record.format !== 'tet-archive-release' || record.version !== 1) throw bad("format 'tet-archive-release', version 1");
  if (typeof record.token !== 'string' || typeof record.tree !== 'string' || typeof record.created !== 'string') throw bad('token, tree and created are strings');
  if (typeof record.files !== 'object' || record.files === null) throw bad('files is an object');
  for (const [path, file] of Object.entries(record.files)) {
    if (!isObject(file) || !Number.isFinite(file.mtimeMs)) throw bad(`file ${JSON.stringify(path)} has no sha384/size/mtimeMs`);
    if (file.content !== undefined && !(isObject(file.content) && isObject(file.content.br) && isObject(file.content.gzip))) throw bad(`file ${JSON.stringify(path)} has a malformed content`);
  }
  return record;
}

/** Reads a release record; undefined when there is none. */
export async function readRelease(path: string): Promise<ReleaseRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid JSON (${(error as Error).message}). Rebuild it with 'npx tet assets build', or delete it.`, 'TET_ERR_STATIC_ARCHIVE');
  }
  return checkRelease(parsed, path);
}
