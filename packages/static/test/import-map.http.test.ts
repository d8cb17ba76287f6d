// Import maps and module tags (issue 15, importmap-rails' model): pins name files' current
// URLs, and moduleTags() preloads an entry's static import graph.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, type Configurator, ConfigurationError, Response } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { integrityOf, StaticMarkup } from '../src/index.js';
import { sha384 } from '../src/content-hash.js';
import { addModules } from './es-module-fixture.js';
import { APP, type FixtureApp, makeApp, makeFixtureApp, serve } from './helpers.js';

type Server = TestServer & { app: App };
interface Context {
  fixture: FixtureApp;
  content: Server;
  token: Server;
}

function addControllers(staticDir: string): void {
  mkdirSync(join(staticDir, 'controllers', 'nested'), { recursive: true });
  writeFileSync(join(staticDir, 'controllers', 'hello.js'), 'export default "hello";\n');
  writeFileSync(join(staticDir, 'controllers', 'index.js'), 'export * from "./hello.js";\n');
  writeFileSync(join(staticDir, 'controllers', 'nested', 'deep.mjs'), 'export default "deep";\n');
  writeFileSync(join(staticDir, 'controllers', 'notes.txt'), 'not a module\n');
}

function pinned(configure: (config: Configurator) => void) {
  return (config: Configurator) => {
    configure(config);
    config.pin('lit', `${APP}:static/vendor/lit.js`);
    config.pinAll(`${APP}:static/controllers`, { under: 'controllers' });
    config.addRoute('tags', '/tags');
    config.addView((request) => new Response(`${request.importMap().__html__()}\n${request.moduleTags(`${APP}:static/js/app.js`).__html__()}`), { routeName: 'tags' });
    config.addRoute('urls', '/urls');
    config.addView(
      (request) =>
        Response.json(
          Object.fromEntries(
            [
              'js/app.js',
              'js/router.js',
              'js/views.js',
              'js/util.js',
              'js/leaf.js',
              'js/sibling.js',
              'vendor/lit.js',
              'controllers/hello.js',
              'controllers/index.js',
              'controllers/nested/deep.mjs',
            ].map((path) => [path, request.staticUrl(`${APP}:static/${path}`)]),
          ),
        ),
      { routeName: 'urls' },
    );
  };
}

const served = async (server: Server, url: string) => (await rawRequest(server.base, new URL(url).pathname)).body;

