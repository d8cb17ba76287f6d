/// <reference lib="dom" />
// An import-map page in a real browser (Debian's Chromium through playwright-core): a pinned
// vendor module and pinned controllers resolve through request.importMap(), the entry's graph
// is preloaded by request.moduleTags(), and nothing is fetched but the modules the page uses.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Response } from '@tet/core';
import { withTimeout, CHROMIUM_ARGS } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

const FILES: Record<string, string> = {
  'im/main.js': "import { html } from 'lit';\nimport { greet } from './helper.js';\nglobalThis.result = html(greet());\n",
  'im/helper.js': "import hello from 'controllers/hello';\nexport const greet = () => `${hello} world`;\n",
  'vendor/lit.js': 'export const html = (text) => `<lit>${text}</lit>`;\n',
  'controllers/hello.js': 'export default "hello";\n',
  'controllers/unused.js': 'export default "never fetched";\n',
  'controllers/index.js': 'export * from "./unused.js";\n',
};

const browser = suite<{ browser: Browser; fixture: FixtureApp }>('an import-map page in Chromium');
const step = existsSync(CHROMIUM) ? browser : browser.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the import-map browser test needs Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

browser.before(async (context) => {
  context.fixture = makeFixtureApp();
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(context.fixture.staticDir, path, '..'), { recursive: true });
    writeFileSync(join(context.fixture.staticDir, path), text);
  }
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

step('loads with no errors, and requests only the page and the modules it uses, all preloaded', (context) =>
  withTimeout(
    async () => {
      const server = await serve(context.fixture.dir, (config) => {
        config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
        config.pin('lit', `${APP}:static/vendor/lit.js`);
        config.pinAll(`${APP}:static/controllers`, { under: 'controllers' });
        config.addRoute('home', '/');
        config.addView(
          (request) =>
            new Response(
              `<!doctype html><html><head><link rel="icon" href="data:,">${request.importMap().__html__()}\n${request.moduleTags(`${APP}:static/im/main.js`).__html__()}</head><body>import map</body></html>`,
              { headers: { 'content-type': 'text/html; charset=utf-8' } },
            ),
          { routeName: 'home' },
        );
      });
      try {
        const page = await context.browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
        page.on('response', (response) => {
          if (response.status() !== 200) errors.push(`${response.status()}: ${response.url()}`);
        });
        page.on('request', (request) => requests.push(new URL(request.url()).pathname));
        await page.goto(`${server.base}/`);
        await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, { timeout: 5_000 });
        assert.is(await page.evaluate(() => (globalThis as unknown as { result: string }).result), '<lit>hello world</lit>');
        const preloaded = await page.evaluate(() => [...document.querySelectorAll('link[rel=modulepreload]')].map((link) => new URL((link as HTMLLinkElement).href).pathname));
        assert.equal(errors, []);
        const fileOf = (path: string) => path.replace(/^\/assets\/[0-9a-f]{12}\//, '');
        assert.equal(requests.map(fileOf).sort(), ['/', 'controllers/hello.js', 'im/helper.js', 'im/main.js', 'vendor/lit.js']);
        assert.equal(preloaded.map(fileOf).sort(), ['controllers/hello.js', 'im/helper.js', 'vendor/lit.js']);
        await page.close();
      } finally {
        await server.close();
      }
    },
    30_000,
    'import-map browser',
  ),
);

browser.run();
