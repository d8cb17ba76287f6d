/// <reference lib="dom" />
// ES modules from a content-hashed view in a real browser (Debian's Chromium through
// playwright-core): the page runs, nothing fails, and an edited leaf changes exactly the
// URLs of the modules that (transitively) import it.
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Response } from '@tet/core';
import { type TestServer, withTimeout, CHROMIUM_ARGS } from '@tet/core/testing';
import { addModules, leafSaying } from './es-module-fixture.js';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

interface Context {
  browser: Browser;
  fixture: FixtureApp;
}

interface Load {
  result: Record<string, unknown>;
  /** Path of every module fetched, by file name (`app.js` -> `/assets/<hash>/js/app.js`). */
  modules: Record<string, string>;
  errors: string[];
  failed: string[];
  map: { status: number; sourceStatus: number; source: string };
}

function pageApp(dir: string): Promise<TestServer & { app: App }> {
  return serve(dir, (config) => {
    config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
    config.addRoute('home', '/');
    config.addView(
      (request) => {
        const url = (path: string) => request.staticPath(`${APP}:static/${path}`);
        const importMap = JSON.stringify({ imports: { lit: url('vendor/lit.js') } });
        return new Response(
          `<!doctype html><html><head><link rel="icon" href="data:,"><script type="importmap">${importMap}</script>` +
            `<script type="module" src="${url('js/app.js')}"></script></head><body><h1>modules</h1></body></html>`,
          { headers: { 'content-type': 'text/html; charset=utf-8' } },
        );
      },
      { routeName: 'home' },
    );
  });
}

async function load(page: Page, base: string): Promise<Load> {
  const errors: string[] = [];
  const failed: string[] = [];
  const modules: Record<string, string> = {};
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.url()} ${response.status()}`);
    const url = new URL(response.url());
    if (url.pathname.endsWith('.js')) modules[url.pathname.split('/').pop()!] = url.pathname;
  });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, { timeout: 5_000 });
  const result = await page.evaluate(() => (globalThis as unknown as { result: Record<string, unknown> }).result);
  // Browsers fetch source maps only with developer tools open: follow the comment as they would.
  const map = await page.evaluate(async (appUrl) => {
    const code = await (await fetch(appUrl)).text();
    const mapUrl = new URL(/sourceMappingURL=(\S+)\s*$/.exec(code)![1]!, appUrl);
    const mapRes = await fetch(mapUrl);
    const json = (await mapRes.json()) as { sources: string[] };
    const sourceRes = await fetch(new URL(json.sources[0]!, mapUrl));
    return { status: mapRes.status, sourceStatus: sourceRes.status, source: await sourceRes.text() };
  }, new URL(modules['app.js']!, base).href);
  page.removeAllListeners();
  return { result, modules, errors, failed, map };
}

const browser = suite<Context>('ES modules from a content-hashed view in Chromium');
const step = existsSync(CHROMIUM) ? browser : browser.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the ES-module browser test needs Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

browser.before(async (context) => {
  context.fixture = makeFixtureApp();
  addModules(context.fixture.staticDir);
  if (!existsSync(CHROMIUM)) return;
  context.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
});
browser.after(async (context) => {
  await context.browser?.close();
  context.fixture.remove();
});

step('runs a page of modules (imports, a cycle, a dynamic import, an asset URL, a source map) with no errors; an edited leaf changes only its importers', (context) =>
  withTimeout(
    async () => {
      const page = await context.browser.newPage();
      const first = await pageApp(context.fixture.dir);
      let before: Load;
      try {
        before = await load(page, first.base);
      } finally {
        await first.close();
      }
      assert.equal(before.errors, []);
      assert.equal(before.failed, []);
      const { icon, ...result } = before.result;
      assert.equal(result, {
        route: 'route:home@router',
        shout: 'OLD LEAF',
        lazy: 'lazy old leaf',
        sibling: 'sibling',
        html: '<lit>x</lit>',
        iconStatus: 200,
      });
      assert.match(String(icon), new RegExp(`^${first.base}/assets/[0-9a-f]{12}/img/icon\\.svg$`), 'new URL(..., import.meta.url) gave the hashed URL');
      assert.equal(Object.keys(before.modules).sort(), ['app.js', 'lazy.js', 'leaf.js', 'lit.js', 'router.js', 'sibling.js', 'util.js', 'views.js']);
      assert.is(before.modules['router.js']!.split('/')[2], before.modules['views.js']!.split('/')[2], 'a cycle shares its hash');
      assert.equal(before.map, { status: 200, sourceStatus: 200, source: "import { route } from './router.js';\nconsole.log(route('home'));\n" });

      const leaf = join(context.fixture.staticDir, 'js/leaf.js');
      writeFileSync(leaf, leafSaying('new leaf'));
      utimesSync(leaf, new Date(), new Date(Date.now() + 10_000));
      const second = await pageApp(context.fixture.dir); // the restart: a new release of the same folder
      let after: Load;
      try {
        after = await load(page, second.base);
      } finally {
        await second.close();
      }
      assert.equal(after.errors, []);
      assert.equal(after.failed, []);
      assert.is(after.result.shout, 'NEW LEAF');
      assert.is(after.result.lazy, 'lazy new leaf');
      for (const name of ['leaf.js', 'util.js', 'lazy.js', 'app.js']) assert.is.not(after.modules[name], before.modules[name], `${name} has a new URL`);
      for (const name of ['sibling.js', 'router.js', 'views.js', 'lit.js']) assert.is(after.modules[name], before.modules[name], `${name} kept its URL`);
      await page.close();
    },
    30_000,
    'es-modules browser',
  ),
);

browser.run();
