// What scripts/bundle.mjs makes: each package's "exports" give Node a bundle by default, the same
// API as dist/src under the `tet-unbundled` condition, few files to load, and one copy of
// @tet/core shared by every package. Checked in child processes, which choose the condition.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = ['@tet/core', '@tet/core/testing', '@tet/static', '@tet/static/cli', '@tet/templating', '@tet/vite'];

// Runs an ES module script from the repository's root (where the workspace packages resolve),
// or from a package's folder (whose package.json then scopes the script).
function run(script, conditions = [], cwd = repo) {
  const result = spawnSync(process.execPath, [...conditions, '--input-type=module', '-e', script], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

// Each entry's URL, export names, and the `name` of each exported function or class (messages
// name event classes and users' functions; linking must not rename them).
const exportsOf = (conditions) =>
  run(
    `const out = {}; for (const name of ${JSON.stringify(ENTRIES)}) { const module = await import(name); out[name] = { url: import.meta.resolve(name), names: Object.keys(module).sort(), functionNames: Object.fromEntries(Object.entries(module).filter(([, value]) => typeof value === 'function').map(([key, value]) => [key, value.name])) }; } console.log(JSON.stringify(out));`,
    conditions,
  );

const bundles = suite('package bundles');

bundles('each entry resolves to its bundle by default and to dist/src under tet-unbundled, with the same exports and names', () => {
  const bundled = exportsOf([]);
  const unbundled = exportsOf(['--conditions=tet-unbundled']);
  for (const name of ENTRIES) {
    assert.match(bundled[name].url, /\/packages\/\w+\/dist\/\w+\.js$/, `${name} → ${bundled[name].url}`);
    assert.match(unbundled[name].url, /\/packages\/\w+\/dist\/src\/\w+\.js$/, `${name} → ${unbundled[name].url}`);
    assert.ok(bundled[name].names.length > 0, name);
    assert.equal(bundled[name].names, unbundled[name].names, name);
    assert.equal(bundled[name].functionNames, unbundled[name].functionNames, `${name}: the names of its functions and classes`);
  }
});

bundles('importing the packages loads a handful of files, with the start-up dependencies linked in', () => {
  const hooks = new URL('fixtures/load-hooks.mjs', import.meta.url).href;
  const loaded = run(`import { register, createRequire } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (url) => urls.push(url));
register(${JSON.stringify(hooks)}, { data: { port: port2 }, transferList: [port2] });
await import('@tet/core'); await import('@tet/static'); await import('@tet/templating');
await new Promise((resolve) => setTimeout(resolve, 100)); // the hooks' messages are asynchronous
port1.close();
console.log(JSON.stringify({ esm: urls.filter((url) => url.startsWith('file:')), cjs: Object.keys(createRequire(import.meta.url).cache) }));`);
  const files = loaded.esm.map((url) => url.slice(url.indexOf('/packages/') + 1));
  assert.ok(files.length > 0 && files.every((file) => /^packages\/(core|static|templating)\/dist\/(chunks\/)?[\w-]+\.js$/.test(file)), files.join('\n'));
  assert.ok(files.length <= 12, `${files.length} files: ${files.join(', ')}`);
  assert.equal(loaded.cjs, [], 'no CommonJS dependency is required at start-up');
});

bundles('importing the packages loads no Node module only some features need (assert, zlib), and find-my-way still checks a route’s regex', () => {
  const loaded = run(`const before = new Set(process.moduleLoadList);
const { Configurator } = await import('@tet/core'); await import('@tet/static'); await import('@tet/templating');
const builtins = process.moduleLoadList.filter((name) => !before.has(name) && name.startsWith('NativeModule ')).map((name) => name.slice(13));
const config = new Configurator({ package: process.cwd() });
config.addRoute('digits', '/digits/:id(^\\\\d+$)');
config.addRoute('nested', '/nested/:id(^(a+)+$)');
let error;
try { await config.makeApp(); } catch (caught) { error = { code: caught.code, message: caught.message }; }
console.log(JSON.stringify({ builtins, error }));`);
  assert.ok(loaded.builtins.includes('http'), loaded.builtins.join(' '));
  for (const name of ['assert', 'zlib']) assert.not.ok(loaded.builtins.includes(name), `${name} is loaded at start-up`);
  assert.is(loaded.error?.code, 'TET_ERR_ROUTE_PATTERN');
  assert.match(loaded.error.message, "addRoute('nested', '/nested/:id(^(a+)+$)')");
  assert.match(loaded.error.message, 'is not safe');
});

bundles('@tet/static and @tet/templating use the application’s @tet/core: one ConfigurationError, one Configurator', () => {
  const seen = run(`import { Configurator, ConfigurationError } from '@tet/core';
import { tetStatic } from '@tet/static';
const config = new Configurator({ package: process.cwd() });
config.include(tetStatic);
let caught;
try { config.addStaticView({ name: 'static', path: 'no-such-package:static' }); await config.makeApp(); } catch (error) { caught = error; }
console.log(JSON.stringify({ isConfigurationError: caught instanceof ConfigurationError, code: caught?.code, directive: typeof config.addStaticViewWithBreaker }));`);
  assert.is(seen.isConfigurationError, true);
  assert.type(seen.code, 'string');
  assert.is(seen.directive, 'function');
});

bundles('the tet bin runs the bundled CLI, and a supervisor starts its children with the same one', () => {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/core/bin/tet.js', import.meta.url)), 'help'], { encoding: 'utf8', timeout: 30_000 });
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, 'Usage: tet <command> [options]');
  // serve/command.ts forks workers and the --reload child with import.meta.resolve('#cli').
  const core = fileURLToPath(new URL('../../packages/core', import.meta.url));
  const resolveCli = 'console.log(JSON.stringify(import.meta.resolve("#cli")))';
  assert.match(run(resolveCli, [], core), /\/packages\/core\/dist\/cli\.js$/);
  assert.match(run(resolveCli, ['--conditions=tet-unbundled'], core), /\/packages\/core\/dist\/src\/cli\.js$/);
});

bundles.run();
