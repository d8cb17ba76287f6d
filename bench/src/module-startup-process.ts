// One module-graph start-up, in a fresh process: a content-hashed view over a generated tree
// of modules, and how long the commit took. Usage: node module-startup-process.js <app-dir>
import { Configurator } from '@tet/core';
import { tetStatic } from '@tet/static';

const [dir] = process.argv.slice(2) as [string];
const started = performance.now();
const config = new Configurator({ package: dir });
config.include(tetStatic);
config.addStaticView({ name: 'assets', path: 'module-bench:static', cacheBust: 'content', manifest: 'module-bench:no-manifest.json' });
await config.makeApp();
process.stdout.write(`${JSON.stringify({ milliseconds: performance.now() - started })}\n`);
