// addViteBuild() and viteTags() against build folders written here in the shape Vite writes
// (the real build is examples/vite-app's tests): what the tags are for a manifest's graph, and
// every configuration mistake as a ConfigurationError with its code and what to fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Configurator, ConfigurationError, Response, type TetError } from '@tet/core';
import { configureTestApp, startTestApp, withTimeout } from '@tet/core/testing';
import { entryFiles, tetVite, type ViteManifest } from '../src/index.js';

const MANIFEST: ViteManifest = {
  'src/main.ts': { file: 'assets/main-AAAA1111.js', src: 'src/main.ts', isEntry: true, imports: ['_ui-BBBB2222.js'], dynamicImports: ['src/lazy.ts'], css: ['assets/main-CCCC3333.css'] },
  'src/admin.ts': { file: 'assets/admin-DDDD4444.js', src: 'src/admin.ts', isEntry: true, imports: ['_ui-BBBB2222.js', '_util-EEEE5555.js'] },
  '_ui-BBBB2222.js': { file: 'assets/ui-BBBB2222.js', name: 'ui', imports: ['_util-EEEE5555.js'], css: ['assets/ui-FFFF6666.css'] },
  '_util-EEEE5555.js': { file: 'assets/util-EEEE5555.js', name: 'util', css: ['assets/util-GGGG7777.css'] },
  'src/lazy.ts': { file: 'assets/lazy-HHHH8888.js', src: 'src/lazy.ts', isDynamicEntry: true, imports: ['_util-EEEE5555.js'], css: ['assets/lazy-IIII9999.css'] },
  'src/print.css': { file: 'assets/print-JJJJ0000.css', src: 'src/print.css', isEntry: true },
};

/** A build folder as `vite build` leaves it: the files, and the manifest in .vite/. */
function writeBuild(dir: string, manifest: unknown = MANIFEST, skip: string[] = []): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, '.vite'), { recursive: true });
  for (const chunk of Object.values(MANIFEST)) {
    for (const file of [chunk.file, ...(chunk.css ?? [])]) if (!skip.includes(file)) writeFileSync(join(dir, file), `/* ${file} */\n`);
  }
  writeFileSync(join(dir, '.vite', 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
}

const graph = suite('Vite.entryFiles');

graph('an entry: its CSS, then its static imports’ CSS depth first; its file; its static imports as preloads; no dynamic import', () => {
  assert.equal(entryFiles(MANIFEST, ['src/main.ts']), {
    css: ['assets/main-CCCC3333.css', 'assets/ui-FFFF6666.css', 'assets/util-GGGG7777.css'],
    entries: ['assets/main-AAAA1111.js'],
    preloads: ['assets/ui-BBBB2222.js', 'assets/util-EEEE5555.js'],
  });
});

graph('several entries: each file once, and an entry is never also a preload', () => {
  assert.equal(entryFiles(MANIFEST, ['src/admin.ts', 'src/main.ts', 'src/print.css']), {
    css: ['assets/main-CCCC3333.css', 'assets/ui-FFFF6666.css', 'assets/util-GGGG7777.css'],
    entries: ['assets/admin-DDDD4444.js', 'assets/main-AAAA1111.js', 'assets/print-JJJJ0000.css'],
    preloads: ['assets/ui-BBBB2222.js', 'assets/util-EEEE5555.js'],
  });
});

const tags = suite<{ dir: string }>('Vite.viteTags');
tags.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-'));
  writeBuild(context.dir);
});
tags.after((context) => rmSync(context.dir, { recursive: true, force: true }));

