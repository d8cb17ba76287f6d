// The report's workers section: `tet serve --workers N` beside the single-process Tet figures.
import type { Cell } from './report.js';
import type { WorkersResult } from './workers.js';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Markdown lines for the workers rows, or none when they were not measured.
 * @example
 * out.push(...workersSection(results.workers, results.cells, titles, cores))
 */
export function workersSection(workers: WorkersResult | undefined, single: Record<string, { tet?: Cell }>, titles: Record<string, string>, cores: number): string[] {
  if (workers === undefined || Object.keys(workers.cells).length === 0) return [];
  const rows = Object.entries(workers.cells).map(([id, cell]) => {
    const one = single[id]?.tet;
    const ratio = one === undefined || one.rps === 0 ? '–' : `${(cell.rps / one.rps).toFixed(2)}×`;
    return `| ${titles[id] ?? id} | ${one === undefined ? '–' : int.format(one.rps)} | ${int.format(cell.rps)} | ${ratio} | ${one === undefined ? '–' : one.p99.toFixed(1)} | ${cell.p99.toFixed(1)} |`;
  });
  return [
    `\`tet serve --workers ${workers.workers}\` (node:cluster workers sharing the port), measured once after a warm-up, beside the single-process Tet figures above. ` +
      `The workers are not pinned: they and the load generator share this machine's ${cores} cores${cores <= 2 ? ', so the load generator competes with the workers for CPU and the ratio understates what the workers give when the clients are on other machines' : ''}.`,
    '',
    `| scenario | Tet, 1 process req/s | tet serve --workers ${workers.workers} req/s | ratio | p99 ms, 1 process | p99 ms, workers |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}
