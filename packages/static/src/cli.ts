// `tet assets ...`: the asset manifest and the post-deploy check. Reached through the `tet`
// command of @tet/core, which imports this module when it is installed.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFolder, resolveFolder } from './asset-build.js';
import { BUILD_USAGE, buildCommand } from './build-command.js';
import { DEFAULT_KEEP, MANIFEST_NAME, nextManifest, readManifest, writeManifest } from './manifest.js';
import { verifyAssets } from './verify.js';

const USAGE = `Usage:
${BUILD_USAGE}
  tet assets manifest <folder> [--out <file>] [--keep <n>]
      Hash every file of a static folder (an asset spec like myapp:static, or a path) as a
      content-hashed view would, and write the manifest and release ledger
      (default <folder>/${MANIFEST_NAME}), keeping the last <n> releases (default ${DEFAULT_KEEP}).
  tet assets verify <base-url> --folder <folder> [--manifest <file>] [--token <token>|content]
      Fetch every current asset through <base-url> (your CDN's address of the view) and report
      status, ETag, Cache-Control and encoding mismatches. Exits 1 on any.
      Without --token, URLs are content-hashed (<base-url>/<hash>/<path>); with it, token URLs
      (<base-url>/<token>/<path>; 'content' uses the manifest's tree token).`;

/** Output streams, replaceable in tests. */
export interface CliIO {
  out(line: string): void;
  error(line: string): void;
}

const consoleIO: CliIO = { out: (line) => console.log(line), error: (line) => console.error(line) };

/**
 * Runs `tet assets <command>`; resolves with the exit code.
 * @example
 * process.exitCode = await runAssetsCommand(['manifest', 'myapp:static'])
 */
export async function runAssetsCommand(args: readonly string[], io: CliIO = consoleIO, cwd = process.cwd()): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'manifest') return await manifestCommand(rest, io, cwd);
    if (command === 'build') return await buildCommand(rest, io.out, cwd);
    if (command === 'verify') return await verifyCommand(rest, io, cwd);
  } catch (error) {
    io.error(`tet assets ${command}: ${(error as Error).message}`);
    return 2;
  }
  io.error(command === undefined || command === 'help' || command === '--help' ? USAGE : `Unknown command 'tet assets ${command}'.\n${USAGE}`);
  return command === 'help' || command === '--help' ? 0 : 2;
}

async function manifestCommand(args: readonly string[], io: CliIO, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: 'string' }, keep: { type: 'string' } } });
  if (positionals.length !== 1) throw new Error(`give exactly one folder.\n${USAGE}`);
  const root = resolveFolder(positionals[0]!, cwd);
  const out = values.out === undefined ? join(root, MANIFEST_NAME) : resolveFolder(values.out, cwd);
  const keep = values.keep === undefined ? DEFAULT_KEEP : Number(values.keep);
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`--keep takes a whole number, got '${values.keep}'`);
  const assets = await describeFolder(root);
  const previous = await readManifest(out);
  const manifest = nextManifest(previous, assets.tree, assets.files, keep);
  await writeManifest(out, manifest);
  const changed = previous === undefined ? 'a new ledger' : previous.tree === assets.tree ? 'unchanged since the last release' : `a new release (the previous one kept in the ledger)`;
  io.out(`${Object.keys(assets.files).length} files, tree ${assets.tree}, ${changed}; ${manifest.history.length} earlier release(s) kept → ${out}`);
  return 0;
}

async function verifyCommand(args: readonly string[], io: CliIO, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { folder: { type: 'string' }, manifest: { type: 'string' }, token: { type: 'string' }, concurrency: { type: 'string' } },
  });
  if (positionals.length !== 1 || values.folder === undefined) throw new Error(`give the base URL and --folder.\n${USAGE}`);
  const root = resolveFolder(values.folder, cwd);
  const assets = await describeFolder(root);
  const manifestPath = values.manifest === undefined ? join(root, MANIFEST_NAME) : resolveFolder(values.manifest, cwd);
  const manifest = await readManifest(manifestPath);
  if (manifest !== undefined && manifest.tree !== assets.tree) io.error(`note: ${manifestPath} is not up to date with ${root}; checking the folder as it is now`);
  const token = values.token === 'content' ? assets.tree : values.token;
  const report = await verifyAssets(positionals[0]!, assets, { token, concurrency: Number(values.concurrency ?? 8) });
  for (const line of report.problems) io.out(`MISMATCH ${line}`);
  io.out(`verified ${report.checked} assets at ${positionals[0]}: ${report.problems.length} problem(s)`);
  return report.problems.length === 0 ? 0 : 1;
}
