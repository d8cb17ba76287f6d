/// <reference lib="dom" />
// The point of cache-breaking, proven end to end in a real browser: headless Chromium from
// Debian, driven by playwright-core, against myapp started and "deployed" as processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page, type Response as PageResponse } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, withTimeout, CHROMIUM_ARGS } from '@tet/core/testing';

const CHROMIUM = '/usr/bin/chromium';
const exampleDir = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots and the deployed copies of the app go here (git-ignored). */
export const outputDir = join(exampleDir, 'test-output', 'browser-deploy');
const RELEASE_A = '1763877600000';
const RELEASE_B = '1763877700000';
const RED = 'rgb(255, 0, 0)';
const BLUE = 'rgb(0, 0, 255)';

interface Context {
  browser: Browser;
  port: number;
  running?: ChildProcess;
  pages: Record<string, string>;
}

/** A "build" of myapp in its own folder, as a deploy would ship it, with an h1 colour. */
function release(name: string, colour: string): string {
  const dir = join(outputDir, name);
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['package.json', 'dist', 'static', 'assets', 'templates']) cpSync(join(exampleDir, part), join(dir, part), { recursive: true });
  const css = readFileSync(join(dir, 'static', 'style.css'), 'utf8');
  writeFileSync(join(dir, 'static', 'style.css'), `${css}\nh1 { color: ${colour}; }\n`);
  return dir;
}

async function start(context: Context, dir: string, token: string): Promise<void> {
  const child = spawn(process.execPath, [join(dir, 'dist', 'src', 'server.js')], {
    env: { ...process.env, PORT: String(context.port), HOST: '127.0.0.1', RELEASE: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  while (!output.includes('serving on')) {
    if (child.exitCode !== null) throw new Error(`myapp did not start: ${output}`);
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  context.running = child;
}

async function stop(context: Context): Promise<void> {
  const child = context.running;
  if (child === undefined || child.exitCode !== null) return;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.is(code, 0, 'a deploy stops the old release cleanly');
  context.running = undefined;
}

const h1Colour = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('h1')!).color);

const deploy = suite<Context>('a deploy seen by a real browser');
const step = existsSync(CHROMIUM) ? deploy : deploy.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the browser deploy test needs Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

deploy.before(async (context) => {
  if (!existsSync(CHROMIUM)) return;
  mkdirSync(outputDir, { recursive: true });
  context.pages = {};
  context.port = await freePort();
  context.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  console.log(`browser deploy test: screenshots in ${outputDir}`);
});

deploy.after(async (context) => {
  await stop(context).catch(() => context.running?.kill('SIGKILL'));
  await context.browser?.close();
});

step('deploys A then B; the same tab picks up B; old URLs redirect; new URLs on an old instance get 503', (context) =>
  withTimeout(async () => {
    const base = `http://127.0.0.1:${context.port}`;
    const browserContext = await context.browser.newContext();
    const page = await browserContext.newPage();
    const stylesheets: PageResponse[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/style.css')) stylesheets.push(response);
    });

    // 1. Release A: red, under token A, cached for a year.
    await start(context, release('release-a', 'red'), RELEASE_A);
    await page.goto(`${base}/`);
    assert.is(await h1Colour(page), RED);
    const styleA = stylesheets.at(-1)!;
    assert.match(styleA.url(), `/static/${RELEASE_A}/style.css`);
    assert.is(styleA.status(), 200);
    assert.is((await styleA.allHeaders())['cache-control'], 'public, max-age=31536000, immutable');
    await page.screenshot({ path: join(outputDir, 'step-1-release-a-red.png') });

    // 2. Deploy: A stops, B (blue) starts on the same port; the same tab reloads, cache kept.
    await stop(context);
    await start(context, release('release-b', 'blue'), RELEASE_B);
    await page.reload();
    assert.is(await h1Colour(page), BLUE);
    assert.match(stylesheets.at(-1)!.url(), `/static/${RELEASE_B}/style.css`);
    context.pages.b = await page.content();
    await page.screenshot({ path: join(outputDir, 'step-2-release-b-blue.png') });

    // 3. The old A URL, asked of the server, 301s to B's and ends with the blue stylesheet.
    //    From the browser's cache it is still A's red file: immutable means exactly that.
    const fromCache = await page.evaluate(async (url) => (await fetch(url)).text(), styleA.url());
    assert.match(fromCache, 'h1 { color: red; }');
    const viaServer = await page.evaluate(async (url) => {
      const response = await fetch(url, { cache: 'reload' });
      return { redirected: response.redirected, url: response.url, status: response.status, text: await response.text() };
    }, styleA.url());
    assert.is(viaServer.redirected, true);
    assert.is(viaServer.status, 200);
    assert.match(viaServer.url, `/static/${RELEASE_B}/style.css`);
    assert.match(viaServer.text, 'h1 { color: blue; }');
    await page.evaluate((url) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = url;
      return new Promise((resolve) => {
        link.onload = resolve;
        link.onerror = resolve;
        document.head.append(link);
      });
    }, viaServer.url);
    assert.is(await h1Colour(page), BLUE);

    // 4. A rolling deploy: a page rendered by B reaches a client while only A is up.
    await stop(context);
    await start(context, release('release-a', 'red'), RELEASE_A);
    const fresh = await context.browser.newContext(); // a client that has not cached B's files
    const client = await fresh.newPage();
    await client.route(`${base}/`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: context.pages.b! }));
    const refused = client.waitForResponse((response) => response.url().endsWith(`/static/${RELEASE_B}/style.css`));
    await client.goto(`${base}/`);
    const answer = await refused;
    assert.is(answer.status(), 503);
    const headers = await answer.allHeaders();
    assert.is(headers['retry-after'], '3');
    assert.is(headers['cache-control'], 'no-store');
    await fresh.close();
    await browserContext.close();
  }, 60_000),
);

deploy.run();