/** A server whose `/tags` view answers the tags for `?entry=` (and `&build=`), or the error's code and message. */
function tagServer(configure: (config: Configurator) => void, settings = {}) {
  return startTestApp(
    (config) => {
      configure(config);
      config.addRoute('url', '/url');
      config.addView(
        (request) => {
          const query = new URLSearchParams(request.queryString);
          try {
            return new Response(request.viteUrl(query.get('source') ?? ''));
          } catch (error) {
            return new Response(`${(error as TetError).code}: ${(error as Error).message}`, { status: 500 });
          }
        },
        { routeName: 'url' },
      );
      config.addRoute('tags', '/tags');
      config.addView(
        (request) => {
          const entries = new URLSearchParams(request.queryString).getAll('entry');
          const build = new URLSearchParams(request.queryString).get('build') ?? undefined;
          const nonce = new URLSearchParams(request.queryString).get('nonce') ?? undefined;
          try {
            return new Response(request.viteTags(entries.length === 1 ? entries[0]! : entries, { ...(build === undefined ? {} : { build }), ...(nonce === undefined ? {} : { nonce }) }).__html__());
          } catch (error) {
            return new Response(`${(error as TetError).code}: ${(error as Error).message}`, { status: 500 });
          }
        },
        { routeName: 'tags' },
      );
    },
    { package: import.meta.url, include: [tetVite], settings },
  );
}

tags('an entry CSS file is a stylesheet link with integrity; ./ and / before the entry are the same key', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'static/vite', path: dir }));
    try {
      for (const entry of ['src/print.css', './src/print.css', '/src/print.css']) {
        const text = await (await fetch(`${server.base}/tags?entry=${encodeURIComponent(entry)}`)).text();
        assert.match(text, new RegExp(`^<link rel="stylesheet" href="${server.base}/static/vite/assets/print-JJJJ0000.css" integrity="sha384-[A-Za-z0-9+/]{64}" crossorigin>$`));
      }
    } finally {
      await server.close();
    }
  }),
);

tags('an unknown entry is TET_ERR_VITE_ENTRY naming the entries there are; two builds need { build }', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => {
      config.addViteBuild({ name: 'vite', path: dir });
      config.addViteBuild({ name: 'admin', path: dir });
    });
    try {
      const unknown = await (await fetch(`${server.base}/tags?entry=src/nope.ts&build=vite`)).text();
      assert.ok(unknown.startsWith("TET_ERR_VITE_ENTRY: viteTags('src/nope.ts'): the Vite build 'vite' has no such entry; its entries are src/main.ts, src/admin.ts, src/print.css."), unknown);
      const ambiguous = await (await fetch(`${server.base}/tags?entry=src/main.ts`)).text();
      assert.ok(ambiguous.startsWith('TET_ERR_VITE_ENTRY: viteTags(): the application has 2 Vite builds (vite, admin); say which'), ambiguous);
      const chosen = await (await fetch(`${server.base}/tags?entry=src/main.ts&build=admin`)).text();
      assert.match(chosen, `<script type="module" src="${server.base}/admin/assets/main-AAAA1111.js"`);
      const nobody = await (await fetch(`${server.base}/tags?entry=src/main.ts&build=other`)).text();
      assert.ok(nobody.startsWith("TET_ERR_VITE_ENTRY: viteTags(): no Vite build is named 'other'"), nobody);
    } finally {
      await server.close();
    }
  }),
);

