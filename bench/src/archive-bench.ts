// The release archive's cost (issue 14): start-up of a 1,000-file token view with 10 archived
// releases against the same view without an archive, and req/s of an archived release's file
// next to a current one.
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { archiveRelease } from '@tet/static';
import { treePaths } from './fixture.js';
import type { LoadGenerator } from './loadgen.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./archive-process.js', import.meta.url));
const FILES = 1000;
const RELEASES = 11; // the current one and 10 archived
const CURRENT = `r${RELEASES}`;
const ROUNDS = 3;

/** What the archive costs. */
export interface ArchiveCost {
  readonly files: number;
  readonly archived: number;
  readonly runs: number;
  /** Median start-up in ms: without an archive, and with one holding `archived` releases. */
  readonly startup: { readonly plain: number; readonly archive: number };
  /** req/s of the same file's 200: current, and of an archived release. */
  readonly rps: { readonly current: number; readonly archived: number };
  readonly seconds: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function write(file: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

// 1,000 small files; each release changes 50 of them, the measured one every time.
async function buildFixture(dir: string): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  write(join(dir, 'package.json'), '{ "name": "archive-bench", "private": true }\n');
  const paths = treePaths(FILES);
  for (const [i, path] of paths.entries()) write(join(dir, 'static', path), `note ${i}: ${'x'.repeat(200 + (i % 300))}\n`);
  for (let release = 1; release <= RELEASES; release++) {
    for (let i = 0; i < 50; i++) appendFileSync(join(dir, 'static', paths[(release * 50 + i) % FILES]!), `release ${release}\n`);
    appendFileSync(join(dir, 'static', paths[0]!), `release ${release}\n`);
    await archiveRelease(join(dir, 'static'), join(dir, 'archive'), { token: `r${release}`, keep: RELEASES });
  }
  return paths[0]!;
}

async function startup(dir: string, mode: 'plain' | 'archive'): Promise<number> {
  const { stdout } = await run(process.execPath, [child, dir, mode, CURRENT]);
  return (JSON.parse(stdout) as { milliseconds: number }).milliseconds;
}

/** Builds the fixture, measures start-ups in fresh processes, then both 200s under load. */
export async function measureArchiveCost(root: string, load: LoadGenerator, options: { runs?: number; seconds?: number; connections?: number } = {}): Promise<ArchiveCost> {
  const dir = join(root, 'archive-cost');
  const file = await buildFixture(dir);
  const runs = options.runs ?? 9;
  const seconds = options.seconds ?? 5;
  await startup(dir, 'plain'); // untimed: the first start warms the page cache for both
  const times = { plain: [] as number[], archive: [] as number[] };
  for (let i = 0; i < runs; i++) for (const mode of ['plain', 'archive'] as const) times[mode].push(await startup(dir, mode));

  const server = fork(child, [dir, 'serve', CURRENT], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [message] = (await once(server, 'message')) as [{ port: number }];
  const base = `http://127.0.0.1:${message.port}`;
  try {
    const measure = async (token: string) => {
      const job = { base, requests: [{ path: `/static/${token}/${file}`, headers: {} }], connections: options.connections ?? 50, pipelining: 1, maxSeconds: seconds * 3, expectedStatus: 200 };
      await load.run({ ...job, seconds: 1 }); // warm-up: the archived file is read on its first request
      const result = await load.run({ ...job, seconds });
      if ((result.statuses['200'] ?? 0) !== result.requests) throw new Error(`archive bench: ${token} answered ${JSON.stringify(result.statuses)}`);
      return result.rps;
    };
    // Rounds alternate, so a slow moment of the machine does not fall on one side only.
    const rounds = { current: [] as number[], archived: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rounds.current.push(await measure(CURRENT));
      rounds.archived.push(await measure('r5'));
    }
    const current = median(rounds.current);
    const archived = median(rounds.archived);
    return { files: FILES, archived: RELEASES - 1, runs, startup: { plain: median(times.plain), archive: median(times.archive) }, rps: { current, archived }, seconds };
  } finally {
    server.kill('SIGTERM');
  }
}

/** The markdown section for the report. */
export function archiveSection(result: ArchiveCost): string {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const rps = (value: number) => Math.round(value).toLocaleString('en-US');
  return [
    `Release archive (\`tet assets build\`): a token view of ${result.files.toLocaleString('en-US')} files, started in a fresh process (median of ${result.runs}), without an archive and with one holding ${result.archived} earlier releases; then req/s of one file's \`200\` (median of 3 alternating rounds of ${result.seconds} s, each after a 1 s warm-up) under the current token and under an archived release's token (its own, different bytes).`,
    '',
    '| | without an archive | with 10 archived releases | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| start-up | ${ms(result.startup.plain)} | ${ms(result.startup.archive)} | ${(result.startup.archive / result.startup.plain).toFixed(2)}× |`,
    '',
    '| | current release | archived release | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| req/s of a 200 | ${rps(result.rps.current)} | ${rps(result.rps.archived)} | ${(result.rps.archived / result.rps.current).toFixed(2)}× |`,
  ].join('\n');
}
