/// <reference lib="dom" />
// Development with `tet.static.reload` and Subresource Integrity, in a real Chromium: an edited
// stylesheet or script is never stale or blocked after a normal reload (issue 14).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, withTimeout } from '@tet/core/testing';

const CHROMIUM = '/usr/bin/chromium';
const exampleDir = fileURLToPath(new URL('../../', import.meta.url));
const appDir = join(exampleDir, 'test-output', 'reload', 'myapp');

interface Context {
  browser: Browser;
  server: ChildProcess;
  base: string;
}

const marks = (page: Page) =>
  page.evaluate(() => ({
    css: getComputedStyle(document.body).getPropertyValue('--edit').trim(),
    theme: getComputedStyle(document.body).getPropertyValue('--theme-edit').trim(),
    js: document.documentElement.dataset.edit ?? '',
  }));

const reload = suite<Context>('tet.static.reload with SRI in a real browser');
const step = existsSync(CHROMIUM) ? reload : reload.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the reload browser test needs Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

reload.before(async (context) => {
  if (!existsSync(CHROMIUM)) return;
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  for (const part of ['package.json', 'dist', 'static', 'assets', 'templates']) cpSync(join(exampleDir, part), join(appDir, part), { recursive: true });
  const port = await freePort();
  context.base = `http://127.0.0.1:${port}`;
  // No RELEASE: the per-start token, as `npm start` in development.
  context.server = spawn(process.execPath, [join(appDir, 'dist', 'src', 'server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TET_RELOAD: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  context.server.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  while (!output.includes('serving on')) {
    if (context.server.exitCode !== null) throw new Error(`myapp did not start: ${output}`);
    await Promise.race([once(context.server.stdout!, 'data'), once(context.server, 'exit')]);
  }
  context.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
  });
});

reload.after(async (context) => {
  await context.browser?.close();
  if (context.server !== undefined && context.server.exitCode === null) {
    context.server.kill('SIGTERM');
    await once(context.server, 'exit');
  }
});

step('edit, reload, edit again: the page always has the newest CSS, theme and JS, none blocked', (context) =>
  withTimeout(async () => {
    const page = await (await context.browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    // A reload cancels what the previous page still had in flight (its favicon, app.js's fetch
    // of /api/status): Chromium reports net::ERR_ABORTED for those, which no server caused.
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText;
      if (reason !== 'net::ERR_ABORTED') problems.push(`failed ${request.url()} ${reason}`);
    });
    await page.goto(`${context.base}/`);
    assert.equal(await marks(page), { css: '', theme: '', js: '' });
    for (const edit of ['one', 'two', 'three']) {
      appendFileSync(join(appDir, 'static', 'style.css'), `\nbody { --edit: ${edit}; }\n`);
      appendFileSync(join(appDir, 'assets', 'theme.css'), `\nbody { --theme-edit: ${edit}; }\n`);
      appendFileSync(join(appDir, 'static', 'app.js'), `\ndocument.documentElement.dataset.edit = '${edit}';\n`);
      await page.reload();
      assert.equal(await marks(page), { css: edit, theme: edit, js: edit }, `after edit ${edit}`);
    }
    // An unchanged reload costs revalidations only: nothing is re-sent.
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (/\/(static|assets)\//.test(response.url())) statuses.push(response.status());
    });
    await page.reload();
    assert.equal(await marks(page), { css: 'three', theme: 'three', js: 'three' });
    assert.equal(problems, []);
    assert.ok(statuses.length > 0 && statuses.every((status) => status === 304 || status === 200), JSON.stringify(statuses));
  }, 60_000),
);

reload.run();
