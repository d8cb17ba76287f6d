// Issue 14: URLs of earlier (and later) releases answered from the release archive.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Configurator, Response } from '@tet/core';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '@tet/core/testing';
import { runAssetsCommand } from '../src/cli.js';
import { tetStatic } from '../src/index.js';
import { addStylesheets, APP, type FixtureApp, makeFixtureApp } from './helpers.js';

type Server = TestServer & { app: App; warnings: string[] };
const io = { out: () => {}, error: () => {} };
const CSS_A = 'h1 { color: red; }\n';
const CSS_B = 'h1 { color: blue; }\n';
const COMPRESSED_B = Buffer.from('h2 { color: green; }\n'.repeat(30));

async function instance(dir: string, token: string, settings: Record<string, string> = {}, archive?: string): Promise<Server> {
  const config = new Configurator({ package: dir, settings });
  const logger = memoryLogger();
  config.registry.logger = logger;
  config.include(tetStatic);
  config.setCachebreaker(token);
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static`, ...(archive === undefined ? {} : { archive }) });
  config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content', ...(archive === undefined ? {} : { archive }) });
  config.addRoute('urls', '/urls');
  const views = config.registry.staticViews!;
  config.addView(
    (request) => {
      const content = views.all().find((view) => view.name === 'assets')!;
      const path = request.query.get('path')!;
      return new Response(`/assets/${content.hashFor!(path)}/${path}`);
    },
    { routeName: 'urls' },
  );
  const app = await config.makeApp();
  const server = await startTestServer(app);
  return { ...server, app, warnings: logger.lines };
}

const build = (dir: string, ...args: string[]) => runAssetsCommand(['build', `${APP}:static`, ...args], io, dir);

interface Context {
  fixture: FixtureApp;
  b: Server;
  /** Release A's content-hashed URLs. */
  urlsA: Record<string, string>;
  siteA: string;
}

const SPECS = ['style.css', 'theme/site.css', 'theme/img/logo.png'];

const archived = suite<Context>('release archive: an instance on B answers release A');
archived.before(async (context) => {
  context.fixture = makeFixtureApp();
  const s = context.fixture.staticDir;
  addStylesheets(s);
  assert.is(await build(context.fixture.dir, '--token', 'relA'), 0);
  const a = await instance(context.fixture.dir, 'relA');
  context.urlsA = {};
  for (const path of SPECS) context.urlsA[path] = await (await fetch(`${a.base}/urls?path=${path}`)).text();
  context.siteA = await (await fetch(`${a.base}${context.urlsA['theme/site.css']}`)).text();
  await a.close();
  // Release B: style.css, the precompressed stylesheet and the logo change.
  writeFileSync(join(s, 'style.css'), CSS_B);
  writeFileSync(join(s, 'compressed.css'), COMPRESSED_B);
  writeFileSync(join(s, 'compressed.css.br'), brotliCompressSync(COMPRESSED_B));
  writeFileSync(join(s, 'compressed.css.gz'), gzipSync(COMPRESSED_B));
  writeFileSync(join(s, 'theme', 'img', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]));
  assert.is(await build(context.fixture.dir, '--token', 'relB'), 0);
  context.b = await instance(context.fixture.dir, 'relB', { 'tet.static.cache_max_file_size': '1048576' });
});
archived.after(async (context) => {
  await context.b?.close();
  context.fixture.remove();
});

archived("serves A's bytes under A's token, with that file's own ETag, for a year", (context) =>
  withTimeout(async () => {
    const old = await rawRequest(context.b.base, '/static/relA/style.css');
    assert.is(old.status, 200);
    assert.is(old.text, CSS_A);
    assert.is(old.headers['cache-control'], 'public, max-age=31536000, immutable');
    const current = await rawRequest(context.b.base, '/static/relB/style.css');
    assert.is(current.text, CSS_B);
    assert.type(old.headers.etag, 'string');
    assert.is.not(old.headers.etag, current.headers.etag);
    // The ETag A itself sent: a browser revalidating A's copy gets a 304.
    const again = await rawRequest(context.b.base, '/static/relA/style.css', { headers: { 'if-none-match': old.headers.etag! } });
    assert.is(again.status, 304);
  }),
);

archived("negotiates A's precompressed siblings and honours ranges on A's bytes", (context) =>
  withTimeout(async () => {
    const br = await rawRequest(context.b.base, '/static/relA/compressed.css', { headers: { 'accept-encoding': 'br' } });
    assert.is(br.status, 200);
    assert.is(br.headers['content-encoding'], 'br');
    assert.is(br.headers.vary, 'Accept-Encoding');
    assert.is(brotliDecompressSync(br.body).toString(), 'h1 { color: red; }\n'.repeat(20));
    const range = await rawRequest(context.b.base, '/static/relA/style.css', { headers: { range: 'bytes=5-9' } });
    assert.is(range.status, 206);
    assert.is(range.headers['content-range'], `bytes 5-9/${CSS_A.length}`);
    assert.is(range.text, CSS_A.slice(5, 10));
  }),
);

archived('streams an archived file beyond the memory policy from disk, whole and exact', (context) =>
  withTimeout(async () => {
    const big = await rawRequest(context.b.base, '/static/relA/big.bin', { timeout: 8000 });
    assert.is(big.status, 200);
    assert.ok(big.body.equals(context.fixture.big));
  }),
);

archived("a content-hashed view answers A's hashes with A's bytes, A's rewritten stylesheet included", (context) =>
  withTimeout(async () => {
    const style = await rawRequest(context.b.base, context.urlsA['style.css']!);
    assert.is(style.status, 200);
    assert.is(style.text, CSS_A);
    const site = await rawRequest(context.b.base, context.urlsA['theme/site.css']!, { headers: { 'accept-encoding': 'gzip' } });
    assert.is(site.status, 200);
    assert.is(site.headers['content-encoding'], 'gzip');
    const logo = await rawRequest(context.b.base, context.urlsA['theme/img/logo.png']!);
    assert.ok(logo.body.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])));
    // The stylesheet links A's logo, by A's hash.
    const plain = await rawRequest(context.b.base, context.urlsA['theme/site.css']!);
    assert.is(plain.text, context.siteA);
    assert.ok(plain.text.includes(context.urlsA['theme/img/logo.png']!.split('/')[2]!));
  }),
);

archived('unknown tokens and hashes are still a 503 to retry, never cached', (context) =>
  withTimeout(async () => {
    for (const path of ['/static/relZ/style.css', '/assets/000000000000/style.css']) {
      const res = await rawRequest(context.b.base, path);
      assert.is(res.status, 503, path);
      assert.is(res.headers['cache-control'], 'no-store');
      assert.is(res.headers['retry-after'], '3');
    }
    const missing = await rawRequest(context.b.base, '/static/relA/no-such.css');
    assert.is(missing.status, 404);
    assert.is(missing.headers['cache-control'], 'no-store');
  }),
);

archived('an instance whose token is not in the archive says so at start-up', (context) =>
  withTimeout(async () => {
    assert.equal(context.b.warnings, []);
    const other = await instance(context.fixture.dir, '1763877600123');
    try {
      assert.is(other.warnings.length, 1);
      assert.match(other.warnings[0]!, 'serves token 1763877600123, which the release archive');
      assert.match(other.warnings[0]!, 'npx tet assets build <folder> --token <release>');
    } finally {
      await other.close();
    }
  }),
);

archived('a release pruned to the ledger: unchanged files as they are, changed ones a short-lived 301', (context) =>
  withTimeout(async () => {
    const archive = join(context.fixture.staticDir, '.tet-archive');
    mkdirSync(join(archive, 'ledger'), { recursive: true });
    renameSync(join(archive, 'releases', 'relA.json'), join(archive, 'ledger', 'relA.json'));
    const server = await instance(context.fixture.dir, 'relB');
    try {
      const unchanged = await rawRequest(server.base, '/static/relA/app.js');
      assert.is(unchanged.status, 200);
      const changed = await rawRequest(server.base, '/static/relA/style.css?v=1');
      assert.is(changed.status, 301);
      assert.is(changed.headers.location, '/static/relB/style.css?v=1');
      assert.is(changed.headers['cache-control'], 'public, max-age=300');
    } finally {
      await server.close();
      renameSync(join(archive, 'ledger', 'relA.json'), join(archive, 'releases', 'relA.json'));
    }
  }),
);

archived('a rolled-back instance finds a release built after it started (a shared archive)', (context) =>
  withTimeout(async () => {
    const shared = join(context.fixture.dir, 'shared-archive');
    writeFileSync(join(context.fixture.staticDir, 'style.css'), CSS_A);
    assert.is(await build(context.fixture.dir, '--token', 'relC', '--archive', shared), 0);
    const c = await instance(context.fixture.dir, 'relC', {}, shared);
    try {
      assert.is((await rawRequest(c.base, '/static/relD/style.css')).status, 503);
      writeFileSync(join(context.fixture.staticDir, 'style.css'), 'h1 { color: purple; }\n');
      assert.is(await build(context.fixture.dir, '--token', 'relD', '--archive', shared), 0);
      // Misses are remembered for a second (so made-up tokens stay cheap), then it looks again.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const later = await rawRequest(c.base, '/static/relD/style.css');
      assert.is(later.status, 200);
      assert.is(later.text, 'h1 { color: purple; }\n');
    } finally {
      await c.close();
    }
  }),
);

archived("content-derived tokens: the build's default token is the folder's tree token, as setCachebreaker({ from: 'content' }) makes it", (context) =>
  withTimeout(async () => {
    const shared = join(context.fixture.dir, 'tree-archive');
    writeFileSync(join(context.fixture.staticDir, 'style.css'), 'h1 { color: olive; }\n');
    assert.is(await build(context.fixture.dir, '--archive', shared), 0);
    const start = async () => {
      const config = new Configurator({ package: context.fixture.dir });
      config.include(tetStatic);
      config.setCachebreaker({ from: 'content' });
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static`, archive: shared });
      config.addRoute('url', '/url');
      config.addView((request) => new Response(request.staticPath(`${APP}:static/style.css`)), { routeName: 'url' });
      return startTestServer(await config.makeApp());
    };
    const first = await start();
    const oldUrl = await (await fetch(`${first.base}/url`)).text();
    await first.close();
    writeFileSync(join(context.fixture.staticDir, 'style.css'), 'h1 { color: navy; }\n');
    assert.is(await build(context.fixture.dir, '--archive', shared), 0);
    const second = await start();
    try {
      const newUrl = await (await fetch(`${second.base}/url`)).text();
      assert.is.not(newUrl, oldUrl);
      const old = await rawRequest(second.base, oldUrl);
      assert.is(old.status, 200);
      assert.is(old.text, 'h1 { color: olive; }\n');
    } finally {
      await second.close();
    }
  }),
);

archived('an archive option that is not a directory is a ConfigurationError', (context) =>
  withTimeout(async () => {
    const config = new Configurator({ package: context.fixture.dir });
    config.include(tetStatic);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static`, archive: join(context.fixture.dir, 'nowhere') });
    try {
      await config.makeApp();
      assert.unreachable('makeApp should throw');
    } catch (error) {
      const cause = ((error as Error).cause ?? error) as Error & { code?: string };
      assert.is(cause.code, 'TET_ERR_STATIC_ARCHIVE');
      assert.match(cause.message, 'is not a directory');
    }
  }),
);

archived.run();
