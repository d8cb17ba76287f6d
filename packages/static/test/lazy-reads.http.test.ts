// Token and plain views read a small file on its first request, not at start-up (issue 19: the
// cold start): what the first request reads is what every later answer agrees with, a file
// gone or unreadable by then is a 404, enumerating the view reads the rest, and the memory
// budget goes to files in the order they are first requested.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App, Settings } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const T = 't1';
const sha384 = (bytes: Buffer) => createHash('sha384').update(bytes).digest();
const etagOf = (bytes: Buffer) => `"${sha384(bytes).toString('base64url').slice(0, 32)}"`;

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}

// A token view and a content-hashed view of the same folder: the first reads lazily, the second at start-up.
async function start(context: Context, settings: Settings = {}): Promise<void> {
  context.fixture = makeFixtureApp();
  chmodSync(context.fixture.dir, 0o755); // another user can reach the files (the unreadable case)
  context.server = await serve(
    context.fixture.dir,
    (config) => {
      config.setCachebreaker(T);
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
    },
    settings,
  );
}
async function stop(context: Context): Promise<void> {
  await context.server.close();
  context.fixture.remove();
}
const get = (context: Context, path: string, headers: Record<string, string> = {}) => rawRequest(context.server.base, path, { headers, timeout: 3000 });
const views = (context: Context) => context.server.app.registry.staticViews!.all();

const firstRequest = suite<Context>('addStaticViewWithBreaker: a file is read on its first request');
firstRequest.before((context) => start(context));
firstRequest.after(stop);

firstRequest('a file rewritten after start-up, before its first request, is served with its new bytes under their ETag', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'style.css');
    const before = readFileSync(path);
    const contentUrl = `/assets/${views(context).find((view) => view.hashFor !== undefined)!.hashFor!('style.css')}/style.css`;
    const after = Buffer.from('h1 { color: blue; } /* rewritten after start-up */\n');
    writeFileSync(path, after);
    const first = await get(context, `/static/${T}/style.css`);
    assert.is(first.status, 200);
    assert.ok(first.body.equals(after), 'the bytes on disk at the first request');
    assert.is(first.headers.etag, etagOf(after));
    assert.is(first.headers['content-length'], String(after.length));
    assert.is((await get(context, `/static/${T}/style.css`, { 'if-none-match': etagOf(after) })).status, 304);
    // The content-hashed view read it at start-up, and its URL names those bytes.
    const hashed = await get(context, contentUrl);
    assert.is(hashed.status, 200);
    assert.ok(hashed.body.equals(before), 'the content-hashed view serves what it read at start-up');
    assert.is(hashed.headers.etag, etagOf(before));
    // Once read, a file kept in memory keeps its bytes and ETag, as a file read at start-up did.
    writeFileSync(path, 'h1 { color: green; }\n');
    const again = await get(context, `/static/${T}/style.css`);
    assert.ok(again.body.equals(after));
    assert.is(again.headers.etag, etagOf(after));
  }),
);

firstRequest('a file deleted before its first request is a 404, and the other files are served', (context) =>
  withTimeout(async () => {
    unlinkSync(join(context.fixture.staticDir, 'app.js'));
    const gone = await get(context, `/static/${T}/app.js`);
    assert.is(gone.status, 404);
    assert.is(gone.headers['cache-control'], 'no-store');
    assert.is((await get(context, `/static/${T}/app.js`)).status, 404, 'and stays one');
    const other = await get(context, `/static/${T}/img/icon.svg`);
    assert.is(other.status, 200);
    assert.ok(other.body.equals(readFileSync(join(context.fixture.staticDir, 'img', 'icon.svg'))));
  }),
);

firstRequest('a file made unreadable before its first request is a 404 that names no path', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'nested', 'deeper', 'file.txt');
    chmodSync(path, 0o000);
    // As root (CI containers) permissions do not apply: the server reads as another user, as a
    // server's own user would.
    const asRoot = process.geteuid?.() === 0;
    if (asRoot) process.seteuid!(65534);
    let res: Awaited<ReturnType<typeof get>>;
    try {
      res = await get(context, `/static/${T}/nested/deeper/file.txt`);
    } finally {
      if (asRoot) process.seteuid!(0);
      chmodSync(path, 0o644);
    }
    assert.is(res.status, 404);
    assert.not.match(res.text, context.fixture.dir);
    assert.not.match(res.text, 'EACCES');
  }),
);

