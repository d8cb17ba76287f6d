// ES modules in content-hashed views (issue 15): each module's references point at the
// referenced files' hashed URLs, so the browser's relative resolution finds them.
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Response } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { shortHash } from '../src/index.js';
import { sha384 } from '../src/content-hash.js';
import { addModules, leafSaying, MODULES } from './es-module-fixture.js';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

type Server = TestServer & { app: App };
interface Context {
  fixture: FixtureApp;
  server: Server;
}

const SPECS = [...MODULES, 'js/app.js.map', 'src/app.ts', 'img/icon.svg', 'css/mapped.css', 'css/mapped.css.map', 'css/mapped.scss'];

function moduleApp(dir: string, settings = {}): Promise<Server> {
  return serve(
    dir,
    (config) => {
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      config.addRoute('urls', '/urls');
      config.addView((request) => Response.json(Object.fromEntries(SPECS.map((path) => [path, request.staticPath(`${APP}:static/${path}`)]))), { routeName: 'urls' });
    },
    settings,
  );
}

const urls = async (server: Server) => (await (await fetch(`${server.base}/urls`)).json()) as Record<string, string>;
const text = async (server: Server, path: string) => (await rawRequest(server.base, path)).text;
/** The relative URLs a rewritten module or stylesheet names, in order. */
const named = (code: string) => [...code.matchAll(/"(\.\.\/[^"]+)"|sourceMappingURL=(\S+)/g)].map((m) => (m[1] ?? m[2])!);

function edit(path: string, content: string): void {
  writeFileSync(path, content);
  utimesSync(path, new Date(), new Date(Date.now() + 10_000)); // a different mtime whatever the clock's resolution
}

const modules = suite<Context>('ES modules in content-hashed views');
modules.before(async (context) => {
  context.fixture = makeFixtureApp();
  addModules(context.fixture.staticDir);
  context.server = await moduleApp(context.fixture.dir);
});
modules.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

modules('rewrites imports, dynamic imports, asset URLs and the source map to hashed URLs that are served, bare specifiers left alone', (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    const appUrl = `${context.server.base}${generated['js/app.js']}`;
    const app = await text(context.server, generated['js/app.js']!);
    assert.match(app, "from 'lit'", 'a bare specifier is left for the import map');
    const references = named(app);
    const expected = ['js/router.js', 'js/util.js', 'js/sibling.js', 'img/icon.svg', 'js/lazy.js', 'js/app.js.map'];
    assert.equal(
      references.map((reference) => new URL(reference, appUrl).pathname),
      expected.map((path) => generated[path]),
    );
    for (const reference of references) assert.is((await fetch(new URL(reference, appUrl))).status, 200, reference);
    assert.is(generated['js/app.js'], `/assets/${shortHash(sha384(app))}/js/app.js`, 'the hash is of the rewritten text');
    const res = await rawRequest(context.server.base, generated['js/app.js']!);
    assert.is(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.is(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  }),
);

modules('gives the modules of an import cycle one hash, and their references to each other resolve under it', (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    const hashOf = (path: string) => generated[path]!.split('/')[2];
    assert.is(hashOf('js/router.js'), hashOf('js/views.js'));
    const routerUrl = `${context.server.base}${generated['js/router.js']}`;
    const router = await text(context.server, generated['js/router.js']!);
    assert.match(router, "from './views.js'", 'kept as it is');
    assert.is(new URL('./views.js', routerUrl).pathname, generated['js/views.js']);
    assert.is((await fetch(new URL('./views.js', routerUrl))).status, 200);
  }),
);

modules('serves source maps whose sources point at the served originals, for JavaScript and CSS', (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    for (const [map, original] of [
      ['js/app.js.map', 'src/app.ts'],
      ['css/mapped.css.map', 'css/mapped.scss'],
    ] as const) {
      const mapUrl = `${context.server.base}${generated[map]}`;
      const res = await fetch(mapUrl);
      assert.is(res.status, 200);
      const json = (await res.json()) as { sources: string[] };
      assert.is(new URL(json.sources[0]!, mapUrl).pathname, generated[original]);
      assert.is(await (await fetch(new URL(json.sources[0]!, mapUrl))).text(), await text(context.server, generated[original]!));
    }
    const css = await text(context.server, generated['css/mapped.css']!);
    assert.match(css, `/*# sourceMappingURL=../../${generated['css/mapped.css.map']!.split('/')[2]}/css/mapped.css.map */`);
  }),
);

modules('after a leaf changes and the server restarts, the leaf and every module importing it get new URLs, the others keep theirs', (context) =>
  withTimeout(async () => {
    const before = await urls(context.server);
    edit(join(context.fixture.staticDir, 'js/leaf.js'), leafSaying('new leaf'));
    const restarted = await moduleApp(context.fixture.dir);
    try {
      const after = await urls(restarted);
      for (const path of ['js/leaf.js', 'js/util.js', 'js/lazy.js', 'js/app.js']) assert.is.not(after[path], before[path], `${path} changed`);
      // The map describes app.ts, which did not change.
      for (const path of ['js/router.js', 'js/views.js', 'js/sibling.js', 'vendor/lit.js', 'img/icon.svg', 'src/app.ts', 'js/app.js.map']) assert.is(after[path], before[path], `${path} kept`);
      assert.is(await text(restarted, after['js/leaf.js']!), leafSaying('new leaf'));
      assert.is((await rawRequest(restarted.base, before['js/leaf.js']!)).status, 503, 'the old leaf is not served by the new release');
    } finally {
      await restarted.close();
      edit(join(context.fixture.staticDir, 'js/leaf.js'), leafSaying('old leaf'));
    }
  }),
);

const reload = suite<Context>('ES modules in content-hashed views with tet.static.reload');
reload.before(async (context) => {
  context.fixture = makeFixtureApp();
  addModules(context.fixture.staticDir);
  context.server = await moduleApp(context.fixture.dir, { 'tet.static.reload': true });
});
reload.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

reload('an edited leaf and an edited cycle member give new URLs that resolve, at once', (context) =>
  withTimeout(async () => {
    const before = await urls(context.server);
    edit(join(context.fixture.staticDir, 'js/leaf.js'), leafSaying('edited'));
    const after = await urls(context.server);
    for (const path of ['js/leaf.js', 'js/util.js', 'js/app.js']) assert.is.not(after[path], before[path], `${path} changed`);
    assert.is(after['js/sibling.js'], before['js/sibling.js']);
    assert.match(await text(context.server, after['js/util.js']!), `${after['js/leaf.js']!.split('/')[2]}/js/leaf.js`);

    edit(join(context.fixture.staticDir, 'js/views.js'), "import { ROUTER } from './router.js';\nexport const view = (name) => `${name}!${ROUTER}`;\n");
    const cycled = await urls(context.server);
    assert.is(cycled['js/router.js']!.split('/')[2], cycled['js/views.js']!.split('/')[2]);
    assert.is.not(cycled['js/router.js'], after['js/router.js']);
    for (const path of ['js/router.js', 'js/views.js', 'js/app.js']) assert.is((await rawRequest(context.server.base, cycled[path]!)).status, 200, path);
    const app = await text(context.server, cycled['js/app.js']!);
    assert.match(app, `${cycled['js/router.js']!.split('/')[2]}/js/router.js`);
  }),
);

modules.run();
reload.run();
