import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, HTTPNotFound, Response } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
  token: string;
  url: (file: string) => string;
}
const files = suite<Context>('serving files');

files.before(async (context) => {
  context.fixture = makeFixtureApp();
  mkdirSync(join(context.fixture.staticDir, 'n'));
  writeFileSync(join(context.fixture.staticDir, 'n', 'decoy.css'), 'decoy\n');
  context.server = await serve(context.fixture.dir, (config) => {
    config.setCachebreaker('1763877600123');
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    config.addStaticView({ name: 'plain', path: `${APP}:static` });
    config.addStaticView({ name: 'short', path: `${APP}:static`, cacheMaxAge: 60 });
    config.addExceptionView(() => new Response('custom not-found page', { status: 404 }), { context: HTTPNotFound });
  });
  context.token = '1763877600123';
  context.url = (file) => `${context.server.base}/static/${context.token}/${file}`;
});
files.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

files('sends the file with Content-Type (charset for text), Content-Length and a year of immutable caching', (context) =>
  withTimeout(async () => {
    const res = await fetch(context.url('style.css'));
    assert.is(res.status, 200);
    assert.is(await res.text(), 'h1 { color: red; }\n');
    assert.is(res.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.is(res.headers.get('content-length'), '19');
    assert.is(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.is(res.headers.get('x-content-type-options'), 'nosniff');
    const types = {
      'app.js': 'text/javascript; charset=utf-8',
      'img/icon.svg': 'image/svg+xml; charset=utf-8',
      'big.bin': 'application/octet-stream',
      'nested/deeper/file.txt': 'text/plain; charset=utf-8',
    };
    for (const [file, type] of Object.entries(types)) assert.is((await fetch(context.url(file))).headers.get('content-type'), type, file);
  }),
);

files('plain static views use cacheMaxAge as given (an hour by default, as Pyramid)', (context) =>
  withTimeout(async () => {
    const plain = await fetch(`${context.server.base}/plain/style.css`);
    assert.is(plain.status, 200);
    assert.is(plain.headers.get('cache-control'), 'public, max-age=3600');
    const short = await fetch(`${context.server.base}/short/style.css`);
    assert.is(short.headers.get('cache-control'), 'public, max-age=60');
    assert.is((await fetch(`${context.server.base}/plain/missing.css`)).status, 404);
  }),
);

files('streams a large file byte for byte', (context) =>
  withTimeout(async () => {
    const res = await fetch(context.url('big.bin'));
    assert.is(res.headers.get('content-length'), String(context.fixture.big.length));
    const body = Buffer.from(await res.arrayBuffer());
    assert.ok(body.equals(context.fixture.big));
  }),
);

files('HEAD sends the headers of GET and no body', (context) =>
  withTimeout(async () => {
    for (const file of ['style.css', 'big.bin']) {
      const res = await rawRequest(context.server.base, `/static/${context.token}/${file}`, { method: 'HEAD' });
      assert.is(res.status, 200);
      assert.is(res.body.length, 0);
      assert.is(res.headers['content-length'], String(file === 'big.bin' ? context.fixture.big.length : 19));
    }
  }),
);

files('the ETag is strong and derived from the content, so every process agrees', (context) =>
  withTimeout(async () => {
    const res = await fetch(context.url('style.css'));
    const etag = res.headers.get('etag')!;
    const expected = `"${createHash('sha384')
      .update(readFileSync(join(context.fixture.staticDir, 'style.css')))
      .digest('base64url')
      .slice(0, 32)}"`;
    assert.is(etag, expected);
    assert.not.ok(etag.startsWith('W/'));
    // Another copy of the same bytes, with another mtime, served by another app: same ETag.
    const copy = makeFixtureApp();
    utimesSync(join(copy.staticDir, 'style.css'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const other = await serve(copy.dir, (config) => config.addStaticView({ name: 'static', path: `${APP}:static` }));
    try {
      const again = await fetch(`${other.base}/static/style.css`);
      assert.is(again.headers.get('etag'), etag);
      assert.is.not(again.headers.get('last-modified'), res.headers.get('last-modified'));
    } finally {
      await other.close();
      copy.remove();
    }
  }),
);

files('If-None-Match and If-Modified-Since give 304 with ETag, Cache-Control and Vary kept', (context) =>
  withTimeout(async () => {
    const first = await fetch(context.url('compressed.css'), { headers: { 'accept-encoding': 'gzip' } });
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    const byTag = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    assert.is(byTag.status, 304);
    assert.is(byTag.body.length, 0);
    assert.is(byTag.headers.etag, etag);
    assert.is(byTag.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.is(byTag.headers.vary, 'Accept-Encoding');
    assert.is(byTag.headers['last-modified'], undefined, 'no other metadata (RFC 9110 15.4.5)');
    const byDate = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { 'if-modified-since': lastModified } });
    assert.is(byDate.status, 304);
    const stale = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { 'if-none-match': '"something-else"', 'if-modified-since': lastModified } });
    assert.is(stale.status, 200, 'If-None-Match wins over If-Modified-Since');
    const older = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    assert.is(older.status, 200);
  }),
);

files('Range gives 206 with Content-Range; unsatisfiable gives 416; If-Range guards it', (context) =>
  withTimeout(async () => {
    const partial = await rawRequest(context.server.base, `/static/${context.token}/big.bin`, { headers: { range: 'bytes=100-199' } });
    assert.is(partial.status, 206);
    assert.is(partial.headers['content-range'], `bytes 100-199/${context.fixture.big.length}`);
    assert.ok(partial.body.equals(context.fixture.big.subarray(100, 200)));
    const suffix = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { range: 'bytes=-5' } });
    assert.is(suffix.status, 206);
    assert.is(suffix.text, 'red; }\n'.slice(-5));
    const unsatisfiable = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { range: 'bytes=500-' } });
    assert.is(unsatisfiable.status, 416);
    assert.is(unsatisfiable.headers['content-range'], 'bytes */19');
    const etag = (await fetch(context.url('big.bin'), { method: 'HEAD' })).headers.get('etag')!;
    const matching = await rawRequest(context.server.base, `/static/${context.token}/big.bin`, { headers: { range: 'bytes=0-9', 'if-range': etag } });
    assert.is(matching.status, 206);
    const changed = await rawRequest(context.server.base, `/static/${context.token}/big.bin`, { headers: { range: 'bytes=0-9', 'if-range': '"old"' } });
    assert.is(changed.status, 200, 'a changed file is sent whole');
    assert.is(changed.body.length, context.fixture.big.length);
  }),
);

