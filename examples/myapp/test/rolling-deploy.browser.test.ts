/// <reference lib="dom" />
// Issue 14's proof: a rolling deploy of myapp, and a rollback, seen by a real Chromium through
// a real caching nginx, with Subresource Integrity on. Release A and release B differ in their
// token view's CSS and JS and in their content-hashed view's CSS; B's release archive includes A.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHROMIUM_ARGS, freePort, rawRequest, withTimeout } from '@tet/core/testing';
import { nginxConfig } from './nginx-config.js';

const CHROMIUM = '/usr/bin/chromium';
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
const exampleDir = fileURLToPath(new URL('../../', import.meta.url));
const repo = join(exampleDir, '..', '..');
const TET = join(repo, 'node_modules', '@tet', 'core', 'dist', 'src', 'cli.js');
const outputDir = join(exampleDir, 'test-output', 'rolling-deploy');
const VISITORS = 4;
const TOKENS = { A: 'a2026.12.01', B: 'b2026.12.02' } as const;
type Name = keyof typeof TOKENS;
const nameOf = (token: string): Name | undefined => (Object.keys(TOKENS) as Name[]).find((name) => TOKENS[name] === token);

/** A build of myapp as a deploy ships it, with its release's name in its CSS, theme and JS. */
function release(name: Name): string {
  const dir = join(outputDir, `release-${name}`);
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['package.json', 'dist', 'static', 'assets', 'templates']) cpSync(join(exampleDir, part), join(dir, part), { recursive: true });
  appendFileSync(join(dir, 'static', 'style.css'), `\nbody { --css-release: "${name}"; }\n`);
  appendFileSync(join(dir, 'assets', 'theme.css'), `\nbody { --theme-release: "${name}"; }\n`);
  appendFileSync(join(dir, 'static', 'app.js'), `\ndocument.documentElement.dataset.jsRelease = '${name}';\n`);
  return dir;
}

/** `npx tet assets build` for both folders, as docs/deploying.md does it. */
function build(dir: string, token: string, archive: string): void {
  for (const folder of ['static', 'assets']) {
    const result = spawnSync(process.execPath, [TET, 'assets', 'build', `myapp:${folder}`, '--token', token, '--archive', join(archive, folder)], { cwd: dir, encoding: 'utf8' });
    assert.is(result.status, 0, `tet assets build: ${result.stderr}`);
  }
}

interface Instance {
  child: ChildProcess;
  port: number;
}

