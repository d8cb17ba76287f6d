// Where a cold start goes, Tet against sirv (docs/benchmarks.md "Cold start: where the time
// goes"): each phase's minimum over fresh processes, servers taking turns. Also a CLI:
//   node bench/dist/src/startup-phases.js [--runs 12] [--fixture dir]   (npm run bench writes bench/fixture)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const child = fileURLToPath(new URL('./startup-phases-process.js', import.meta.url));

/** The servers compared. */
export const STARTUP_SERVERS = ['tet', 'sirv'] as const;
export type StartupServer = (typeof STARTUP_SERVERS)[number];

/** Milliseconds per phase, in the order they happen: builtins, load, configure, index and listen, first request. */
export type Phases = Record<string, number>;

/** One start-up of `server` over the fixture in `fixtureDir`, in a fresh process. */
export function startupPhases(server: StartupServer, fixtureDir: string): Phases {
  return JSON.parse(execFileSync(process.execPath, [child, server, fixtureDir], { encoding: 'utf8', timeout: 30_000 })) as Phases;
}

/** Each phase's minimum over `runs` start-ups of each server, servers taking turns. */
export function minimumPhases(fixtureDir: string, runs: number): Record<StartupServer, Phases> {
  const minimum: Record<StartupServer, Phases> = { tet: {}, sirv: {} };
  for (let run = 0; run < runs; run++) {
    for (const server of run % 2 === 0 ? STARTUP_SERVERS : [...STARTUP_SERVERS].reverse()) {
      for (const [phase, ms] of Object.entries(startupPhases(server, fixtureDir))) minimum[server][phase] = Math.min(minimum[server][phase] ?? Number.POSITIVE_INFINITY, ms);
    }
  }
  return minimum;
}

/** The minimums as a Markdown table. */
export function phasesTable(minimum: Record<StartupServer, Phases>, runs: number): string {
  const phases = Object.keys(minimum.tet);
  const sum = (server: StartupServer) => phases.reduce((total, phase) => total + (minimum[server][phase] ?? 0), 0);
  const rows = phases.map((phase) => `| ${phase} | ${minimum.tet[phase]!.toFixed(1)} | ${(minimum.sirv[phase] ?? 0).toFixed(1)} |`);
  return [
    `Start-up phases, ms, minimum of ${runs} fresh processes each`,
    '',
    '| phase | Tet | sirv |',
    '| --- | ---: | ---: |',
    ...rows,
    `| sum | ${sum('tet').toFixed(1)} | ${sum('sirv').toFixed(1)} |`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '12' }, fixture: { type: 'string' } } });
  const fixture = values.fixture ?? fileURLToPath(new URL('../../fixture', import.meta.url));
  if (!existsSync(join(fixture, 'fixture.json'))) {
    process.stderr.write(`no fixture at ${fixture}: run npm run bench once (it writes bench/fixture), or give --fixture\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(`${phasesTable(minimumPhases(fixture, Number(values.runs)), Number(values.runs))}\n`);
  }
}
