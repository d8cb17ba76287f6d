// Files and folders swapped, rewritten or replaced by FIFOs after start-up (issue 12, items 3,
// 6 and 7): the bytes sent always belong to the file indexed, under its own ETag.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App, Settings } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const T = 't1';
const MIB = 1024 * 1024;
const etagOf = (bytes: Buffer) => `"${createHash('sha384').update(bytes).digest('base64url').slice(0, 32)}"`;

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}

async function start(context: Context, settings: Settings = {}, prepare: (staticDir: string, dir: string) => void = () => {}): Promise<void> {
  context.fixture = makeFixtureApp();
  prepare(context.fixture.staticDir, context.fixture.dir);
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
const get = (context: Context, file: string, headers: Record<string, string> = {}) => rawRequest(context.server.base, `/static/${T}/${file}`, { headers, timeout: 3000 });

// A folder inside the root with a big (streamed) and a small (in-memory) file, and a folder
// outside it with files of the same names.
function folders(staticDir: string, dir: string): void {
  mkdirSync(join(staticDir, 'sub'));
  writeFileSync(join(staticDir, 'sub', 'big.bin'), Buffer.alloc(5 * MIB, 1));
  writeFileSync(join(staticDir, 'sub', 'small.txt'), 'inside\n');
  writeFileSync(join(staticDir, 'sub', 'unread.txt'), 'inside, never requested\n');
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'elsewhere', 'big.bin'), Buffer.alloc(5 * MIB, 2));
  for (const name of ['small.txt', 'unread.txt']) writeFileSync(join(dir, 'elsewhere', name), 'OUTSIDE\n');
  symlinkSync('.env', join(staticDir, 'env.txt'));
  symlinkSync('.hidden', join(staticDir, 'pub'));
}

function swapFolderForLinkOut(context: Context): void {
  renameSync(join(context.fixture.staticDir, 'sub'), join(context.fixture.dir, 'sub-was'));
  symlinkSync(join(context.fixture.dir, 'elsewhere'), join(context.fixture.staticDir, 'sub'));
}

const suites: Array<ReturnType<typeof suite<Context>>> = [];
for (const mode of ['production', 'reload'] as const) {
  const settings = mode === 'reload' ? { 'tet.static.reload': true } : {};
  const escapes = suite<Context>(`static files: escapes after start-up (${mode})`);
  suites.push(escapes);
  escapes.before((context) => start(context, settings, folders));
  escapes.after(stop);

  escapes('a folder swapped for a symlink out of the root serves nothing from outside', (context) =>
    withTimeout(async () => {
      assert.is((await get(context, 'sub/big.bin')).status, 200);
      assert.is((await get(context, 'sub/small.txt')).text, 'inside\n');
      swapFolderForLinkOut(context);
      const big = await get(context, 'sub/big.bin');
      assert.is(big.status, 404);
      assert.is(big.headers['cache-control'], 'no-store');
      assert.not.ok(big.body.includes(2), 'no byte of the outside file');
      const small = await get(context, 'sub/small.txt');
      if (mode === 'reload') assert.is(small.status, 404, 'reload mode re-reads, and refuses the link out');
      else assert.is(small.text, 'inside\n', 'production serves the bytes it read on the first request');
      assert.not.match(small.text, 'OUTSIDE');
      // Production reads a small file on its first request: the path now leads out of the root.
      const unread = await get(context, 'sub/unread.txt');
      assert.is(unread.status, 404);
      assert.not.match(unread.text, 'OUTSIDE');
    }),
  );

  escapes('a symlink to a dotfile or into a dot-folder inside the root is never served', (context) =>
    withTimeout(async () => {
      for (const path of ['env.txt', 'pub/data.txt']) {
        const res = await get(context, path);
        assert.is(res.status, 404, path);
        assert.not.match(res.text, 'SECRET');
      }
      symlinkSync('.env', join(context.fixture.staticDir, 'late.txt'));
      assert.is((await get(context, 'late.txt')).status, 404, 'a symlink made after start-up too');
    }),
  );
}

const rewritten = suite<Context>('static files: a streamed file changed in place in production');
rewritten.before((context) => start(context));
rewritten.after(stop);

