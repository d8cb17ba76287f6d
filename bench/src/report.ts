// Turns a run's numbers into the markdown report: the load table with ratios to the raw
// ceiling and to the best peer, the other measurements, and the targets met or missed.
import type { WorkersResult } from './workers.js';
import { workersSection } from './workers-report.js';
import type { LeakCheck } from './measurements.js';
import type { MicroResult } from './micro-process.js';
import { type ArchiveCost, archiveSection } from './archive-bench.js';
import { type ContentStartup, contentStartupSection } from './content-startup.js';
import { type ModuleStartup, moduleStartupSection } from './module-startup.js';
import type { AnswerShape, Scenario } from './scenarios.js';
import { LABELS, PEERS, type ServerName } from './servers/index.js';
import { median } from './stats.js';

/** The medians of one server on one scenario. */
export interface Cell {
  readonly rps: number;
  readonly p99: number;
  /** Requests per second of each round, in order. */
  readonly rounds: readonly number[];
  /** The server process's CPU time (user + system) per answered request, in µs: median of the rounds. */
  readonly cpuMicros?: number | undefined;
  /** The load generator's CPU time per request, in µs: what reading this server's answers costs the client. */
  readonly clientCpuMicros?: number | undefined;
  /** The load generator saturated its core in most rounds: req/s is a lower bound for this server. */
  readonly lowerBound?: boolean | undefined;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly autocannon: string;
  /** The load generator that measured the cells, e.g. `wrk 4.1.0`. */
  readonly loadgen?: string | undefined;
  /** Whether the server and the load generator were pinned to separate CPUs. */
  readonly pinned?: boolean | undefined;
}

export interface RunSettings {
  readonly connections: number;
  readonly pipelining: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly rounds: number;
  readonly coldStarts: number;
  readonly treeFiles: number;
  readonly leakRequests: number;
}

