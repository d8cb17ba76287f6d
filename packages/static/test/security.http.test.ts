import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync, truncateSync, unlinkSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

const T = 't1';
interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}
const attacks = suite<Context>('static files: hostile paths');

attacks.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(context.fixture.dir, (config) => {
    config.setCachebreaker(T);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    config.addStaticView({ name: 'plain', path: `${APP}:static` });
  });
});
attacks.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

// Every one of these reaches the server byte for byte (fetch would normalise them away).
const TRAVERSALS = [
  '../secret.txt',
  '..%2fsecret.txt',
  '%2e%2e/secret.txt',
  '%2E%2E%2Fsecret.txt',
  '.%2e/secret.txt',
  'css/../../secret.txt',
  'css/%2e%2e/%2e%2e/secret.txt',
  '%252e%252e/secret.txt',
  '..%5csecret.txt',
  '..\\secret.txt',
  'css\\..\\..\\secret.txt',
  '/etc/passwd',
  '%2Fetc%2Fpasswd',
  '//etc/passwd',
  'css//site%20main.css',
  './style.css',
  'css/./site%20main.css',
  'link-out.txt',
  'dir-out/passwd',
  '.env',
  '.hidden/data.txt',
  '%2eenv',
  'nested/.%2e/.%2e/secret.txt',
  `${'a/'.repeat(2000)}style.css`,
];

attacks('traversal, encoded separators, NUL, backslashes, absolute paths, symlinks out and dotfiles are 404', (context) =>
  withTimeout(async () => {
    for (const prefix of [`/static/${T}/`, '/plain/']) {
      for (const attack of TRAVERSALS) {
        const res = await rawRequest(context.server.base, prefix + attack);
        assert.is(res.status, 404, `${prefix}${attack.slice(0, 60)}`);
        assert.not.match(res.text, 'outside the root');
        assert.not.match(res.text, 'root:x:0:0');
        assert.not.match(res.text, 'SECRET');
      }
    }
  }),
);

attacks('a raw NUL or backslash byte in the request line never reaches a file', (context) =>
  withTimeout(async () => {
    const port = Number(new URL(context.server.base).port);
    for (const target of [`/static/${T}/style.css\u0000.png`, `/static/${T}/..\\secret.txt`]) {
      const socket = connect(port, '127.0.0.1');
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      let reply = '';
      for await (const chunk of socket) reply += (chunk as Buffer).toString('latin1');
      const status = Number(reply.split(' ')[1]);
      assert.ok(status === 400 || status === 404, `${JSON.stringify(target)} answered ${status}`);
      assert.not.match(reply, 'outside the root');
    }
  }),
);

attacks('a traversal in the token position is a 404 too, not a 503', (context) =>
  withTimeout(async () => {
    for (const path of ['/static/../secret.txt', '/static/%2e%2e/secret.txt', '/static/..%2f..%2fsecret.txt', '/static/.%2e/secret.txt', '/static/./style.css']) {
      assert.is((await rawRequest(context.server.base, path)).status, 404, path);
    }
  }),
);

attacks('malformed percent-encoding and an escaped NUL are a 400', (context) =>
  withTimeout(async () => {
    // An escaped NUL is refused by @tet/core before any view (issue 12), like bad escapes.
    for (const path of [`/static/${T}/%zz.css`, `/static/${T}/%E0%A4%A`, `/static/${T}/%C3%28`, '/plain/%', `/static/${T}/style.css%00.png`, `/static/${T}/%00`, '/plain/%00']) {
      assert.is((await rawRequest(context.server.base, path)).status, 400, path);
    }
  }),
);

attacks('the server keeps serving after every one of them', (context) =>
  withTimeout(async () => {
    const bursts = Array.from({ length: 5 }, () => Promise.all(TRAVERSALS.map((attack) => rawRequest(context.server.base, `/static/${T}/${attack}`))));
    for (const burst of bursts) for (const res of await burst) assert.is(res.status, 404);
    const ok = await rawRequest(context.server.base, `/static/${T}/style.css`);
    assert.is(ok.status, 200);
    assert.is(ok.text, 'h1 { color: red; }\n');
  }),
);

