// `tet assets build`: the manifest, plus the release archive.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ARCHIVE_NAME, DEFAULT_ARCHIVE_KEEP, DEFAULT_LEDGER_KEEP } from './archive.js';
import { archiveRelease } from './archive-build.js';
import { describeFolder, resolveFolder } from './asset-build.js';
import { DEFAULT_KEEP, MANIFEST_NAME, nextManifest, readManifest, writeManifest } from './manifest.js';

/** The usage lines of `tet assets build`. */
export const BUILD_USAGE = `  tet assets build <folder> [--token <release>] [--archive <dir>] [--keep <n>] [--max-age <age>] [--ledger-keep <n>]
      Write the manifest (as 'manifest' does) and add the folder's files to the release archive
      (default <folder>/${ARCHIVE_NAME}) as the release <release> (the token you pass to
      setCachebreaker; default: the folder's tree token). Keeps the bytes of the newest <n>
      releases (default ${DEFAULT_ARCHIVE_KEEP}) younger than <age> (30s, 15m, 12h, 7d; default: no limit),
      and the hashes of the <n> releases before them (--ledger-keep, default ${DEFAULT_LEDGER_KEEP}).`;

const AGE = /^(\d+)(s|m|h|d)$/;
const UNIT = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number of releases, at least 1; got '${value}'`);
  return n;
}

/** Runs `tet assets build`; resolves with the exit code. */
export async function buildCommand(args: readonly string[], out: (line: string) => void, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { token: { type: 'string' }, archive: { type: 'string' }, keep: { type: 'string' }, 'max-age': { type: 'string' }, 'ledger-keep': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error('give exactly one folder.');
  const root = resolveFolder(positionals[0]!, cwd);
  const keep = count(values.keep, DEFAULT_ARCHIVE_KEEP, '--keep');
  const ledgerKeep = count(values['ledger-keep'], DEFAULT_LEDGER_KEEP, '--ledger-keep');
  let maxAgeMs: number | undefined;
  if (values['max-age'] !== undefined) {
    const match = AGE.exec(values['max-age']);
    if (match === null) throw new Error(`--max-age takes an age such as 7d, 12h, 15m or 30s; got '${values['max-age']}'`);
    maxAgeMs = Number(match[1]) * UNIT[match[2] as keyof typeof UNIT];
  }
  const dir = values.archive === undefined ? join(root, ARCHIVE_NAME) : resolveFolder(values.archive, cwd);
  // The manifest first: its digests make start-up quick, its ledger answers what the archive pruned.
  const manifestPath = join(root, MANIFEST_NAME);
  const assets = await describeFolder(root);
  await writeManifest(manifestPath, nextManifest(await readManifest(manifestPath), assets.tree, assets.files, Math.max(keep, DEFAULT_KEEP)));
  const build = await archiveRelease(root, dir, { token: values.token, keep, maxAgeMs, ledgerKeep });
  const pruned = build.pruned.length === 0 ? '' : `; pruned ${build.pruned.join(', ')} (hashes kept in the ledger)`;
  out(
    `release ${build.token}: ${build.files} file${build.files === 1 ? '' : 's'} (${build.stored} new object${build.stored === 1 ? '' : 's'}), tree ${build.tree}; archive ${dir} holds ${build.kept.join(', ')}${pruned}`,
  );
  return 0;
}