async function start(dir: string, token: string, archive: string, port: number): Promise<Instance> {
  const child = spawn(process.execPath, [join(dir, 'dist', 'src', 'server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RELEASE: token, ASSET_ARCHIVE: archive },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  while (!output.includes('serving on')) {
    if (child.exitCode !== null) throw new Error(`myapp did not start: ${output}`);
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  assert.not.match(output, 'does not hold', 'the release is in its archive');
  return { child, port };
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (instance === undefined || instance.child.exitCode !== null) return;
  instance.child.kill('SIGTERM');
  await once(instance.child, 'exit');
}

/** A page as one visitor saw it. */
interface Visit {
  context: BrowserContext;
  page: Page;
  /** The release of its HTML (from its token). */
  html: Name | undefined;
  /** Failed, blocked (SRI) or missing assets, and 4xx/5xx answers. */
  problems: string[];
  /** The asset URLs the page links, with their integrity. */
  assets: Array<{ url: string; integrity: string }>;
  releases: { css: string; theme: string; js: string };
}

async function visit(browser: Browser, proxy: string): Promise<Visit> {
  const context = await browser.newContext(); // a fresh visitor: nothing cached in the browser
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('requestfailed', (request) => problems.push(`failed ${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${proxy}/`, { waitUntil: 'load' });
  const seen = await page.evaluate(() => {
    const custom = (name: string) => getComputedStyle(document.body).getPropertyValue(name).trim().replace(/"/g, '');
    const assets = [...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[integrity], script[integrity]')].map((element) => ({
      url: element instanceof HTMLLinkElement ? element.href : element.src,
      integrity: element.integrity,
    }));
    return { assets, releases: { css: custom('--css-release'), theme: custom('--theme-release'), js: document.documentElement.dataset.jsRelease ?? '' } };
  });
  const token = /\/static\/([^/]+)\/style\.css/.exec(seen.assets.find((asset) => asset.url.includes('/static/'))?.url ?? '')?.[1] ?? '';
  return { context, page, html: nameOf(token), problems, ...seen };
}

/** Page loads with no broken asset and every asset of its HTML's release; the visits kept open. */
async function loads(browser: Browser, proxy: string, count: number, keep: Visit[]): Promise<{ broken: string[]; mixed: string[]; byRelease: Record<string, number> }> {
  const broken: string[] = [];
  const mixed: string[] = [];
  const byRelease: Record<string, number> = {};
  // A few visitors at once: quicker, and closer to real traffic than one after another.
  let next = 0;
  const visitor = async () => {
    while (next < count) {
      const i = next++;
      const started = Date.now();
      const seen = await visit(browser, proxy);
      if (process.env.DEBUG_DEPLOY) console.log(`visit ${i}: ${seen.html} in ${Date.now() - started} ms ${seen.problems.join('; ')}`);
      byRelease[seen.html ?? '?'] = (byRelease[seen.html ?? '?'] ?? 0) + 1;
      if (seen.problems.length > 0) broken.push(`${seen.html}: ${seen.problems.join('; ')}`);
      const { css, theme, js } = seen.releases;
      if (css !== seen.html || theme !== seen.html || js !== seen.html) mixed.push(`html ${seen.html}, css ${css}, theme ${theme}, js ${js}`);
      if (seen.html !== undefined && !keep.some((kept) => kept.html === seen.html)) keep.push(seen);
      else await seen.context.close();
    }
  };
  await Promise.all(Array.from({ length: VISITORS }, visitor));
  return { broken, mixed, byRelease };
}

/** In an open tab: every asset it links, fetched again past all caches, with its integrity checked by the browser. */
async function refetch(tab: Visit, marker: string): Promise<string[]> {
  return tab.page.evaluate(
    async ({ assets, marker }) => {
      const answers: string[] = [];
      for (const { url, integrity } of assets) {
        try {
          const response = await fetch(`${url}?late=${marker}`, { cache: 'no-store', integrity });
          answers.push(`${response.status} ${/release(?:: "|\s=\s')([AB])/i.exec(await response.text())?.[1] ?? 'unmarked'}`);
        } catch (error) {
          answers.push(`blocked ${url}: ${(error as Error).message}`);
        }
      }
      return answers;
    },
    { assets: tab.assets, marker },
  );
}

/** Responses nginx keeps in its cache whose status is not 200 or 206. */
function cachedFailures(cache: string): { cached: number; bad: string[] } {
  const bad: string[] = [];
  let cached = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        cached++;
        const head = readFileSync(path).toString('latin1');
        const status = /\nHTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
        const key = /\nKEY: ([^\n]+)/.exec(head)?.[1];
        if (status !== '200' && status !== '206') bad.push(`${status} ${key}`);
      }
    }
  };
  walk(cache);
  return { cached, bad };
}

interface Context {
  browser: Browser;
  work: string;
  nginx: ChildProcess;
  proxy: string;
  ports: { A: number; B: number };
  dirs: { A: string; B: string };
  archives: { A: string; B: string };
  running: Partial<Record<Name, Instance>>;
  tabs: Visit[];
}

const missing = [existsSync(CHROMIUM) ? '' : `Chromium at ${CHROMIUM} (Debian package chromium)`, NGINX === undefined ? 'nginx (Debian package nginx)' : ''].filter(Boolean);
const deploy = suite<Context>('a rolling deploy and a rollback of myapp through nginx, in Chromium');
const step = missing.length === 0 ? deploy : deploy.skip;
if (missing.length > 0) console.log(`SKIPPED: the rolling-deploy browser test needs ${missing.join(' and ')}; .ci/run installs both.`);