rewritten('rewritten, truncated or replaced, it is served whole under the ETag of its new bytes', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'big.bin');
    const first = await get(context, 'big.bin');
    assert.is(first.headers.etag, etagOf(context.fixture.big));
    const steps: Array<[string, () => Buffer]> = [
      [
        'rewritten in place, another size',
        () => {
          writeFileSync(path, Buffer.alloc(6 * MIB, 3));
          return Buffer.alloc(6 * MIB, 3);
        },
      ],
      [
        'truncated',
        () => {
          truncateSync(path, 1000);
          return Buffer.alloc(1000, 3);
        },
      ],
      [
        'replaced by rename, the same size',
        () => {
          const bytes = randomBytes(1000);
          writeFileSync(`${path}.tmp`, bytes);
          renameSync(`${path}.tmp`, path);
          return bytes;
        },
      ],
    ];
    let previous = first.headers.etag!;
    for (const [what, change] of steps) {
      const bytes = change();
      const res = await get(context, 'big.bin', { 'if-none-match': previous });
      assert.is(res.status, 200, `${what}: the old ETag no longer validates`);
      assert.is(res.headers.etag, etagOf(bytes), what);
      assert.is(res.headers['content-length'], String(bytes.length), what);
      assert.ok(res.body.equals(bytes), what);
      const again = await get(context, 'big.bin');
      assert.is(again.headers.etag, etagOf(bytes), `${what}: the index keeps the new entry`);
      previous = etagOf(bytes);
    }
    const ranged = await get(context, 'big.bin', { range: 'bytes=0-9', 'if-range': previous });
    assert.is(ranged.status, 206);
  }),
);

rewritten('a content-hashed URL names the old bytes: a changed streamed file answers 503, never other bytes', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'app-data.bin');
    writeFileSync(path, Buffer.alloc(5 * MIB, 4));
    await context.server.close();
    context.server = await serve(context.fixture.dir, (config) => config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' }));
    const url = new URL(context.server.app.registry.staticViews!.all()[0]!.hashFor!('app-data.bin')!, 'http://x/').pathname;
    const hashed = `/assets${url}/app-data.bin`;
    assert.is((await rawRequest(context.server.base, hashed)).status, 200);
    writeFileSync(path, Buffer.alloc(5 * MIB + 1, 5));
    const res = await rawRequest(context.server.base, hashed);
    assert.is(res.status, 503);
    assert.is(res.headers['cache-control'], 'no-store');
    assert.not.ok(res.body.includes(5));
  }),
);

const hangs = suite<Context>('static files: FIFOs, devices and folders swapped in');
hangs.before((context) => start(context, {}, (staticDir) => writeFileSync(join(staticDir, 'other.bin'), Buffer.alloc(5 * MIB, 6))));
hangs.after(stop);

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

hangs('a FIFO in place of a streamed file is a 404 at once, and other files keep streaming', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'big.bin');
    unlinkSync(path);
    mkfifo(path);
    // Before: each request held one of libuv's four threads in open() forever.
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(context, 'big.bin')));
    for (const res of answers) assert.is(res.status, 404);
    const other = await get(context, 'other.bin');
    assert.is(other.status, 200);
    assert.is(other.body.length, 5 * MIB);
  }, 8_000),
);

hangs('a folder, or a symlink to a device, in place of a streamed file is a 404', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'other.bin');
    rmSync(path);
    mkdirSync(path);
    assert.is((await get(context, 'other.bin')).status, 404);
    rmSync(path, { recursive: true });
    writeFileSync(join(context.fixture.staticDir, 'third.bin'), '');
    symlinkSync('/dev/zero', path);
    assert.is((await get(context, 'other.bin')).status, 404);
  }),
);

const reloadFifo = suite<Context>('static files: a FIFO swapped in with tet.static.reload');
reloadFifo.before((context) => start(context, { 'tet.static.reload': true }));
reloadFifo.after(stop);

reloadFifo('is a 404, and the server keeps answering', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'style.css');
    unlinkSync(path);
    mkfifo(path);
    // Before: the synchronous open() blocked the event loop, so the whole server hung.
    assert.is((await get(context, 'style.css')).status, 404);
    mkfifo(join(context.fixture.staticDir, 'new.css'));
    assert.is((await get(context, 'new.css')).status, 404, 'a FIFO that appears after start-up');
    assert.is((await get(context, 'app.js')).status, 200);
  }, 6_000),
);

for (const escapes of suites) escapes.run();
rewritten.run();
hangs.run();
reloadFifo.run();
