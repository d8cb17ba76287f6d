/// <reference lib="dom" />
// The example in a real browser (Debian's Chromium through playwright-core): built by Vite and
// served by Tet, then through Vite's dev server. Either way the page's module runs, its CSS and
// that of its shared chunk apply, the dynamic import loads with its CSS, and nothing fails.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHROMIUM_ARGS, freePort, withTimeout } from '@tet/core/testing';
import { createServer } from 'vite';
import { exampleDir, serveExample, viteBuild } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

const browser = suite<{ browser: Browser }>('vite-app in Chromium');
const step = existsSync(CHROMIUM) ? browser : browser.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the Vite browser tests need Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

browser.before(async (context) => {
  if (!existsSync(CHROMIUM)) return;
  context.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
});
browser.after(async (context) => {
  await context.browser?.close();
});

interface Visit {
  errors: string[];
  requests: string[];
  app: string;
  lazy: string;
  colours: { h1: string; app: string; lazy: string };
  /** The natural widths of the two logos: the template's (viteUrl) and the one main.ts set. */
  logos: number[];
}

/** Loads the page and waits for the dynamic import to have written into it. */
async function visit(page: Page, url: string): Promise<Visit> {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()}: ${response.url()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#lazy')?.textContent === 'lazy loaded', undefined, { timeout: 10_000 });
  // The lazy chunk's CSS is linked by Vite's preload helper before the module runs.
  await page.waitForFunction(() => getComputedStyle(document.querySelector('#lazy')!).color === 'rgb(255, 0, 0)', undefined, { timeout: 5_000 });
  return {
    errors,
    requests,
    app: await page.evaluate(() => document.querySelector('#app')!.textContent ?? ''),
    lazy: await page.evaluate(() => document.querySelector('#lazy')!.textContent ?? ''),
    logos: await page.evaluate(() =>
      Promise.all(
        ['#logo', '#logo-from-js'].map((selector) =>
          document
            .querySelector<HTMLImageElement>(selector)!
            .decode()
            .then(() => document.querySelector<HTMLImageElement>(selector)!.naturalWidth),
        ),
      ),
    ),
    colours: await page.evaluate(() => ({
      h1: getComputedStyle(document.querySelector('h1')!).color,
      app: getComputedStyle(document.querySelector('#app')!).color,
      lazy: getComputedStyle(document.querySelector('#lazy')!).color,
    })),
  };
}

step('the build served by Tet: the module runs, the CSS applies, the dynamic import loads, integrity checked, no errors', (context) =>
  withTimeout(
    async () => {
      const built = await viteBuild();
      const server = await serveExample({ 'vite_app.build': built.dir });
      const page = await context.browser.newPage();
      try {
        const seen = await visit(page, `${server.base}/`);
        assert.equal(seen.errors, []);
        assert.is(seen.app, 'main ran');
        assert.is(seen.lazy, 'lazy loaded');
        assert.equal(seen.colours, { h1: 'rgb(0, 0, 255)', app: 'rgb(0, 128, 0)', lazy: 'rgb(255, 0, 0)' });
        const m = built.manifest;
        const shared = m[m['frontend/main.ts']!.imports![0]!]!;
        assert.equal(seen.logos, [32, 32]);
        const files = [
          m['frontend/main.ts']!.file,
          ...m['frontend/main.ts']!.css!,
          shared.file,
          ...shared.css!,
          m['frontend/lazy.ts']!.file,
          ...m['frontend/lazy.ts']!.css!,
          m['frontend/logo.svg']!.file,
        ];
        const fetched = seen.requests.filter((url) => url.startsWith(`${server.base}/vite/`)).map((url) => url.slice(`${server.base}/vite/`.length));
        // Each file once: the shared chunk's preload is the fetch its import uses.
        assert.equal(fetched.sort(), files.sort());
        // The tags carried integrity, so Chromium checked every byte it ran.
        assert.is(await page.evaluate(() => document.querySelectorAll('script[type=module][integrity], link[integrity]').length), 4);
      } finally {
        await page.close();
        await server.close();
      }
    },
    40_000,
    'vite build in Chromium',
  ),
);

step("development: the same template through Vite's dev server (its client and the entry's source), no errors", (context) =>
  withTimeout(
    async () => {
      // Vite takes port 0 for its default (5173): a free port, strictly, instead.
      const port = await freePort();
      const devServer = `http://127.0.0.1:${port}`;
      // server.origin: the URLs of imported assets point at the dev server, not at Tet.
      const vite = await createServer({ root: exampleDir, logLevel: 'silent', server: { host: '127.0.0.1', port, strictPort: true, origin: devServer, watch: null } });
      let server: Awaited<ReturnType<typeof serveExample>> | undefined;
      try {
        await vite.listen();
        assert.is((vite.httpServer!.address() as AddressInfo).port, port);
        // No build folder at all: with a dev server named, none is read.
        server = await serveExample({ 'vite_app.build': '/nonexistent/vite-build', 'tet.vite.dev_server': devServer });
        const html = await (await fetch(`${server.base}/`)).text();
        assert.ok(html.includes(`<script type="module" src="${devServer}/@vite/client"></script>\n<script type="module" src="${devServer}/frontend/main.ts"></script>`), html);
        assert.ok(html.includes(`<img id="logo" src="${devServer}/frontend/logo.svg"`), html);
        assert.not.ok(html.includes('integrity='), html);
        const page = await context.browser.newPage();
        try {
          const seen = await visit(page, `${server.base}/`);
          assert.equal(seen.errors, []);
          assert.is(seen.app, 'main ran');
          assert.equal(seen.colours, { h1: 'rgb(0, 0, 255)', app: 'rgb(0, 128, 0)', lazy: 'rgb(255, 0, 0)' });
          const fromVite = seen.requests.filter((url) => url.startsWith(`${devServer}/`)).map((url) => new URL(url).pathname);
          for (const path of ['/@vite/client', '/frontend/main.ts', '/frontend/shared.ts', '/frontend/lazy.ts', '/frontend/logo.svg'])
            assert.ok(fromVite.includes(path), `${path} in ${fromVite.join(' ')}`);
          assert.equal(seen.logos, [32, 32]);
          assert.not.ok(
            seen.requests.some((url) => url.startsWith(`${server!.base}/vite/`)),
            'nothing asked of Tet for the front end',
          );
        } finally {
          await page.close();
        }
      } finally {
        await server?.close();
        await vite.close();
      }
    },
    40_000,
    'vite dev server in Chromium',
  ),
);

browser.run();
