// Start-up cost of the module graph (issue 15): a content-hashed view over 1,000 ES modules
// (imports, cycles, dynamic imports, asset URLs), whose references are found with
// es-module-lexer and rewritten leaves first, against the same 1,000 files named .txt, which
// are hashed but not parsed. The difference is what the module graph costs at start-up.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./module-startup-process.js', import.meta.url));

/** Medians in milliseconds. */
export interface ModuleStartup {
  readonly modules: number;
  readonly runs: number;
  readonly medians: { modules: number; plain: number };
  readonly cycles: number;
}

const ensure = (file: string) => {
  mkdirSync(dirname(file), { recursive: true });
  return file;
};

/**
 * `count` modules in 20 folders: module i imports i+1, i+7 and i+31 (when they exist), every
 * 10th also imports i-5 (a cycle), every 25th imports one dynamically and names an image
 * with `new URL(..., import.meta.url)`, and every module has a few hundred bytes of code.
 */
export function writeModuleTree(dir: string, count: number, extension: 'js' | 'txt'): number {
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(ensure(join(dir, 'package.json')), '{ "name": "module-bench", "private": true }\n');
  const path = (i: number) => `static/f${i % 20}/m${i}.${extension}`;
  const spec = (to: number) => `../f${to % 20}/m${to}.${extension}`;
  let cycles = 0;
  writeFileSync(ensure(join(dir, 'static', 'img', 'icon.svg')), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  for (let i = 0; i < count; i++) {
    const targets = [i + 1, i + 7, i + 31].filter((t) => t < count);
    if (i % 10 === 0 && i >= 5) {
      targets.push(i - 5);
      cycles++;
    }
    const lines = targets.map((t, k) => `import { value as v${k} } from '${spec(t)}';`);
    if (i % 25 === 0 && i + 3 < count) lines.push(`const lazy = () => import('${spec(i + 3)}');`, "const icon = new URL('../img/icon.svg', import.meta.url);");
    lines.push(`export const value = ${i};`, `export function f${i}(x) { return [${targets.map((_, k) => `v${k}`).join(', ')}].reduce((a, b) => a + b, x) + ${'1 + '.repeat(40)}0; }`);
    writeFileSync(ensure(join(dir, path(i))), `${lines.join('\n')}\n`);
  }
  return cycles;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function once(dir: string): Promise<number> {
  const { stdout } = await run(process.execPath, [child, dir]);
  return (JSON.parse(stdout) as { milliseconds: number }).milliseconds;
}

export async function measureModuleStartup(root: string, count = 1000, runs = 5): Promise<ModuleStartup> {
  const modulesDir = join(root, 'modules');
  const plainDir = join(root, 'plain');
  const cycles = writeModuleTree(modulesDir, count, 'js');
  writeModuleTree(plainDir, count, 'txt');
  const times = { modules: [] as number[], plain: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.modules.push(await once(modulesDir));
    times.plain.push(await once(plainDir));
  }
  return { modules: count, runs, cycles, medians: { modules: median(times.modules), plain: median(times.plain) } };
}

/** The markdown section for the report. */
export function moduleStartupSection(result: ModuleStartup): string {
  const ms = (value: number) => `${Math.round(value)} ms`;
  return [
    `Module-graph start-up (a content-hashed view over ${result.modules.toLocaleString('en-US')} ES modules with ${result.cycles} import cycles, dynamic imports and \`new URL(..., import.meta.url)\`): configuration to committed app in a fresh process, median of ${result.runs}, against the same files as \`.txt\` (hashed, not parsed).`,
    '',
    '| files | modules (lexed, rewritten, hashed leaves first) | the same as .txt | the module graph costs |',
    '| ---: | ---: | ---: | ---: |',
    `| ${result.modules.toLocaleString('en-US')} | ${ms(result.medians.modules)} | ${ms(result.medians.plain)} | ${ms(result.medians.modules - result.medians.plain)} |`,
  ].join('\n');
}