deploy.before(async (context) => {
  if (missing.length > 0) return;
  mkdirSync(outputDir, { recursive: true });
  context.work = mkdtempSync(join(tmpdir(), 'tet-rolling-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'cache']) mkdirSync(join(context.work, dir));
  context.running = {};
  context.tabs = [];
  // Build A into its own archive; B's build starts from A's archive (as a deploy carries it).
  context.dirs = { A: release('A'), B: release('B') };
  context.archives = { A: join(outputDir, 'archive-A'), B: join(outputDir, 'archive-B') };
  rmSync(context.archives.A, { recursive: true, force: true });
  rmSync(context.archives.B, { recursive: true, force: true });
  build(context.dirs.A, TOKENS.A, context.archives.A);
  cpSync(context.archives.A, context.archives.B, { recursive: true });
  build(context.dirs.B, TOKENS.B, context.archives.B);
  context.ports = { A: await freePort(), B: await freePort() };
  const port = await freePort();
  context.proxy = `http://127.0.0.1:${port}`;
  writeFileSync(join(context.work, 'nginx.conf'), nginxConfig(context.work, port, [context.ports.A, context.ports.B], true));
  context.nginx = spawn(NGINX!, ['-p', context.work, '-c', join(context.work, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  context.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
});

deploy.after(async (context) => {
  if (missing.length > 0) return;
  await context.browser?.close();
  context.nginx?.kill('SIGTERM');
  for (const instance of Object.values(context.running ?? {})) await stop(instance).catch(() => instance?.child.kill('SIGKILL'));
  rmSync(context.work, { recursive: true, force: true });
});

async function waitForNginx(context: Context): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await rawRequest(context.proxy, '/api/status', { timeout: 500 });
      return;
    } catch (error) {
      if (Date.now() > deadline || context.nginx.exitCode !== null) throw new Error(`nginx did not start: ${readFileSync(join(context.work, 'error.log'), 'utf8')}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function expectClean(phase: string, result: { broken: string[]; mixed: string[]; byRelease: Record<string, number> }, expected: Name[]): void {
  assert.equal(result.broken, [], `${phase}: pages with a failed, blocked or missing asset`);
  assert.equal(result.mixed, [], `${phase}: pages whose assets are of another release than their HTML`);
  for (const name of expected) assert.ok((result.byRelease[name] ?? 0) > 0, `${phase}: some pages came from ${name} (${JSON.stringify(result.byRelease)})`);
  assert.equal(Object.keys(result.byRelease).sort(), [...expected].sort(), `${phase}: ${JSON.stringify(result.byRelease)}`);
}

step(
  'A to B: no broken or mixed page with both up, after A stops, and in tabs opened on A',
  (context) =>
    withTimeout(async () => {
      context.running.A = await start(context.dirs.A, TOKENS.A, context.archives.A, context.ports.A);
      context.running.B = await start(context.dirs.B, TOKENS.B, context.archives.B, context.ports.B);
      await waitForNginx(context);
      expectClean('A and B up', await loads(context.browser, context.proxy, 50, context.tabs), ['A', 'B']);
      await stop(context.running.A);
      expectClean('A stopped', await loads(context.browser, context.proxy, 20, context.tabs), ['B']);
      const tabA = context.tabs.find((tab) => tab.html === 'A')!;
      // Each of A's assets, fetched now (from B, past every cache), is A's: integrity holds.
      assert.equal(await refetch(tabA, 'after-a-stopped'), ['200 A', '200 A', '200 A']);
      const cache = cachedFailures(join(context.work, 'cache'));
      assert.ok(cache.cached > 0, 'nginx cached assets');
      assert.equal(cache.bad, [], 'no 503 or 404 in nginx’s cache');
    }, 150_000), // ~30 s on a quiet machine; generous for a loaded CI runner
);

step(
  'rollback B to A on one shared archive: no broken or mixed page, and tabs opened on B keep working on A',
  (context) =>
    withTimeout(async () => {
      // A again, now with the archive B's build wrote (it holds A and B).
      context.running.A = await start(context.dirs.A, TOKENS.A, context.archives.B, context.ports.A);
      expectClean('rollback, A and B up', await loads(context.browser, context.proxy, 50, context.tabs), ['A', 'B']);
      await stop(context.running.B);
      expectClean('rollback, B stopped', await loads(context.browser, context.proxy, 20, context.tabs), ['A']);
      for (const tab of context.tabs.filter((kept) => kept.html === 'B')) assert.equal(await refetch(tab, 'after-b-stopped'), ['200 B', '200 B', '200 B']);
      const tabA = context.tabs.find((tab) => tab.html === 'A')!;
      assert.equal(await refetch(tabA, 'after-rollback'), ['200 A', '200 A', '200 A']);
      assert.equal(cachedFailures(join(context.work, 'cache')).bad, []);
    }, 150_000), // ~30 s on a quiet machine; generous for a loaded CI runner
);

deploy.run();
