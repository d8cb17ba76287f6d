// `tet assets build`: adds the folder's current release to the release archive and prunes it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '@tet/core';
import { type ArchivedFileRecord, type ArchivedObject, archivePaths, DEFAULT_ARCHIVE_KEEP, DEFAULT_LEDGER_KEEP, type ReleaseRecord, readRelease } from './archive.js';
import { validateCachebreaker } from './cachebreaker.js';
import { ContentCatalog } from './content-catalog.js';
import { treeToken } from './content-hash.js';
import { FileSource } from './file-source.js';

/** How a build names its release and how much of the archive it keeps. */
export interface ArchiveOptions {
  /** The release's token (`setCachebreaker(release)`); default: the folder's tree token. */
  readonly token?: string;
  /** Releases kept with their bytes, newest first, this one included (default 10). */
  readonly keep?: number;
  /** Releases older than this (ms) lose their bytes even within `keep`; the newest is always kept. */
  readonly maxAgeMs?: number;
  /** Pruned releases whose hashes are still kept (default 100). */
  readonly ledgerKeep?: number;
  readonly now?: Date;
}

/** What a build did. */
export interface ArchiveBuild {
  readonly token: string;
  readonly tree: string;
  readonly files: number;
  /** Objects written by this build (bytes not in the archive before). */
  readonly stored: number;
  /** Releases kept with their bytes, newest first. */
  readonly kept: readonly string[];
  /** Releases moved to the ledger by this build. */
  readonly pruned: readonly string[];
}

let temporaries = 0;
const temporary = (path: string) => `${path}.${process.pid}.${++temporaries}.tmp`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function sha384Of(path: string): Promise<string> {
  const hash = createHash('sha384');
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// Stores bytes under their hash, once: written to a temporary name and renamed, so a reader
// never sees half an object, and checked, so a file changed during the build is refused.
async function storeObject(dir: string, sha384: string, from: string | Buffer): Promise<boolean> {
  const target = archivePaths(dir).object(sha384);
  if (await exists(target)) return false;
  await mkdir(dirname(target), { recursive: true });
  const partial = temporary(target);
  if (typeof from === 'string') await copyFile(from, partial);
  else await writeFile(partial, from);
  if ((await sha384Of(partial)) !== sha384) {
    await unlink(partial);
    throw new Error(`${typeof from === 'string' ? from : 'a rewritten stylesheet'} changed while it was archived; run the build again once the folder is stable`);
  }
  await rename(partial, target);
  return true;
}

async function writeRecord(path: string, record: ReleaseRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = temporary(path);
  await writeFile(partial, `${JSON.stringify(record)}\n`);
  await rename(partial, path);
}

/**
 * Archives the current files of a static folder as one release, then prunes: the newest
 * `keep` releases keep their bytes; older ones move to the ledger (hashes only), which keeps
 * `ledgerKeep`; objects no kept release uses are deleted.
 * @example
 * await archiveRelease('/srv/myapp/static', '/srv/myapp/static/.tet-archive', { token: 'v42' })
 */
export async function archiveRelease(root: string, dir: string, options: ArchiveOptions = {}): Promise<ArchiveBuild> {
  const keep = options.keep ?? DEFAULT_ARCHIVE_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new ConfigurationError(`archive keep must be a whole number of releases, at least 1; got ${String(keep)}`, 'TET_ERR_STATIC_ARCHIVE');
  const folder = await FileSource.open(root, { maxFileSize: 256 * 1024, remaining: 256 * 1024 * 1024 });
  const tree = treeToken(folder.entries());
  const token = options.token === undefined ? tree : validateCachebreaker(options.token, 'tet assets build --token');
  const catalog = new ContentCatalog(folder);
  const files: Record<string, ArchivedFileRecord> = {};
  let stored = 0;
  for (const entry of [...folder.entries()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1))) {
    const sha384 = entry.digest.toString('hex');
    if (await storeObject(dir, sha384, entry.realPath)) stored++;
    const served = catalog.get(entry.relativePath);
    let content: ArchivedFileRecord['content'];
    if (served !== undefined && served.entry !== entry && served.br !== undefined && served.gzip !== undefined) {
      const parts: ArchivedObject[] = [];
      for (const part of [served.entry, served.br, served.gzip]) {
        const hex = part.digest.toString('hex');
        if (await storeObject(dir, hex, part.body!)) stored++;
        parts.push({ sha384: hex, size: part.size });
      }
      content = { ...parts[0]!, br: parts[1]!, gzip: parts[2]! };
    }
    files[entry.relativePath] = { sha384, size: entry.size, mtimeMs: entry.mtimeMs, ...(content === undefined ? {} : { content }) };
  }
  const now = options.now ?? new Date();
  const paths = archivePaths(dir);
  await writeRecord(paths.release(token), { format: 'tet-archive-release', version: 1, token, tree, created: now.toISOString(), files });
  await unlink(paths.ledgerEntry(token)).catch(() => undefined); // rebuilt: archived again
  const { kept, pruned } = await pruneArchive(dir, { keep, maxAgeMs: options.maxAgeMs, ledgerKeep: options.ledgerKeep ?? DEFAULT_LEDGER_KEEP, now, current: token });
  return { token, tree, files: Object.keys(files).length, stored, kept, pruned };
}

async function recordsIn(folder: string): Promise<Array<{ name: string; record: ReleaseRecord }>> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: Array<{ name: string; record: ReleaseRecord }> = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const record = await readRelease(join(folder, name));
    if (record !== undefined) found.push({ name, record });
  }
  // Newest first; a tie (one build's clock) by token, so the order is deterministic.
  return found.sort((a, b) => b.record.created.localeCompare(a.record.created) || (a.record.token < b.record.token ? -1 : 1));
}

/** Prunes an archive (see archiveRelease); `current` is never pruned. */
export async function pruneArchive(
  dir: string,
  options: { keep: number; maxAgeMs: number | undefined; ledgerKeep: number; now: Date; current: string },
): Promise<{ kept: string[]; pruned: string[] }> {
  const paths = archivePaths(dir);
  const releases = await recordsIn(paths.releases);
  const kept: string[] = [];
  const pruned: string[] = [];
  const referenced = new Set<string>();
  for (const { name, record } of releases) {
    const young = options.maxAgeMs === undefined || options.now.getTime() - Date.parse(record.created) <= options.maxAgeMs;
    if (record.token === options.current || (kept.length < options.keep && young)) {
      kept.push(record.token);
      for (const file of Object.values(record.files)) {
        referenced.add(file.sha384);
        if (file.content !== undefined) for (const part of [file.content, file.content.br, file.content.gzip]) referenced.add(part.sha384);
      }
    } else {
      // The record goes first, then the bytes: an instance never finds a release without them.
      await mkdir(paths.ledger, { recursive: true });
      await rename(join(paths.releases, name), join(paths.ledger, name));
      pruned.push(record.token);
    }
  }
  for (const { name } of (await recordsIn(paths.ledger)).slice(options.ledgerKeep)) await unlink(join(paths.ledger, name));
  for (const fan of await readdir(paths.objects).catch(() => [] as string[])) {
    for (const object of await readdir(join(paths.objects, fan)).catch(() => [] as string[])) {
      if (!referenced.has(object)) await unlink(join(paths.objects, fan, object)).catch(() => undefined);
    }
  }
  return { kept, pruned };
}
