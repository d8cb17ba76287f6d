// Start-up of content-hashed views (issue 7): how long indexing and hashing take for trees of
// 1,000 and 10,000 files, hashed at start-up or taken from a manifest written at build time,
// against a per-deploy token view (which indexes and hashes too, for its ETags).
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runAssetsCommand } from '@tet/static/cli';
import { treePaths } from './fixture.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./content-startup-process.js', import.meta.url));

/** Medians in milliseconds, by tree size and mode. */
export interface ContentStartup {
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly medians: Record<number, { hash: number; manifest: number; token: number }>;
}

// Small text files with every 25th a stylesheet that refers to two others, so rewriting counts.
function writeTree(dir: string, count: number): void {
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(ensure(join(dir, 'package.json')), '{ "name": "content-bench", "private": true }\n');
  const paths = treePaths(count);
  paths.forEach((path, i) => {
    const file = join(dir, 'static', i % 25 === 0 ? path.replace(/\.txt$/, '.css') : path);
    const body = i % 25 === 0 ? `.a${i} { background: url(../../../${paths[(i + 1) % count]}) }\n@import "../../../${paths[(i + 2) % count]}";\n` : `note ${i}: ${'x'.repeat(200 + (i % 300))}\n`;
    writeFileSync(ensure(file), body);
  });
}

function ensure(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function once(dir: string, mode: string): Promise<number> {
  const { stdout } = await run(process.execPath, [child, dir, mode]);
  return (JSON.parse(stdout) as { milliseconds: number }).milliseconds;
}

export async function measureContentStartup(root: string, sizes: readonly number[] = [1000, 10_000], runs = 3): Promise<ContentStartup> {
  const medians: ContentStartup['medians'] = {};
  for (const size of sizes) {
    const dir = join(root, `content-${size}`);
    writeTree(dir, size);
    const quiet = { out: () => {}, error: (line: string) => process.stderr.write(`${line}\n`) };
    if ((await runAssetsCommand(['manifest', 'content-bench:static'], quiet, dir)) !== 0) throw new Error('tet assets manifest failed');
    const times = { hash: [] as number[], manifest: [] as number[], token: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const mode of ['hash', 'manifest', 'token'] as const) times[mode].push(await once(dir, mode));
    }
    medians[size] = { hash: median(times.hash), manifest: median(times.manifest), token: median(times.token) };
  }
  return { sizes, runs, medians };
}

/** The markdown section for the report. */
export function contentStartupSection(result: ContentStartup): string {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const lines = [
    `Content-hashed start-up (\`addStaticView({ cacheBust: 'content' })\`): configuration to committed app, in a fresh process, median of ${result.runs}; every 25th file is a stylesheet whose references are rewritten. The files are in the page cache (a second start on the same machine), as they are on most restarts.`,
    '',
    '| files | hashed at start-up | digests from the manifest | per-deploy token view |',
    '| ---: | ---: | ---: | ---: |',
  ];
  for (const size of result.sizes) {
    const m = result.medians[size]!;
    lines.push(`| ${size.toLocaleString('en-US')} | ${ms(m.hash)} | ${ms(m.manifest)} | ${ms(m.token)} |`);
  }
  return lines.join('\n');
}
