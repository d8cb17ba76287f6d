// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went: the
// functions with the most self time, and self time by module. Also a CLI:
//   node bench/dist/src/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

// Module names short enough for a table: the package or Node's internal area.
function moduleOf(url: string): string {
  if (url === '') return '(native / vm)';
  if (url.startsWith('node:'))
    return url
      .replace(/^node:internal\//, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  const workspace = /\/(packages\/[^/]+)\/dist\/src\/([^/]+)$/.exec(url);
  if (workspace !== null) return `${workspace[1]}/${workspace[2]}`;
  const installed = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return installed?.[1] ?? url.replace(/^file:\/\//, '');
}

/**
 * The top `top` functions by self time, and self time per module, as text.
 * @example
 * console.log(summarizeProfile('CPU.20250101.cpuprofile', 20))
 */
export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${moduleOf(url)}${url === '' ? '' : `:${lineNumber + 1}`}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    selfByModule.set(moduleOf(url), (selfByModule.get(moduleOf(url)) ?? 0) + delta);
    total += delta;
  });
  const rows = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)} %  ${name}`);
  return [`busy time ${(total / 1e6).toFixed(2)} s (idle excluded)`, '', 'self time by function:', ...rows(selfByFunction, top), '', 'self time by module:', ...rows(selfByModule, 15)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node bench/dist/src/profile-summary.js <file.cpuprofile> [top]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${summarizeProfile(file, Number(top ?? 25))}\n`);
  }
}
