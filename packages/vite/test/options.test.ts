// Every mistake in configuring a Vite build, as a ConfigurationError with its code and what to fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Configurator, ConfigurationError, Response } from '@tet/core';
import { configureTestApp, withTimeout } from '@tet/core/testing';
import { tetVite } from '../src/index.js';
import { MANIFEST, tagServer, writeBuild } from './fixture.js';

const errors = suite<{ dir: string }>('Vite.addViteBuild errors');
errors.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-errors-'));
});
errors.after((context) => rmSync(context.dir, { recursive: true, force: true }));

async function failure(configure: (config: Configurator) => void, settings = {}): Promise<ConfigurationError> {
  try {
    await configureTestApp(configure, { package: import.meta.url, include: [tetVite], settings }).makeApp();
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

errors('invalid options are TET_ERR_VITE_OPTIONS, saying which and how', () =>
  withTimeout(async () => {
    const cases: Array<[unknown, string]> = [
      ['dist', 'pass an options object { name, path }, got the string "dist"'],
      [{ name: '', path: 'x:dist' }, "name must be a URL prefix such as 'vite'"],
      [{ name: 'vite/{x}', path: 'x:dist' }, "name must be a URL prefix such as 'vite'"],
      [{ name: 'vite' }, "path must be Vite's outDir"],
      [{ name: 'vite', path: '/dist', outDir: 'x' }, "unknown option 'outDir'; the options are name, path, assetsDir, manifest, devServer, archive"],
      [{ name: 'vite', path: '/dist', assetsDir: '../assets' }, "assetsDir must be Vite's build.assetsDir"],
      [{ name: 'vite', path: '/dist', manifest: '/etc/manifest.json' }, 'manifest must be a path inside the build folder'],
      [{ name: 'vite', path: '/dist', devServer: 5173 }, "devServer must be a URL such as 'http://localhost:5173', got 5173"],
    ];
    for (const [options, fragment] of cases) {
      const error = await failure((config) => config.addViteBuild(options as never));
      assert.is(error.code, 'TET_ERR_VITE_OPTIONS', fragment);
      assert.ok(error.message.includes(fragment), `${error.message} lacks ${fragment}`);
    }
  }),
);

errors('a dev server that is not an http(s) URL is TET_ERR_VITE_DEV_SERVER', () =>
  withTimeout(async () => {
    for (const [settings, options, fragment] of [
      [{ 'tet.vite.dev_server': 'localhost:5173' }, {}, "settings['tet.vite.dev_server']: the Vite dev server must be an http(s) URL"],
      [{}, { devServer: 'ws://localhost:5173' }, 'devServer: the Vite dev server must be an http(s) URL such as \'http://localhost:5173\', got the string "ws://localhost:5173"'],
      [{}, { devServer: 'http://localhost:5173/?x=1' }, 'must be an http(s) URL'],
    ] as const) {
      const error = await failure((config) => config.addViteBuild({ name: 'vite', path: '/dist', ...options }), settings);
      assert.is(error.code, 'TET_ERR_VITE_DEV_SERVER');
      assert.ok(error.message.includes(fragment), error.message);
    }
  }),
);

errors('a build folder or manifest that is missing, broken or incomplete is TET_ERR_VITE_MANIFEST at start-up', ({ dir }) =>
  withTimeout(async () => {
    const folder = (name: string, manifest?: unknown, skip: string[] = []) => {
      const path = join(dir, name);
      writeBuild(path, manifest, skip);
      return path;
    };
    const noManifest = join(dir, 'no-manifest');
    mkdirSync(noManifest);
    const cases: Array<[string, string]> = [
      [join(dir, 'absent'), 'is not a directory. Run `vite build`'],
      [noManifest, 'no-manifest/.vite/manifest.json does not exist. Build with `vite build` and build.manifest: true'],
      [folder('not-json', '{"src/main.ts": '), 'is not valid JSON'],
      [folder('array', [1, 2]), 'is not a Vite manifest'],
      [folder('no-file', { 'src/main.ts': { src: 'src/main.ts' } }), 'chunk \'src/main.ts\' has no "file"'],
      [folder('bad-list', { 'src/main.ts': { file: 'assets/main-AAAA1111.js', css: 'assets/x.css' } }), '"css" is not a list of strings'],
      [folder('dangling', { 'src/main.ts': { file: 'assets/main-AAAA1111.js', imports: ['_gone.js'] } }), "imports '_gone.js', which the manifest lacks"],
      [folder('partial', MANIFEST, ['assets/ui-BBBB2222.js']), 'the manifest names assets/ui-BBBB2222.js, which'],
    ];
    for (const [path, fragment] of cases) {
      const error = await failure((config) => config.addViteBuild({ name: 'vite', path }));
      assert.is(error.code, 'TET_ERR_VITE_MANIFEST', fragment);
      assert.ok(error.message.includes(fragment), `${error.message} lacks ${fragment}`);
      assert.ok(error.message.startsWith(`addViteBuild({ name: 'vite', path: '${path}' })`), error.message);
    }
  }),
);

errors('a manifest at a path that is not hidden (build.manifest: "manifest.json") is never served either', ({ dir }) =>
  withTimeout(async () => {
    const path = join(dir, 'plain-manifest');
    writeBuild(path);
    writeFileSync(join(path, 'manifest.json'), JSON.stringify(MANIFEST));
    const server = await tagServer((config) => config.addViteBuild({ name: 'vite', path, manifest: 'manifest.json' }));
    try {
      const answer = await fetch(`${server.base}/vite/manifest.json`);
      assert.is(answer.status, 404);
      assert.is(answer.headers.get('cache-control'), 'no-store');
      assert.is((await fetch(`${server.base}/vite/assets/main-AAAA1111.js`)).status, 200);
    } finally {
      await server.close();
    }
  }),
);

errors('a viteEarlyHints option that is not a list of entries is TET_ERR_VITE_OPTIONS', () =>
  withTimeout(async () => {
    for (const hints of ['src/main.ts', [], [''], { entries: ['src/main.ts'], build: 3 }]) {
      const error = await failure((config) => {
        config.addRoute('home', '/');
        config.addView(() => new Response('home'), { routeName: 'home', viteEarlyHints: hints as never });
      });
      assert.is(error.code, 'TET_ERR_VITE_OPTIONS');
      assert.ok(error.message.includes("addView({ routeName: 'home' }): viteEarlyHints is a list of Vite entries"), error.message);
    }
  }),
);

errors('two builds under one name conflict', ({ dir }) =>
  withTimeout(async () => {
    writeBuild(join(dir, 'twice'));
    const error = await failure((config) => {
      config.addViteBuild({ name: 'vite', path: join(dir, 'twice') });
      config.addViteBuild({ name: '/vite/', path: join(dir, 'twice') });
    });
    assert.is(error.code, 'TET_ERR_CONFIG_CONFLICT');
  }),
);

errors.run();