const maps = suite<Context>('request.importMap and request.moduleTags');
maps.before(async (context) => {
  context.fixture = makeFixtureApp();
  addModules(context.fixture.staticDir);
  addControllers(context.fixture.staticDir);
  context.content = await serve(
    context.fixture.dir,
    pinned((config) => config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' })),
  );
  context.token = await serve(
    context.fixture.dir,
    pinned((config) => config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` })),
    { 'tet.static.cachebreaker': 'v7' },
  );
});
maps.after(async (context) => {
  await context.content.close();
  await context.token.close();
  context.fixture.remove();
});

for (const kind of ['content', 'token'] as const) {
  maps(`renders the pins' current URLs with the integrity of the bytes served (${kind} view)`, (context) =>
    withTimeout(async () => {
      const server = context[kind];
      const urls = (await (await fetch(`${server.base}/urls`)).json()) as Record<string, string>;
      const html = await (await fetch(`${server.base}/tags`)).text();
      const json = /^<script type="importmap">(.*)<\/script>\n/.exec(html)![1]!;
      const map = JSON.parse(json) as { imports: Record<string, string>; integrity: Record<string, string> };
      assert.equal(map.imports, {
        lit: urls['vendor/lit.js'],
        'controllers/hello': urls['controllers/hello.js'],
        controllers: urls['controllers/index.js'],
        'controllers/nested/deep': urls['controllers/nested/deep.mjs'],
      });
      for (const url of Object.values(map.imports)) assert.is(map.integrity[url], integrityOf(sha384(await served(server, url))), url);
      if (kind === 'token') assert.match(urls['vendor/lit.js']!, '/static/v7/vendor/lit.js');
    }),
  );

  maps(`preloads the entry's static import graph, pins included, then the entry (${kind} view)`, (context) =>
    withTimeout(async () => {
      const server = context[kind];
      const urls = (await (await fetch(`${server.base}/urls`)).json()) as Record<string, string>;
      const html = await (await fetch(`${server.base}/tags`)).text();
      const tags = html.split('\n').slice(1);
      const preloaded = tags.slice(0, -1).map((tag) => /^<link rel="modulepreload" href="([^"]+)" integrity="([^"]+)">$/.exec(tag)!);
      assert.equal(preloaded.map((match) => match[1]).sort(), ['js/router.js', 'js/util.js', 'js/sibling.js', 'vendor/lit.js', 'js/views.js', 'js/leaf.js'].map((path) => urls[path]).sort());
      for (const [, url, integrity] of preloaded) assert.is(integrity, integrityOf(sha384(await served(server, url!))));
      const app = urls['js/app.js']!;
      assert.is(tags.at(-1), `<script type="module" src="${app}" integrity="${integrityOf(sha384(await served(server, app)))}"></script>`);
      assert.not.match(html, 'lazy.js', 'a dynamic import is not preloaded');
    }),
  );
}

maps('returns markup with __html__, which @tet/templating prints unescaped', () => {
  const markup = new StaticMarkup('<b>x</b>');
  assert.is(markup.__html__(), '<b>x</b>');
  assert.is(String(markup), '<b>x</b>');
});

maps('writes JSON that cannot close its script element', (context) =>
  withTimeout(async () => {
    writeFileSync(join(context.fixture.staticDir, 'vendor', 'evil.js'), 'export {};\n');
    const server = await serve(context.fixture.dir, (config) => {
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      config.pin('</script><script>alert(1)</script>', `${APP}:static/vendor/evil.js`);
      config.addRoute('map', '/map');
      config.addView((request) => new Response(request.importMap().__html__()), { routeName: 'map' });
    });
    const html = await (await fetch(`${server.base}/map`)).text();
    await server.close();
    assert.match(html, '\\u003c/script>\\u003cscript>');
  }),
);

const errors = suite<{ fixture: FixtureApp }>('config.pin and config.pinAll errors');
errors.before((context) => {
  context.fixture = makeFixtureApp();
  addModules(context.fixture.staticDir);
  addControllers(context.fixture.staticDir);
  mkdirSync(join(context.fixture.dir, 'unserved'));
  writeFileSync(join(context.fixture.dir, 'unserved', 'x.js'), 'export {};\n');
});
errors.after((context) => context.fixture.remove());

async function failure(dir: string, configure: (config: Configurator) => void): Promise<ConfigurationError> {
  try {
    await makeApp(dir, (config) => {
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      configure(config);
    });
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

errors('are ConfigurationErrors with TET_ERR_STATIC_PIN saying what to fix', (context) =>
  withTimeout(async () => {
    const { dir } = context.fixture;
    const cases: Array<[(config: Configurator) => void, string]> = [
      [(config) => config.pin('lit', `${APP}:static/vendor/missing.js`), 'is not a file'],
      [(config) => config.pin('x', `${APP}:unserved/x.js`), "is not inside any static view's folder"],
      [(config) => config.pin('', `${APP}:static/vendor/lit.js`), 'bare specifier'],
      [(config) => config.pinAll(`${APP}:unserved`), "is not inside any static view's folder"],
      [(config) => config.pinAll(`${APP}:static/img`), 'no .js or .mjs files'],
    ];
    for (const [configure, fragment] of cases) {
      const error = await failure(dir, configure);
      assert.is(error.code, 'TET_ERR_STATIC_PIN');
      assert.match(error.message, fragment);
    }
  }),
);

errors('an explicit pin wins over the same name from pinAll', (context) =>
  withTimeout(async () => {
    const app = await makeApp(context.fixture.dir, (config) => {
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      config.pin('controllers/hello', `${APP}:static/vendor/lit.js`);
      config.pinAll(`${APP}:static/controllers`, { under: 'controllers' });
    });
    assert.is(app.registry.importMapPins!.fileFor('controllers/hello'), join(context.fixture.staticDir, 'vendor', 'lit.js'));
  }),
);

maps.run();
errors.run();
