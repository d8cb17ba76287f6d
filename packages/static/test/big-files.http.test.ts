// Token and plain views read a big file (over 256 KiB) in the background once their index is
// built, not at start-up (issue 19: the cold start): the application listens before it is
// hashed, a request that comes first waits for it and gets exactly what it would have got,
// whoever needs its entry at once gets it, and nothing that happens to the file (deleted,
// replaced, no descriptors left, the application closing) ends in a crash or a wrong answer.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App, Configurator, Settings } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const T = 't1';
const MiB = 1024 * 1024;
const sha384 = (bytes: Buffer) => createHash('sha384').update(bytes).digest();
const etagOf = (bytes: Buffer) => `"${sha384(bytes).toString('base64url').slice(0, 32)}"`;
// 64 MiB: hashing it takes far longer than the rest of start-up, so what starts at once overlaps it.
let huge: Buffer | undefined;
const hugeBytes = () => (huge ??= randomBytes(64 * MiB));

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}

// A token view and a plain view of one folder with a 64 MiB file, and a page that asks for its integrity.
async function start(context: Context, extra: (staticDir: string) => void = () => {}, settings: Settings = {}): Promise<void> {
  context.fixture = makeFixtureApp();
  writeFileSync(join(context.fixture.staticDir, 'huge.bin'), hugeBytes());
  extra(context.fixture.staticDir);
  context.server = await serve(
    context.fixture.dir,
    (config: Configurator) => {
      config.setCachebreaker(T);
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
      config.addStaticView({ name: 'plain', path: `${APP}:static` });
      config.addRoute('integrity', '/integrity');
      config.addView((request) => request.staticIntegrity(`${APP}:static/huge.bin`), { routeName: 'integrity', renderer: 'string' });
    },
    settings,
  );
}
async function stop(context: Context): Promise<void> {
  await context.server.close();
  context.fixture.remove();
}
const filesOf = (context: Context, name: string) => context.server.app.registry.staticViews!.all().find((view) => view.name === name)!.index;
const get = (context: Context, path: string, headers: Record<string, string> = {}) => rawRequest(context.server.base, path, { headers, timeout: 10_000 });