export interface RunResults {
  readonly date: string;
  readonly machine: Machine;
  readonly settings: RunSettings;
  readonly scenarios: readonly Scenario[];
  /** cells[scenario id][server] */
  readonly cells: Record<string, Partial<Record<ServerName, Cell>>>;
  /** Why a server/scenario pair was not measured, by `${scenario}:${server}`. */
  readonly pending: Record<string, string>;
  readonly coldStarts: Record<string, number[]>;
  readonly memory: Partial<Record<ServerName, number>>;
  readonly leak: LeakCheck | undefined;
  readonly micro: MicroResult | undefined;
  readonly contentStartup?: ContentStartup | undefined;
  readonly moduleStartup?: ModuleStartup | undefined;
  /** The release archive's start-up cost and archived 200s (issue 14). */
  readonly archiveCost?: ArchiveCost | undefined;
  /** What each server answered on the scenarios whose answers differ between servers (304, 404), by scenario id. */
  readonly shapes?: Record<string, Partial<Record<ServerName, AnswerShape>>> | undefined;
  /** The 1 KB and page rows served by `tet serve --workers N`. */
  readonly workers?: WorkersResult | undefined;
  readonly elapsedSeconds: number;
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const cpuFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;

/** A server's name in a scenario's rows: Fastify renders the page with @fastify/view, and posts forms with its session plugins. */
export function labelFor(server: ServerName, scenarioId: string): string {
  if (server === 'fastify' && scenarioId === 'page') return 'Fastify + @fastify/view';
  if (server === 'fastify' && scenarioId === 'form-post') return 'Fastify + formbody, cookie, session, csrf-protection';
  return LABELS[server];
}

/** The best peer's cell on a scenario, if any peer took part. */
export function bestPeer(cells: Partial<Record<ServerName, Cell>>): { server: ServerName; cell: Cell } | undefined {
  let best: { server: ServerName; cell: Cell } | undefined;
  for (const server of PEERS) {
    const cell = cells[server];
    if (cell !== undefined && (best === undefined || cell.rps > best.cell.rps)) best = { server, cell };
  }
  return best;
}

/** A target and whether the run met it. */
export interface Target {
  readonly what: string;
  readonly met: boolean | undefined;
  readonly actual: string;
}

/** The performance issue's targets, judged on this run's numbers (docs/benchmarks.md lists them). */
export function judgeTargets(results: RunResults): Target[] {
  const targets: Target[] = [];
  const cellsOf = (id: string) => results.cells[id] ?? {};
  const titleOf = (id: string) => results.scenarios.find((scenario) => scenario.id === id)?.title ?? id;
  const versus = (id: string, peer: ServerName, factor: number) => {
    const { tet, [peer]: other } = cellsOf(id);
    if (tet === undefined || other === undefined) return;
    const what = `${titleOf(id)}: Tet ≥ ${factor.toFixed(1)}× ${peer === 'raw' ? 'raw' : labelFor(peer, id)}`;
    targets.push({ what, met: tet.rps >= factor * other.rps, actual: `${ratio(tet.rps / other.rps)}${tet.lowerBound === true ? ' (lower bound)' : ''}` });
  };
  for (const id of ['small', 'not-modified', 'not-found', 'old-token']) {
    versus(id, 'sirv', 1.0);
    versus(id, 'raw', 0.9);
  }
  for (const id of ['medium', 'large']) versus(id, 'raw', 1.0);
  versus('page', 'fastify', 1.5);
  versus('form-post', 'fastify', 1.0);
  for (const scenario of results.scenarios) {
    const { tet, sirv } = cellsOf(scenario.id);
    if (tet !== undefined && sirv !== undefined) targets.push({ what: `${scenario.title}: Tet p99 ≤ sirv's`, met: tet.p99 <= sirv.p99, actual: `${tet.p99.toFixed(2)} vs ${sirv.p99.toFixed(2)} ms` });
  }
  const tetStart = results.coldStarts.tet;
  const sirvStart = results.coldStarts.sirv;
  if (tetStart !== undefined && sirvStart !== undefined && tetStart.length > 0 && sirvStart.length > 0) {
    const ratioStart = median(tetStart) / median(sirvStart);
    targets.push({ what: 'cold start within 1.2× of sirv', met: ratioStart <= 1.2, actual: ratio(ratioStart) });
  }
  if (results.micro !== undefined) {
    const rate = median(results.micro.samples);
    targets.push({ what: 'request.staticUrl ≥ 5 M calls/s', met: rate >= 5e6, actual: `${(rate / 1e6).toFixed(1)} M/s` });
  }
  if (results.leak !== undefined) {
    const { afterFirst, afterSecond } = results.leak;
    targets.push({
      what: 'no memory growth (second batch of requests)',
      met: results.leak.steady,
      actual: `heap ${signedMiB(afterSecond.heapUsed - afterFirst.heapUsed)}, RSS ${signedMiB(afterSecond.rss - afterFirst.rss)}`,
    });
  }
  return targets;
}

function signedMiB(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;
}

/** Half the range of the rounds, as a share of the median: how far apart the rounds were. */
export function spread(cell: Cell): string {
  if (cell.rounds.length < 2) return '';
  return `±${Math.round((50 * (Math.max(...cell.rounds) - Math.min(...cell.rounds))) / cell.rps)}%`;
}

function loadTable(results: RunResults): string[] {
  const lines = ['| scenario | server | req/s | spread | p99 ms | server CPU µs/req | client CPU µs/req | × raw | × best peer |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const scenario of results.scenarios) {
    const cells = results.cells[scenario.id] ?? {};
    const raw = cells.raw;
    const best = bestPeer(cells);
    let first = true;
    for (const server of scenario.servers) {
      const label = server === 'tet' ? '**Tet**' : labelFor(server, scenario.id);
      const title = first ? scenario.title : '';
      first = false;
      const cell = cells[server];
      if (cell === undefined) {
        lines.push(`| ${title} | ${label} | pending | | | | | | ${results.pending[`${scenario.id}:${server}`] ?? 'not measured'} |`);
        continue;
      }
      const vsRaw = raw === undefined || server === 'raw' ? '' : ratio(cell.rps / raw.rps);
      const vsPeer = best === undefined || server === 'raw' ? 'n/a' : server === best.server ? 'best peer' : ratio(cell.rps / best.cell.rps);
      const cpu = cell.cpuMicros === undefined ? '' : cpuFormat.format(cell.cpuMicros);
      const clientCpu = cell.clientCpuMicros === undefined ? '' : cpuFormat.format(cell.clientCpuMicros);
      lines.push(`| ${title} | ${label} | ${cell.lowerBound === true ? '≥ ' : ''}${int.format(cell.rps)} | ${spread(cell)} | ${cell.p99.toFixed(1)} | ${cpu} | ${clientCpu} | ${vsRaw} | ${vsPeer} |`);
    }
  }
  return lines;
}

/** The headers and body size each server sent where they differ (the 304 and the 404). */
function shapeTable(results: RunResults): string[] {
  const lines = ['| scenario | server | headers (besides Date, Connection, Keep-Alive, Content-Length) | body |', '| --- | --- | --- | ---: |'];
  for (const scenario of results.scenarios) {
    const shapes = results.shapes?.[scenario.id];
    if (shapes === undefined) continue;
    let first = true;
    for (const server of scenario.servers) {
      const shape = shapes[server];
      if (shape === undefined) continue;
      lines.push(
        `| ${first ? scenario.title : ''} | ${server === 'tet' ? '**Tet**' : labelFor(server, scenario.id)} | ${shape.headers.length === 0 ? 'none' : shape.headers.join(', ')} | ${int.format(shape.bodyBytes)} B |`,
      );
      first = false;
    }
  }
  return lines.length > 2 ? lines : [];
}

function sideTable(results: RunResults): string[] {
  const servers = Object.keys(results.coldStarts) as ServerName[];
  const lines = ['| server | cold start to first 200, median (min–max) | RSS after a round of load (median) |', '| --- | ---: | ---: |'];
  for (const server of servers) {
    const times = results.coldStarts[server] ?? [];
    const start = times.length === 0 ? 'n/a' : `${int.format(median(times))} ms (${int.format(Math.min(...times))}–${int.format(Math.max(...times))})`;
    const rss = results.memory[server];
    lines.push(`| ${LABELS[server]} | ${start} | ${rss === undefined ? 'n/a' : mib(rss)} |`);
  }
  return lines;
}

/**
 * The whole report, as printed and as written to bench/results/latest.md.
 * @example
 * writeFileSync('bench/results/latest.md', renderReport(results))
 */
export function renderReport(results: RunResults): string {
  const { machine, settings, leak, micro } = results;
  const out = [
    `# Tet benchmark, ${results.date}`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node} on ${machine.platform}. Load generator: ${machine.loadgen ?? `autocannon ${machine.autocannon}`}; ` +
      (machine.pinned === true ? 'the server pinned to CPU 0 and the load generator to CPU 1 (taskset), so the server is the bottleneck.' : 'not pinned: server and load generator share the cores.'),
    `Load: ${settings.connections} connections, pipelining ${settings.pipelining}. ${settings.rounds} rounds; each starts every server afresh, warms each server/scenario pair for ${settings.warmupSeconds} s, then measures it for ${settings.seconds} s, servers taking turns. ` +
      'req/s and p99 are medians of the rounds; spread is half their range. ' +
      "Server CPU µs/req is the server process's own CPU time (user + system) during a measurement divided by the requests it answered, median of the rounds: it depends less than req/s on how the two processes share the machine's cores. " +
      "Client CPU µs/req is the same for the load generator: what sending the request and reading that server's answer cost it. A req/s marked ≥ is a lower bound: the load generator used 90% or more of its core in most rounds. " +
      `Every server and the load generator run in their own processes on 127.0.0.1. Fixture: 1 KB css, 100 KB js, 1 MB binary, ${int.format(settings.treeFiles)} small files. Whole run: ${int.format(results.elapsedSeconds)} s.`,
    '',
    ...loadTable(results),
    '',
  ];
  out.push(...workersSection(results.workers, results.cells, Object.fromEntries(results.scenarios.map((scenario) => [scenario.id, scenario.title])), results.machine.cores));
  const shapes = shapeTable(results);
  if (shapes.length > 0) out.push('Not every server sends the same answer to the same request. What each sent in the pre-flight:', '', ...shapes, '');
  out.push(
    `Cold start: fork of the server process to the end of its first 200, over the ${int.format(settings.treeFiles)}-file tree, ${settings.coldStarts} runs each.`,
    '',
    ...sideTable(results),
    '',
  );
  if (micro !== undefined) {
    const rate = median(micro.samples);
    out.push(
      `\`request.staticUrl\` micro-benchmark: ${(rate / 1e6).toFixed(1)} M calls/s (median of ${micro.samples.length} samples, ${(Math.min(...micro.samples) / 1e6).toFixed(1)}–${(Math.max(...micro.samples) / 1e6).toFixed(1)}), e.g. \`${micro.example}\`.`,
      '',
    );
  }
  if (results.contentStartup !== undefined) out.push(contentStartupSection(results.contentStartup), '');
  if (results.moduleStartup !== undefined) out.push(moduleStartupSection(results.moduleStartup), '');
  if (results.archiveCost !== undefined) out.push(archiveSection(results.archiveCost), '');
  if (leak !== undefined) {
    out.push(
      `Leak check (fresh Tet process, full GC before each reading, ${int.format(leak.requestsPerBatch)} mixed requests per batch): ` +
        `RSS ${mib(leak.before.rss)} → ${mib(leak.afterFirst.rss)} → ${mib(leak.afterSecond.rss)}; heap ${mib(leak.before.heapUsed)} → ${mib(leak.afterFirst.heapUsed)} → ${mib(leak.afterSecond.heapUsed)}; ` +
        `statuses ${Object.entries(leak.statuses)
          .map(([status, count]) => `${status}: ${int.format(count)}`)
          .join(', ')}.`,
      '',
    );
  }
  out.push('Targets:', '');
  for (const target of judgeTargets(results)) out.push(`- ${target.met === undefined ? '… pending' : target.met ? '✓ met' : '✗ missed'}: ${target.what}: ${target.actual}`);
  const pending = Object.entries(results.pending);
  if (pending.length > 0) out.push('', 'Pending:', '', ...[...new Set(pending.map(([, reason]) => reason))].map((reason) => `- ${reason}`));
  out.push('');
  return out.join('\n');
}

const BLOCK_START = '<!-- The block below is bench/results/latest.md';
const BLOCK_END = '<!-- The block above ends here';

/**
 * docs/benchmarks.md with `report` as its "Latest run": what lies between the two comments is
 * replaced, and only that (what follows, the table of runs and the analyses, is written by
 * hand; a run once replaced all of it up to the next section). Undefined without the comments.
 * @example
 * withLatestRun(readFileSync('docs/benchmarks.md', 'utf8'), renderReport(results))
 */
export function withLatestRun(docs: string, report: string): string | undefined {
  const marker = docs.indexOf(BLOCK_START);
  if (marker === -1) return undefined;
  const start = docs.indexOf('\n', marker) + 1;
  const end = docs.indexOf(BLOCK_END, start);
  if (start === 0 || end === -1) return undefined;
  return `${docs.slice(0, start)}\n${report.replace(/^# /, '### ').trimEnd()}\n\n${docs.slice(end)}`;
}
