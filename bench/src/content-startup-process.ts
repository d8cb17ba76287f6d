// One content-hashed start-up, in a fresh process: configure a content-hashed static view
// on a generated tree and report how long the commit (indexing, hashing, stylesheet rewriting)
// took. Usage: node content-startup-process.js <app-dir> <hash|manifest|token>
import { Configurator } from '@tet/core';
import { tetStatic } from '@tet/static';

const [dir, mode] = process.argv.slice(2) as [string, 'hash' | 'manifest' | 'token'];
const started = performance.now();
const config = new Configurator({ package: dir });
config.include(tetStatic);
if (mode === 'token') config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'content-bench:static' });
else config.addStaticView({ name: 'assets', path: 'content-bench:static', cacheBust: 'content', ...(mode === 'hash' ? { manifest: 'content-bench:no-manifest.json' } : {}) });
await config.makeApp();
process.stdout.write(`${JSON.stringify({ milliseconds: performance.now() - started, files: config.registry.staticViews!.all()[0]!.index.size })}\n`);