tags('viteUrl(): the built file of a source the manifest lists; an unlisted one is TET_ERR_VITE_ENTRY; a nonce goes on every tag', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'vite', path: dir }));
    const dev = await tagServer((config) => config.addViteBuild({ name: 'vite', path: dir, devServer: 'http://localhost:5173' }));
    try {
      assert.is(await (await fetch(`${server.base}/url?source=./src/print.css`)).text(), `${server.base}/vite/assets/print-JJJJ0000.css`);
      const unknown = await (await fetch(`${server.base}/url?source=src/logo.svg`)).text();
      assert.ok(unknown.startsWith("TET_ERR_VITE_ENTRY: viteUrl('src/logo.svg'): the Vite build 'vite' has no such file in its manifest. Import it"), unknown);
      assert.is(await (await fetch(`${dev.base}/url?source=src/logo.svg`)).text(), 'http://localhost:5173/src/logo.svg');
      const tagged = (await (await fetch(`${server.base}/tags?entry=src/main.ts&nonce=${encodeURIComponent('r4nd"m')}`)).text()).split('\n');
      assert.is(tagged.length, 6);
      for (const tag of tagged) assert.match(tag, / integrity="sha384-[^"]+" crossorigin nonce="r4nd&quot;m">/);
      const devTags = (await (await fetch(`${dev.base}/tags?entry=src/main.ts&nonce=abc`)).text()).split('\n');
      assert.equal(devTags, [
        '<script type="module" src="http://localhost:5173/@vite/client" nonce="abc"></script>',
        '<script type="module" src="http://localhost:5173/src/main.ts" nonce="abc"></script>',
      ]);
    } finally {
      await server.close();
      await dev.close();
    }
  }),
);

tags('an absolute URL as the name (a CDN): the tags point there, integrity included, and Tet serves nothing', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'https://cdn.example.com/build/', path: dir }));
    try {
      const text = await (await fetch(`${server.base}/tags?entry=src/main.ts`)).text();
      assert.match(text, /<script type="module" src="https:\/\/cdn\.example\.com\/build\/assets\/main-AAAA1111\.js" integrity="sha384-/);
      assert.is((await fetch(`${server.base}/build/assets/main-AAAA1111.js`)).status, 404);
    } finally {
      await server.close();
    }
  }),
);

tags('the dev server (setting or option): @vite/client and the entry from it, no manifest read, no integrity', () =>
  withTimeout(async () => {
    const fromSetting = await tagServer((config) => config.addViteBuild({ name: 'vite', path: '/nonexistent/dist' }), { 'tet.vite.dev_server': 'http://localhost:5173/' });
    const fromOption = await tagServer((config) => config.addViteBuild({ name: 'vite', path: '/nonexistent/dist', devServer: 'http://[::1]:5174/base' }));
    try {
      assert.is(
        await (await fetch(`${fromSetting.base}/tags?entry=src/main.ts&entry=src/print.css`)).text(),
        '<script type="module" src="http://localhost:5173/@vite/client"></script>\n<script type="module" src="http://localhost:5173/src/main.ts"></script>\n<link rel="stylesheet" href="http://localhost:5173/src/print.css">',
      );
      assert.is(
        await (await fetch(`${fromOption.base}/tags?entry=./src/main.ts`)).text(),
        '<script type="module" src="http://[::1]:5174/base/@vite/client"></script>\n<script type="module" src="http://[::1]:5174/base/src/main.ts"></script>',
      );
    } finally {
      await fromSetting.close();
      await fromOption.close();
    }
  }),
);

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

const views = suite<{ dir: string }>('Vite.viteBuildsTable');
views.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-views-'));
  writeBuild(context.dir);
});
views.after((context) => rmSync(context.dir, { recursive: true, force: true }));

views('tet views lists each build: its prefix, folder and entries, or the dev server', ({ dir }) =>
  withTimeout(async () => {
    const app = await configureTestApp(
      (config) => {
        config.addViteBuild({ name: 'vite', path: dir });
        config.addViteBuild({ name: 'admin', path: '/nonexistent', devServer: 'http://localhost:5173' });
      },
      { package: import.meta.url, include: [tetVite] },
    ).makeApp();
    const table = app.registry.introspectors.map((introspect) => introspect(app.registry)).find((found) => found.title === 'Vite builds');
    assert.equal(table, {
      title: 'Vite builds',
      columns: ['Name', 'Prefix', 'Folder', 'Entries'],
      rows: [
        ['vite', '/vite/', dir, 'src/main.ts, src/admin.ts, src/print.css'],
        ['admin', 'http://localhost:5173', '-', '(the dev server)'],
      ],
    });
  }),
);

graph.run();
views.run();
tags.run();
errors.run();
