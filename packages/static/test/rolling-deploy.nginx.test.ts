// A rolling deploy through a real caching proxy: nginx from Debian in front of two Tet
// instances on loopback, one on release A and one on release B.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Configurator, Response } from '@tet/core';
import { freePort, rawRequest, withTimeout } from '@tet/core/testing';
import { runAssetsCommand } from '../src/cli.js';
import { type AssetManifest, MANIFEST_NAME, tetStatic } from '../src/index.js';
import { addStylesheets, APP, makeFixtureApp } from './helpers.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? (spawnSync('sh', ['-c', 'command -v nginx']).stdout?.toString().trim() || undefined);

interface Instance {
  server: Server;
  base: string;
  port: number;
  hits: number;
  manifest: AssetManifest;
  close(): Promise<void>;
}

async function startInstance(dir: string): Promise<Instance> {
  const config = new Configurator({ package: dir });
  config.include(tetStatic);
  config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
  config.addRoute('home', '/');
  config.addView(
    (request) => {
      const url = (file: string) => {
        try {
          return request.staticPath(`${APP}:static/${file}`);
        } catch {
          return ''; // release A has no new.js
        }
      };
      return new Response(`<link href="${url('style.css')}"><script src="${url('new.js')}"></script>`);
    },
    { routeName: 'home' },
  );
  const app = await config.makeApp();
  const instance = { hits: 0 } as Instance;
  const server = createServer((req, res) => {
    instance.hits++;
    app.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(instance, {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    manifest: JSON.parse(readFileSync(join(dir, 'static', MANIFEST_NAME), 'utf8')) as AssetManifest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The nginx configuration used here (docs/static.md "Behind nginx" shows the one examples/myapp/test/rolling-deploy.browser.test.ts uses). */
export function nginxConfig(work: string, port: number, upstreams: string[]): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  proxy_cache_path ${work}/cache levels=1:2 keys_zone=assets:10m max_size=256m inactive=7d use_temp_path=off;
  upstream tet {
    ${upstreams.join('\n    ')}
  }
  server {
    listen 127.0.0.1:${port};
    add_header X-Upstream $upstream_addr always;
    # Pages: proxied, never cached.
    location / {
      proxy_pass http://tet;
      proxy_set_header Host $host;
    }
    # Assets: cached; an instance that does not have one yet answers 503, so try the next.
    location /assets/ {
      proxy_pass http://tet;
      proxy_set_header Host $host;
      proxy_cache assets;
      proxy_next_upstream error timeout http_503;
      proxy_next_upstream_tries 3;
      # nginx decides whether to cache from the first upstream's headers, so a retried
      # request would inherit the 503's 'no-store' and its 200 would never be cached.
      # Cache by status instead: 200 for a year, the 301 of a known-old URL for 5 minutes;
      # 503 and 404 are not cached at all.
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_valid 200 206 365d;
      proxy_cache_valid 301 5m;
      add_header X-Cache-Status $upstream_cache_status always;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

interface Context {
  work: string;
  a: Instance;
  b: Instance;
  nginx: ChildProcess;
  proxy: string;
  cleanup: Array<() => void>;
}

const rolling = suite<Context>('a rolling deploy through nginx');
const test = NGINX === undefined ? rolling.skip : rolling;
if (NGINX === undefined) console.log('SKIPPED: the rolling-deploy test needs nginx (Debian package nginx; .ci/run installs it), and none was found.');

rolling.before(async (context) => {
  if (NGINX === undefined) return;
  context.cleanup = [];
  context.work = mkdtempSync(join(tmpdir(), 'tet-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'cache']) mkdirSync(join(context.work, dir));
  // Release A, then release B built from it: style.css changed, new.js added, the ledger kept.
  const releaseA = makeFixtureApp();
  addStylesheets(releaseA.staticDir);
  context.cleanup.push(releaseA.remove);
  const io = { out: () => {}, error: () => {} };
  assert.is(await runAssetsCommand(['manifest', `${APP}:static`], io, releaseA.dir), 0);
  const releaseB = makeFixtureApp();
  context.cleanup.push(releaseB.remove);
  rmSync(releaseB.staticDir, { recursive: true });
  cpSync(releaseA.staticDir, releaseB.staticDir, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(releaseB.staticDir, 'style.css'), 'h1 { color: blue; }\n');
  writeFileSync(join(releaseB.staticDir, 'new.js'), 'console.log("only in B");\n');
  assert.is(await runAssetsCommand(['manifest', `${APP}:static`], io, releaseB.dir), 0);
  context.a = await startInstance(releaseA.dir);
  context.b = await startInstance(releaseB.dir);
  const port = await freePort();
  context.proxy = `http://127.0.0.1:${port}`;
  // A is weighted so nginx tries it first: requests for B's assets land on A and must be retried.
  writeFileSync(
    join(context.work, 'nginx.conf'),
    nginxConfig(context.work, port, [`server 127.0.0.1:${context.a.port} weight=100 max_fails=0;`, `server 127.0.0.1:${context.b.port} weight=1 max_fails=0;`]),
  );
  context.nginx = spawn(NGINX, ['-p', context.work, '-c', join(context.work, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await rawRequest(context.proxy, '/', { timeout: 500 });
      break;
    } catch (error) {
      if (Date.now() > deadline || context.nginx.exitCode !== null) throw new Error(`nginx did not start: ${readFileSync(join(context.work, 'error.log'), 'utf8')}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});

rolling.after(async (context) => {
  if (NGINX === undefined) return;
  context.nginx?.kill('SIGTERM');
  await context.a?.close().catch(() => {});
  await context.b?.close().catch(() => {});
  for (const clean of context.cleanup ?? []) clean();
  rmSync(context.work, { recursive: true, force: true });
});

function cacheHolds(work: string, path: string): boolean {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(join(work, 'cache')).some((file) => readFileSync(file).includes(`KEY: ${'http'}`) && readFileSync(file).toString('latin1').includes(path));
}

test("pages from B get B's assets even when the request lands on A (503, retried on B)", (context) =>
  withTimeout(async () => {
    const page = (await rawRequest(context.b.base, '/')).text;
    const [styleUrl, scriptUrl] = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    assert.is.not(styleUrl, context.a.manifest.files['style.css'] === undefined ? '' : `/assets/${context.a.manifest.files['style.css'].hash}/style.css`);
    for (const [url, body] of [
      [styleUrl!, 'h1 { color: blue; }\n'],
      [scriptUrl!, 'console.log("only in B");\n'],
    ] as const) {
      const aBefore = context.a.hits;
      const res = await rawRequest(context.proxy, url);
      assert.is(res.status, 200, url);
      assert.is(res.text, body);
      assert.is(context.a.hits, aBefore + 1, 'the request reached A first');
      assert.is(String(res.headers['x-upstream']), `127.0.0.1:${context.a.port}, 127.0.0.1:${context.b.port}`, 'nginx tried A, then B');
    }
  }));

test('cached immutable assets come from nginx without reaching the app', (context) =>
  withTimeout(async () => {
    const page = (await rawRequest(context.b.base, '/')).text;
    const styleUrl = /href="([^"]+)"/.exec(page)![1]!;
    await rawRequest(context.proxy, styleUrl); // cached by now, or now
    const hits = context.a.hits + context.b.hits;
    for (let i = 0; i < 5; i++) {
      const res = await rawRequest(context.proxy, styleUrl);
      assert.is(res.status, 200);
      assert.is(res.headers['x-cache-status'], 'HIT');
      assert.is(res.text, 'h1 { color: blue; }\n');
    }
    assert.is(context.a.hits + context.b.hits, hits, 'no request reached either instance');
  }));

test('a 503 for an unknown hash is never stored in the cache', (context) =>
  withTimeout(async () => {
    const url = '/assets/0123456789ab/style.css';
    for (let i = 0; i < 3; i++) {
      const hits = context.a.hits + context.b.hits;
      const res = await rawRequest(context.proxy, url);
      assert.is(res.status, 503);
      assert.is.not(res.headers['x-cache-status'], 'HIT');
      assert.is(res.headers.location, undefined, 'never a redirect for an unknown hash');
      assert.ok(context.a.hits + context.b.hits > hits, 'each try reached the instances again');
    }
    assert.not.ok(cacheHolds(context.work, url), 'nothing stored for it');
  }));

test('after A is gone, every old URL resolves to current content', (context) =>
  withTimeout(async () => {
    await context.a.close();
    const current = context.b.manifest.files;
    for (const [path, file] of Object.entries(context.a.manifest.files)) {
      if (/\.(br|gz)$/.test(path) || current[path] === undefined) continue;
      const oldUrl = `/assets/${file.hash}/${path.split('/').map(encodeURIComponent).join('/')}`;
      let res = await rawRequest(context.proxy, oldUrl);
      if (file.hash !== current[path]!.hash) {
        assert.is(res.status, 301, `${path} changed: redirected`);
        assert.is(res.headers.location, `/assets/${current[path]!.hash}/${path.split('/').map(encodeURIComponent).join('/')}`);
        res = await rawRequest(context.proxy, String(res.headers.location));
      }
      assert.is(res.status, 200, path);
      assert.match(res.headers.etag ?? '', /^"/);
      assert.is(`sha384-${createHash('sha384').update(res.body).digest('base64')}`, current[path]!.integrity, `${path}: the current bytes`);
    }
  }, 20_000));

rolling.run();