firstRequest('a FIFO in place of a file not read yet is a 404 at once', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'css', 'site main.css');
    unlinkSync(path);
    execFileSync('mkfifo', [path]);
    assert.is((await get(context, `/static/${T}/css/site%20main.css`)).status, 404);
  }),
);

const enumerated = suite<Context>('addStaticViewWithBreaker: enumerating the files reads them all');
enumerated.before((context) => start(context));
enumerated.after(stop);

enumerated('every file is listed with the digest of its bytes, and a vanished one is not', (context) =>
  withTimeout(async () => {
    const [lazy, eager] = ['token', 'content'].map((kind) => views(context).find((view) => (view.hashFor === undefined) === (kind === 'token'))!.index);
    const expected = [...eager!.entries()].map((entry) => entry.relativePath).filter((path) => path !== 'app.js');
    assert.ok(expected.length >= 8, `the fixture has files (${expected.join(', ')})`);
    assert.is((await get(context, `/static/${T}/style.css`)).status, 200, 'one read by a request, the rest not yet');
    unlinkSync(join(context.fixture.staticDir, 'app.js'));
    const entries = [...lazy!.entries()];
    assert.equal(entries.map((entry) => entry.relativePath).sort(), expected.sort());
    assert.is(lazy!.size, expected.length);
    for (const entry of entries) {
      const bytes = readFileSync(join(context.fixture.staticDir, ...entry.relativePath.split('/')));
      assert.ok(entry.digest.equals(sha384(bytes)), `${entry.relativePath}: the digest of its bytes`);
      assert.is(entry.size, bytes.length, entry.relativePath);
    }
  }),
);

const budget = suite<{ fixture: FixtureApp; servers: TestServer[] }>('tet.static.cache_max_size: first come, first served');
budget.before(async (context) => {
  context.fixture = makeFixtureApp();
  const dir = join(context.fixture.dir, 'two');
  mkdirSync(dir);
  for (const name of ['a.txt', 'b.txt']) writeFileSync(join(dir, name), `${name}\n`.repeat(200));
  // Room for one of the two: whichever is asked for first.
  const settings = { 'tet.static.cache_max_size': 1500 };
  const configure = (config: Parameters<Parameters<typeof serve>[1]>[0]) => {
    config.setCachebreaker(T);
    config.addStaticViewWithBreaker({ name: 'two/{breaker}', path: `${APP}:two` });
  };
  context.servers = [await serve(context.fixture.dir, configure, settings), await serve(context.fixture.dir, configure, settings)];
});
budget.after(async (context) => {
  for (const server of context.servers) await server.close();
  context.fixture.remove();
});

budget('the files asked for first are kept in memory, and those over the budget stream', (context) =>
  withTimeout(async () => {
    const [first, second] = context.servers;
    const orders: Array<[TestServer, string[]]> = [
      [first!, ['a.txt', 'b.txt']],
      [second!, ['b.txt', 'a.txt']],
    ];
    for (const [server, order] of orders) for (const name of order) assert.is((await rawRequest(server.base, `/two/${T}/${name}`)).status, 200);
    // What is in memory is still served once the file is gone from disk; what streams is not.
    for (const name of ['a.txt', 'b.txt']) rmSync(join(context.fixture.dir, 'two', name));
    for (const [server, [kept, streamed]] of orders) {
      const inMemory = await rawRequest(server.base, `/two/${T}/${kept}`);
      assert.is(inMemory.status, 200, `${kept}, asked for first, is in memory`);
      assert.is(inMemory.text, `${kept}\n`.repeat(200));
      assert.is((await rawRequest(server.base, `/two/${T}/${streamed}`)).status, 404, `${streamed} did not fit, so it streamed`);
    }
  }),
);

firstRequest.run();
enumerated.run();
budget.run();
