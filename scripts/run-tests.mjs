#!/usr/bin/env node
// Runs every uvu test file of the workspace in one uvu run and ends with one plain line,
// `tests: N passed, M failed`, which CI reads (uvu's own Total/Passed lines are not).
// Usage: node scripts/run-tests.mjs [path-fragment ...]   (only files whose path contains one)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './test-summary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const OVERALL_LIMIT_MS = 13 * 60 * 1000;

function walk(dir, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else found.push(path);
  }
  return found;
}

const projects = ['packages', 'examples']
  .flatMap((group) => (existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : []))
  .concat([join(root, 'bench'), join(root, 'scripts')]);

// A test source is `<project>/test/**/x.test.ts`; it runs from `<project>/dist/test/**/x.test.js`.
// Compiled files whose source is gone are skipped, so a deleted test cannot linger. The repo's
// own scripts are plain JavaScript: their `scripts/test/*.test.mjs` run as they are.
const sources = projects.flatMap((project) =>
  walk(join(project, 'test'))
    .filter((file) => file.endsWith('.test.ts') || file.endsWith('.test.mjs'))
    .map((file) => ({ project, file })),
);
const selected = sources.filter(({ file }) => filters.length === 0 || filters.some((fragment) => relative(root, file).includes(fragment)));

// uvu silently drops a suite that is never `.run()`: refuse to start if any is.
const unrun = [];
for (const { file } of sources) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:const|let)\s+(\w+)\s*=\s*suite\s*[<(]/g)) {
    if (!text.includes(`${match[1]}.run()`)) unrun.push(`${relative(root, file)}: suite '${match[1]}' is never .run()`);
  }
  if (/^\s*test\s*\(/m.test(text) && /from 'uvu'/.test(text) && /import\s*{[^}]*\btest\b/.test(text)) unrun.push(`${relative(root, file)}: uses uvu's shared 'test'; use a named suite`);
}
if (unrun.length > 0) {
  for (const line of unrun) console.error(`✘ ${line}`);
  console.log(`tests: 0 passed, ${unrun.length} failed`);
  process.exit(1);
}

const compiled = [];
for (const { project, file } of selected) {
  if (file.endsWith('.mjs')) {
    compiled.push(file);
    continue;
  }
  const js = join(project, 'dist', relative(project, file)).replace(/\.ts$/, '.js');
  if (!existsSync(js)) {
    console.error(`✘ ${relative(root, file)} has no compiled ${relative(root, js)}: did 'tsc -b' run?`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
  compiled.push(js);
}
if (compiled.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

// Tests import internal modules (dist/src/x.js) beside the packages' entries: under the
// `tet-unbundled` condition every entry is dist/src too, so both are one copy of each class.
// Processes the tests spawn run the bundles (dist/*.js), as users do (scripts/bundle.mjs).
const child = spawn(process.execPath, ['--enable-source-maps', '--conditions=tet-unbundled', join(root, 'scripts', 'uvu-child.mjs'), ...compiled], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
});
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
const killer = setTimeout(() => {
  console.error(`\n✘ the test run took longer than ${OVERALL_LIMIT_MS / 60000} minutes and was stopped`);
  child.kill('SIGKILL');
}, OVERALL_LIMIT_MS);

child.on('close', (code, signal) => {
  clearTimeout(killer);
  const { failed, line } = summarize(output, code, signal);
  console.log(line);
  process.exit(failed > 0 ? 1 : 0);
});