/** A GET whose body is hashed as it arrives (64 MiB bodies are not kept): status, headers (and when they came), length, SHA-384. */
function fetchDigest(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; headersAt: number; length: number; digest: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers, agent: false, timeout: 20_000 }, (res) => {
      const headersAt = performance.now();
      const hash = createHash('sha384');
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        length += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, headersAt, length, digest: hash.digest() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 20 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Waits (polling, bounded) until `done()` is true. */
async function until(done: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const atOnce = suite<Context>('addStaticViewWithBreaker: a big file is read after start-up');
atOnce.before((context) => start(context));
atOnce.after(stop);

atOnce('the application listens before a big file is hashed; requests made at once wait for it and get its bytes under their ETag', (context) =>
  withTimeout(async () => {
    const token = filesOf(context, 'static/{breaker}');
    const plain = filesOf(context, 'plain');
    // makeApp() and listen() are done, and the 64 MiB file is still being hashed (the eager
    // index hashed it before makeApp() resolved).
    assert.ok(token.reading('huge.bin'), 'the token view is still reading it');
    assert.ok(plain.reading('huge.bin'), 'the plain view is still reading it');
    const base = context.server.base;
    const answers = Promise.all([
      fetchDigest(base, `/static/${T}/huge.bin`),
      fetchDigest(base, `/static/${T}/huge.bin`),
      fetchDigest(base, '/plain/huge.bin'),
      get(context, `/static/${T}/huge.bin`, { range: 'bytes=1000000-1000999' }),
      fetchDigest(base, `/static/${T}/huge.bin`, {}, 'HEAD'),
    ]);
    // Sent after them, answered before them: the requests waiting for the read do not hold the
    // event loop (had the fast path hashed the file there, this one would have waited too).
    const small = get(context, `/static/${T}/style.css`).then((res) => ({ status: res.status, at: performance.now() }));
    assert.ok(token.reading('huge.bin'), 'the requests were sent while it was being read');
    const [first, second, fromPlain, ranged, head] = await answers;
    const smallAnswer = await small;
    assert.is(smallAnswer.status, 200);
    assert.ok(smallAnswer.at < first.headersAt, `a small file answered (${smallAnswer.at.toFixed(0)}) before the big one (${first.headersAt.toFixed(0)})`);
    const bytes = hugeBytes();
    for (const [answer, which] of [
      [first, 'a request that waited'],
      [second, 'another request that waited for the same read'],
      [fromPlain, 'the plain view'],
    ] as const) {
      assert.is(answer.status, 200, which);
      assert.is(answer.length, bytes.length, which);
      assert.ok(answer.digest.equals(sha384(bytes)), `${which}: every byte`);
      assert.is(answer.headers.etag, etagOf(bytes), `${which}: the ETag of the bytes`);
      assert.is(answer.headers['content-length'], String(bytes.length), which);
    }
    assert.is(ranged.status, 206);
    assert.is(ranged.headers['content-range'], `bytes 1000000-1000999/${bytes.length}`);
    assert.ok(ranged.body.equals(bytes.subarray(1_000_000, 1_001_000)), 'the range of the bytes');
    assert.is(head.status, 200);
    assert.is(head.length, 0);
    assert.is(head.headers.etag, etagOf(bytes));
    assert.not.ok(token.reading('huge.bin'), 'read once answered');
    assert.is((await get(context, `/static/${T}/huge.bin`, { 'if-none-match': etagOf(bytes) })).status, 304);
    assert.is((await get(context, '/plain/huge.bin', { 'if-none-match': etagOf(bytes) })).status, 304);
    assert.is((await get(context, `/static/${T}/huge.bin`, { 'if-match': '"other"' })).status, 412);
  }, 30_000),
);

const needed = suite<Context>('addStaticViewWithBreaker: a big file needed at once is read at once');
needed.before((context) => start(context));
needed.after(stop);

needed('staticIntegrity() and entries() while it is still being read get its digest, and the read is not done twice', (context) =>
  withTimeout(async () => {
    const bytes = hugeBytes();
    const token = filesOf(context, 'static/{breaker}');
    const plain = filesOf(context, 'plain');
    assert.ok(token.reading('huge.bin') && plain.reading('huge.bin'), 'still being read');
    const integrity = await get(context, '/integrity');
    assert.is(integrity.status, 200);
    assert.is(integrity.text, `sha384-${sha384(bytes).toString('base64')}`);
    assert.not.ok(token.reading('huge.bin'), 'read synchronously for staticIntegrity()');
    // The plain view's index has not read it yet: listing it reads it now, digest included.
    assert.ok(plain.reading('huge.bin'));
    const listed = [...plain.entries()].find((entry) => entry.relativePath === 'huge.bin');
    assert.ok(listed !== undefined, 'listed');
    assert.ok(listed!.digest.equals(sha384(bytes)), 'with the digest of its bytes');
    assert.is(listed!.size, bytes.length);
    assert.not.ok(plain.reading('huge.bin'), 'and no longer pending');
    assert.ok(plain.get('huge.bin') === listed, 'the entry listed is the one the index keeps: the background read dropped its own');
    const served = await fetchDigest(context.server.base, '/plain/huge.bin');
    assert.is(served.status, 200);
    assert.is(served.headers.etag, etagOf(bytes));
    assert.ok(served.digest.equals(sha384(bytes)));
    // Once the background read ends, the entry is still the one listed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(plain.get('huge.bin') === listed);
  }, 30_000),
);

const changed = suite<Context & { replacement: Buffer }>('addStaticViewWithBreaker: a big file changed before its background read ends');
changed.before(async (context) => {
  context.replacement = randomBytes(3 * MiB);
  await start(context, (staticDir) => {
    mkdirSync(join(staticDir, 'media'));
    for (const name of ['gone-1.bin', 'gone-2.bin', 'replaced.bin', 'fifo.bin']) writeFileSync(join(staticDir, 'media', name), randomBytes(8 * MiB));
  });
});
changed.after(stop);

changed('deleted: a 404; replaced: the new bytes under their ETag; a FIFO: a 404 at once; the other files are served', (context) =>
  withTimeout(async () => {
    const media = join(context.fixture.staticDir, 'media');
    const token = filesOf(context, 'static/{breaker}');
    assert.ok(
      ['gone-1.bin', 'gone-2.bin', 'replaced.bin', 'fifo.bin'].some((name) => token.reading(`media/${name}`)),
      'still being read',
    );
    unlinkSync(join(media, 'gone-1.bin'));
    unlinkSync(join(media, 'gone-2.bin'));
    writeFileSync(join(media, 'replaced.bin.tmp'), context.replacement);
    renameSync(join(media, 'replaced.bin.tmp'), join(media, 'replaced.bin'));
    unlinkSync(join(media, 'fifo.bin'));
    execFileSync('mkfifo', [join(media, 'fifo.bin')]);
    for (const prefix of [`/static/${T}`, '/plain']) {
      for (const name of ['gone-1.bin', 'gone-2.bin', 'fifo.bin']) {
        const res = await get(context, `${prefix}/media/${name}`);
        assert.is(res.status, 404, `${prefix}/media/${name}`);
        assert.not.match(res.text, context.fixture.dir);
      }
      const replaced = await get(context, `${prefix}/media/replaced.bin`);
      assert.is(replaced.status, 200, `${prefix}/media/replaced.bin`);
      assert.ok(replaced.body.equals(context.replacement), 'the bytes on disk now');
      assert.is(replaced.headers.etag, etagOf(context.replacement));
      const whole = await fetchDigest(context.server.base, `${prefix}/huge.bin`);
      assert.is(whole.status, 200);
      assert.ok(whole.digest.equals(sha384(hugeBytes())));
    }
    assert.is((await get(context, `/static/${T}/media/gone-1.bin`)).status, 404, 'and stays one');
  }, 30_000),
);

const failures = suite<Context>('addStaticViewWithBreaker: a background read that fails');

failures('the folder removed while its big files are read: no unhandled rejection, no crash, a 404', (context) =>
  withTimeout(async () => {
    const seen: unknown[] = [];
    const record = (error: unknown) => seen.push(error);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    try {
      await start(context, (staticDir) => {
        for (let i = 0; i < 4; i++) writeFileSync(join(staticDir, `more-${i}.bin`), randomBytes(4 * MiB + i));
      });
      const token = filesOf(context, 'static/{breaker}');
      assert.ok(token.reading('huge.bin'));
      rmSync(context.fixture.staticDir, { recursive: true, force: true });
      const paths = ['huge.bin', 'more-0.bin', 'more-1.bin', 'more-2.bin', 'more-3.bin'];
      const answers = await Promise.all(paths.map((path) => rawRequest(context.server.base, `/static/${T}/${path}`, { timeout: 20_000 })));
      for (const [i, answer] of answers.entries()) assert.is(answer.status, 404, paths[i]);
      await until(() => paths.every((path) => !token.reading(path)), 'every background read ended');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(seen, [], 'nothing escaped');
    } finally {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      await stop(context);
    }
  }, 30_000),
);

const budget = suite<Context>('tet.static.cache_max_size: big files read in the background');
budget.before((context) =>
  start(
    context,
    (staticDir) => {
      mkdirSync(join(staticDir, 'budget'));
      for (const name of ['s1.txt', 's2.txt', 's3.txt']) writeFileSync(join(staticDir, 'budget', name), Buffer.alloc(200 * 1024, name));
      for (const name of ['b1.bin', 'b2.bin']) writeFileSync(join(staticDir, 'budget', name), Buffer.alloc(MiB, name));
    },
    // The small files' 600 KiB first, then room for one of the two 1 MiB files.
    { 'tet.static.cache_max_size': 2 * MiB },
  ),
);
budget.after(stop);

budget('small files get the memory first, and a big file is kept in memory only within the budget', (context) =>
  withTimeout(async () => {
    const token = filesOf(context, 'static/{breaker}');
    await until(() => !token.reading('budget/b1.bin') && !token.reading('budget/b2.bin'), 'the big files were read');
    for (const name of ['s1.txt', 's2.txt', 's3.txt']) assert.is((await get(context, `/static/${T}/budget/${name}`)).status, 200);
    // What is in memory is still served once the file is gone from disk; what streams is not.
    rmSync(join(context.fixture.staticDir, 'budget'), { recursive: true });
    for (const name of ['s1.txt', 's2.txt', 's3.txt']) {
      const res = await get(context, `/static/${T}/budget/${name}`);
      assert.is(res.status, 200, `${name} is in memory`);
      assert.ok(res.body.equals(Buffer.alloc(200 * 1024, name)));
    }
    const big = await Promise.all(['b1.bin', 'b2.bin'].map((name) => get(context, `/static/${T}/budget/${name}`)));
    assert.equal(big.map((res) => res.status).sort(), [200, 404], 'one big file fits in what is left of the budget, the other streamed');
    const kept = big.find((res) => res.status === 200)!;
    assert.ok(kept.body.equals(Buffer.alloc(MiB, big[0]!.status === 200 ? 'b1.bin' : 'b2.bin')));
    assert.is(kept.headers.etag, etagOf(kept.body));
  }, 30_000),
);

const processes = suite<{ fixture: FixtureApp }>('addStaticViewWithBreaker: big files read in the background, in a process of their own');
processes.before((context) => {
  context.fixture = makeFixtureApp();
});
processes.after((context) => context.fixture.remove());

processes('app.close() while a big file is read neither waits for it nor lets it keep the process alive', (context) =>
  withTimeout(async () => {
    const bytes = hugeBytes();
    writeFileSync(join(context.fixture.staticDir, 'huge.bin'), bytes);
    const script = fileURLToPath(new URL('./fixtures/big-file-server.js', import.meta.url));
    const child = spawn(process.execPath, [script, context.fixture.dir, 'huge.bin'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    assert.is(code, 0);
    const report = JSON.parse(output) as { readingAtClose: boolean; closeMs: number; exitMs: number };
    assert.ok(report.readingAtClose, 'the file was still being read when the application closed');
    // Hashing 64 MiB takes this process tens of milliseconds at the very least; the child
    // exited within one chunk's read of closing.
    const hashing = performance.now();
    sha384(bytes);
    const hashMs = performance.now() - hashing;
    assert.ok(report.exitMs < hashMs, `exited ${report.exitMs.toFixed(1)} ms after close(), sooner than hashing the file takes (${hashMs.toFixed(1)} ms)`);
  }, 30_000),
);

processes('out of descriptors while big files wait to be read: 503s, then each is read and served once descriptors are back', (context) =>
  withTimeout(async () => {
    rmSync(join(context.fixture.staticDir, 'huge.bin'), { force: true });
    const files = Array.from({ length: 4 }, () => randomBytes(24 * MiB));
    for (const [i, bytes] of files.entries()) writeFileSync(join(context.fixture.staticDir, `big-${i}.bin`), bytes);
    const script = fileURLToPath(new URL('./fixtures/fd-limit-server.js', import.meta.url));
    const child = spawn('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${script}" "${context.fixture.dir}" production`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const base = `http://127.0.0.1:${chunk.toString().trim()}`;
      // One kept-alive socket, opened while descriptors are free.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const url = new URL(base);
      const onSocket = (path: string) =>
        new Promise<{ status: number; headers: IncomingHttpHeaders; digest: Buffer }>((resolve, reject) => {
          const req = httpRequest({ host: url.hostname, port: url.port, path, agent, timeout: 15_000 }, (res) => {
            const hash = createHash('sha384');
            res.on('data', (data: Buffer) => hash.update(data));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, digest: hash.digest() }));
          });
          req.on('timeout', () => req.destroy(new Error(`${path}: no answer`)));
          req.on('error', reject);
          req.end();
        });
      // Each request right after taking every descriptor left (a background read that ends
      // gives its own back): a 503, or (the read ended and gave one back in between) the right bytes.
      const statuses: number[] = [];
      for (let round = 0; round < 2; round++) {
        for (const [i, bytes] of files.entries()) {
          assert.is((await onSocket('/__exhaust')).status, 200);
          const answer = await onSocket(`/static/${T}/big-${i}.bin`);
          statuses.push(answer.status);
          if (answer.status === 200) {
            assert.ok(answer.digest.equals(sha384(bytes)), `big-${i}.bin: every byte`);
            continue;
          }
          assert.is(answer.status, 503, `big-${i}.bin without descriptors`);
          assert.is(answer.headers['retry-after'], '3');
          assert.is(answer.headers['cache-control'], 'no-store');
        }
      }
      assert.ok(statuses.includes(503), `503s without descriptors (${statuses.join(', ')})`);
      assert.is((await onSocket('/__release')).status, 200);
      for (const [i, bytes] of files.entries()) {
        let answer = await onSocket(`/static/${T}/big-${i}.bin`);
        // A read put off is tried again within seconds: until then, 503s.
        for (const deadline = Date.now() + 15_000; answer.status === 503 && Date.now() < deadline; ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          answer = await onSocket(`/static/${T}/big-${i}.bin`);
        }
        assert.is(answer.status, 200, `big-${i}.bin once descriptors are back`);
        assert.ok(answer.digest.equals(sha384(bytes)), `big-${i}.bin: every byte`);
        assert.is(answer.headers.etag, etagOf(bytes));
      }
      agent.destroy();
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 60_000),
);

atOnce.run();
needed.run();
changed.run();
failures.run();
budget.run();
processes.run();