function download(base: string, path: string, onFirstChunk: () => void): Promise<{ bytes: number; complete: boolean; error: string | undefined }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let bytes = 0;
    let first = true;
    const req = httpRequest({ host: url.hostname, port: url.port, path, agent: new Agent({ keepAlive: true }) }, (res) => {
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (first) {
          first = false;
          res.pause();
          onFirstChunk();
          setTimeout(() => res.resume(), 100);
        }
      });
      res.on('end', () => resolve({ bytes, complete: res.complete, error: undefined }));
      res.on('error', (error) => resolve({ bytes, complete: false, error: error.message }));
    });
    req.on('error', (error) => resolve({ bytes, complete: false, error: error.message }));
    req.end();
  });
}

attacks('a file truncated while it is being sent ends that response, and only that one', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'huge.bin');
    writeFileSync(path, Buffer.alloc(48 * 1024 * 1024, 7));
    const server = await serve(context.fixture.dir, (config) => {
      config.setCachebreaker(T);
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    });
    try {
      const truncated = await download(server.base, `/static/${T}/huge.bin`, () => truncateSync(path, 1024));
      assert.ok(truncated.bytes < 48 * 1024 * 1024, `received ${truncated.bytes}`);
      assert.is(truncated.complete, false, 'the client can tell the response was cut short');
      writeFileSync(path, Buffer.alloc(48 * 1024 * 1024, 7));
      const next = await download(server.base, `/static/${T}/style.css`, () => {});
      assert.is(next.complete, true);
      assert.is((await rawRequest(server.base, `/static/${T}/style.css`)).status, 200, 'the server is still up');
    } finally {
      await server.close();
    }
    // Bounded below the 5 s keep-alive timeout: a short body must cut the connection, not leave it waiting.
  }, 4_000),
);

attacks('a file deleted after start-up is a 404, and one deleted mid-response still completes cleanly', (context) =>
  withTimeout(async () => {
    const path = join(context.fixture.staticDir, 'going.bin');
    writeFileSync(path, Buffer.alloc(24 * 1024 * 1024, 1));
    const server = await serve(context.fixture.dir, (config) => {
      config.setCachebreaker(T);
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    });
    try {
      const result = await download(server.base, `/static/${T}/going.bin`, () => unlinkSync(path));
      assert.is(result.bytes, 24 * 1024 * 1024, 'an open file outlives its name');
      assert.is(result.complete, true);
      const after = await rawRequest(server.base, `/static/${T}/going.bin`);
      assert.is(after.status, 404);
      assert.is(after.headers['cache-control'], 'no-store');
    } finally {
      await server.close();
    }
  }),
);

const descriptors = suite<{ fixture: FixtureApp }>('static files: out of file descriptors');
descriptors.before((context) => {
  context.fixture = makeFixtureApp();
});
descriptors.after((context) => context.fixture.remove());

async function startLimited(dir: string, mode: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./fixtures/fd-limit-server.js', import.meta.url));
  const child = spawn('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${script}" "${dir}" ${mode}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    base: `http://127.0.0.1:${chunk.toString().trim()}`,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

function onOneConnection(base: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  return (path: string) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
}

for (const mode of ['production', 'reload']) {
  descriptors(`EMFILE answers 503 and the server recovers (${mode})`, (context) =>
    withTimeout(async () => {
      const server = await startLimited(context.fixture.dir, mode);
      try {
        const get = onOneConnection(server.base); // one kept-alive socket, opened while descriptors are free
        assert.is((await get(`/static/${T}/big.bin`)).status, 200);
        const exhausted = await get('/__exhaust');
        assert.match(exhausted.body, 'EMFILE');
        const file = mode === 'reload' ? 'style.css' : 'big.bin';
        const refused = await get(`/static/${T}/${file}`);
        assert.is(refused.status, 503);
        assert.is(refused.headers['retry-after'], '3');
        assert.is(refused.headers['cache-control'], 'no-store');
        // Production reads a small file on its first request (before routing, or in the view).
        const unread = mode === 'production' ? await get(`/static/${T}/app.js`) : undefined;
        if (unread !== undefined) assert.is(unread.status, 503, 'a first read without descriptors');
        assert.is((await get('/__release')).body, 'released');
        assert.is((await get(`/static/${T}/${file}`)).status, 200);
        if (unread !== undefined) assert.is((await get(`/static/${T}/app.js`)).status, 200, 'read once descriptors are back');
      } finally {
        await server.stop();
      }
    }, 20_000),
  );
}

attacks.run();
descriptors.run();