files('serves precompressed siblings by Accept-Encoding q-values, with Vary', (context) =>
  withTimeout(async () => {
    const original = readFileSync(join(context.fixture.staticDir, 'compressed.css'));
    const br = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.is(br.headers['content-encoding'], 'br');
    assert.is(br.headers.vary, 'Accept-Encoding');
    assert.is(br.headers['content-type'], 'text/css; charset=utf-8');
    assert.ok(brotliDecompressSync(br.body).equals(original));
    const gzip = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    assert.is(gzip.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gzip.body).equals(original));
    assert.is.not(gzip.headers.etag, br.headers.etag, 'each representation has its own ETag');
    const identity = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    assert.is(identity.headers['content-encoding'], undefined);
    assert.ok(identity.body.equals(original));
    const onlyGzip = await rawRequest(context.server.base, `/static/${context.token}/only-gzip.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.is(onlyGzip.headers['content-encoding'], 'gzip');
    const noSiblings = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.is(noSiblings.headers['content-encoding'], undefined);
    assert.is(noSiblings.headers.vary, undefined);
    const ranged = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'br', range: 'bytes=0-1' } });
    assert.is(ranged.headers['content-encoding'], undefined, 'a Range applies to the file itself');
    assert.is(ranged.text, 'h1');
  }),
);

files('other methods are 405 with Allow: GET, HEAD; folders are 404', (context) =>
  withTimeout(async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await rawRequest(context.server.base, `/static/${context.token}/style.css`, { method });
      assert.is(res.status, 405, method);
      assert.is(res.headers.allow, 'GET, HEAD');
    }
    for (const path of ['css', 'css/', 'nested/deeper', '']) assert.is((await rawRequest(context.server.base, `/static/${context.token}/${path}`)).status, 404, path);
  }),
);

files('a 404 under a token prefix is never cached, and no exception view can make it cacheable', (context) =>
  withTimeout(async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(context.url('no-such-file.css'));
      assert.is(res.status, 404);
      assert.is(res.headers.get('cache-control'), 'no-store');
      assert.is(await res.text(), '404 Not Found\n\nThe resource could not be found.\n');
    }
  }),
);

files("a plain static view's 404 goes through exception views, as in Pyramid", (context) =>
  withTimeout(async () => {
    const res = await fetch(`${context.server.base}/plain/no-such-file.css`);
    assert.is(res.status, 404);
    assert.is(await res.text(), 'custom not-found page');
  }),
);

files('a prefix spelled with percent-encoding serves nothing (it would shift the path)', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, '/plain/n/decoy.css')).text, 'decoy\n');
    for (const path of ['/pl%61in/decoy.css', `/st%61tic/${context.token}/n/decoy.css`]) assert.is((await rawRequest(context.server.base, path)).status, 404, path);
  }),
);

files('a file is the same however its path is spelled, and stays so on repeated requests', (context) =>
  withTimeout(async () => {
    for (const path of ['nested/deeper/file.txt', 'nested/deeper/fil%65.txt', 'nested/deeper/file.txt', 'nested/deeper/fil%65.txt']) {
      const res = await rawRequest(context.server.base, `/static/${context.token}/${path}`);
      assert.is(res.status, 200, path);
      assert.is(res.text, readFileSync(join(context.fixture.staticDir, 'nested/deeper/file.txt'), 'utf8'), path);
    }
    for (let i = 0; i < 2; i++) assert.is((await rawRequest(context.server.base, `/static/${context.token}/nested/deeper/file.txt/`)).status, 404, 'a trailing slash is not the file');
  }),
);

const reload = suite<Context>('tet.static.reload');

reload.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(
    context.fixture.dir,
    (config) => {
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
      config.addStaticView({ name: 'plain', path: `${APP}:static` });
    },
    { 'tet.static.reload': 'true' },
  );
  context.token = context.server.app.registry.cachebreaker!;
  context.url = (file) => `${context.server.base}/static/${context.token}/${file}`;
});
reload.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

reload('re-reads a changed file, finds a new one, forgets a deleted one', (context) =>
  withTimeout(async () => {
    const file = join(context.fixture.staticDir, 'style.css');
    const first = await fetch(context.url('style.css'));
    assert.is(await first.text(), 'h1 { color: red; }\n');
    writeFileSync(file, 'h1 { color: blue; }\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await fetch(context.url('style.css'));
    assert.is(await second.text(), 'h1 { color: blue; }\n');
    assert.is.not(second.headers.get('etag'), first.headers.get('etag'));
    writeFileSync(join(context.fixture.staticDir, 'new.css'), 'p {}\n');
    assert.is(await (await fetch(context.url('new.css'))).text(), 'p {}\n');
    assert.is(await (await fetch(`${context.server.base}/plain/new.css`)).text(), 'p {}\n');
    rmSync(join(context.fixture.staticDir, 'new.css'));
    assert.is((await fetch(context.url('new.css'))).status, 404);
    assert.is((await fetch(`${context.server.base}/plain/new.css`)).status, 404, 'plain views forget it too');
    writeFileSync(join(context.fixture.staticDir, '.new-secret'), 'x');
    assert.is((await fetch(context.url('.new-secret'))).status, 404, 'dotfiles stay hidden when reloading');
    assert.is((await fetch(context.url('link-out.txt'))).status, 404, 'symlinks out of the root stay refused when reloading');
  }),
);

reload('keeps content negotiation and conditional requests', (context) =>
  withTimeout(async () => {
    const br = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'br' } });
    assert.is(br.headers['content-encoding'], 'br');
    const again = await rawRequest(context.server.base, `/static/${context.token}/compressed.css`, { headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    assert.is(again.status, 304);
  }),
);

const memory = suite<{ fixture: FixtureApp; servers: Array<TestServer & { app: App }> }>('which files are kept in memory');

memory.before(async (context) => {
  context.fixture = makeFixtureApp();
  writeFileSync(join(context.fixture.staticDir, 'mid.bin'), context.fixture.big.subarray(0, 3 * 1024 * 1024));
  const configure = (config: Parameters<Parameters<typeof serve>[1]>[0]) => {
    config.setCachebreaker('1');
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  };
  context.servers = [await serve(context.fixture.dir, configure), await serve(context.fixture.dir, configure, { 'tet.static.cache_max_file_size': 1024 * 1024 })];
  // A small file is read on its first request; bigger ones in the background once the view is built.
  for (const server of context.servers) assert.is((await rawRequest(server.base, '/static/1/style.css')).status, 200);
  for (const server of context.servers) {
    const files = server.app.registry.staticViews!.all()[0]!.index;
    for (const deadline = Date.now() + 5000; files.reading('mid.bin') || files.reading('big.bin'); ) {
      if (Date.now() > deadline) throw new Error('the big files were not read within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  // What is in memory is still served once the file is gone from disk; what streams is not.
  for (const file of ['mid.bin', 'big.bin', 'style.css']) rmSync(join(context.fixture.staticDir, file));
});
memory.after(async (context) => {
  for (const server of context.servers) await server.close();
  context.fixture.remove();
});

memory('files up to 4 MiB are answered from memory by default, bigger ones stream from disk', (context) =>
  withTimeout(async () => {
    const [byDefault] = context.servers;
    const mid = await rawRequest(byDefault!.base, '/static/1/mid.bin');
    assert.is(mid.status, 200);
    assert.ok(mid.body.equals(context.fixture.big.subarray(0, 3 * 1024 * 1024)));
    assert.is((await rawRequest(byDefault!.base, '/static/1/big.bin')).status, 404);
    assert.is((await rawRequest(byDefault!.base, '/static/1/style.css')).text, 'h1 { color: red; }\n');
  }),
);

memory('tet.static.cache_max_file_size sets the limit', (context) =>
  withTimeout(async () => {
    const limited = context.servers[1]!;
    assert.is((await rawRequest(limited.base, '/static/1/mid.bin')).status, 404, '3 MiB is over a 1 MiB limit, so it streamed');
    assert.is((await rawRequest(limited.base, '/static/1/style.css')).status, 200);
  }),
);

files.run();
reload.run();
memory.run();
