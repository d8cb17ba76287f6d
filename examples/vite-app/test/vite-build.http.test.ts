// The example's real Vite build served by Tet over real sockets: the tags viteTags() renders
// and their integrity, the cache policy of hashed and unhashed files, conditional and range
// requests, precompressed siblings, and what is never served or never cached.
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { configureTestApp, rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { serveExample, viteBuild } from './helpers.js';

interface Context {
  server: TestServer;
  dir: string;
  page: string;
  /** The manifest's files for the entry main.ts, its shared chunk and the dynamic import. */
  main: { js: string; css: string };
  shared: { js: string; css: string };
  lazy: { js: string; css: string };
}

const http = suite<Context>('vite-app: a Vite build over HTTP');

http.before((context) =>
  withTimeout(
    async () => {
      const built = await viteBuild();
      // A copy of its own: this file adds a precompressed sibling the other tests need not see.
      context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-http-'));
      cpSync(built.dir, context.dir, { recursive: true });
      const m = built.manifest;
      const chunk = (key: string) => ({ js: m[key]!.file, css: m[key]!.css![0]! });
      const sharedKey = m['frontend/main.ts']!.imports![0]!;
      Object.assign(context, { main: chunk('frontend/main.ts'), shared: chunk(sharedKey), lazy: chunk('frontend/lazy.ts') });
      const js = readFileSync(join(context.dir, context.main.js));
      writeFileSync(join(context.dir, `${context.main.js}.gz`), gzipSync(js));
      context.server = await serveExample({ 'vite_app.build': context.dir });
      context.page = (await rawRequest(context.server.base, '/')).text;
    },
    30_000,
    'vite build and start',
  ),
);
http.after(async (context) => {
  await context.server?.close();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

http('the page has the entry CSS, the shared chunk CSS, the module script and a modulepreload for the shared chunk, in that order', ({ page, server, main, shared }) => {
  const tags = [...page.matchAll(/<(?:link|script)\b[^>]*>/g)].map((match) => match[0]).filter((tag) => tag.includes('/vite/'));
  const url = (file: string) => `${server.base}/vite/${file}`;
  assert.equal(
    tags.map((tag) => tag.replace(/ integrity="[^"]+"/, '')),
    [
      `<link rel="stylesheet" href="${url(main.css)}" crossorigin>`,
      `<link rel="stylesheet" href="${url(shared.css)}" crossorigin>`,
      `<script type="module" src="${url(main.js)}" crossorigin>`,
      `<link rel="modulepreload" href="${url(shared.js)}" crossorigin>`,
    ],
  );
});

http("viteUrl() gives an image's built URL, served immutable as SVG", async ({ page, server, dir }) => {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string }>;
  const logo = manifest['frontend/logo.svg']!.file;
  assert.match(logo, /^assets\/logo-[\w-]{8}\.svg$/);
  assert.ok(page.includes(`<img id="logo" src="${server.base}/vite/${logo}"`), page);
  const answer = await rawRequest(server.base, `/vite/${logo}`);
  assert.is(answer.status, 200);
  assert.is(answer.headers['content-type'], 'image/svg+xml; charset=utf-8');
  assert.is(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
});

/** GET over HTTP/1.1, recording the 103 responses before the final one. */
function withHints(base: string, path: string): Promise<{ hints: IncomingHttpHeaders[]; status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const hints: IncomingHttpHeaders[] = [];
    const req = httpRequest(`${base}${path}`, { timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ hints, status: res.statusCode!, headers: res.headers }));
    });
    req.on('information', (info) => {
      if (info.statusCode === 103) hints.push(info.headers);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

http('viteEarlyHints: a 103 and the final Link header name the tags’ files, CSS as style and modules as modulepreload, with the tags’ integrity', async ({ page, server, main, shared }) => {
  const { hints, status, headers } = await withHints(server.base, '/');
  assert.is(status, 200);
  assert.is(hints.length, 1);
  const integrity = (file: string) => new RegExp(`/vite/${file}" integrity="(sha384-[^"]+)"`).exec(page)![1];
  const expected = [
    `</vite/${main.css}>; rel=preload; as=style; crossorigin; integrity="${integrity(main.css)}"`,
    `</vite/${shared.css}>; rel=preload; as=style; crossorigin; integrity="${integrity(shared.css)}"`,
    `</vite/${main.js}>; rel=modulepreload; crossorigin; integrity="${integrity(main.js)}"`,
    `</vite/${shared.js}>; rel=modulepreload; crossorigin; integrity="${integrity(shared.js)}"`,
  ].join(', ');
  assert.is(hints[0]!.link, expected);
  assert.is(headers.link, expected);
});

http('the dynamic import is neither a script nor a preload: Vite loads it when the code asks', ({ page, lazy }) => {
  assert.not.ok(page.includes(lazy.js), page);
  assert.not.ok(page.includes(lazy.css), page);
});

http('every integrity attribute is the sha384 of the bytes served at its URL', async ({ page }) => {
  const tags = [...page.matchAll(/(?:href|src)="([^"]+\/vite\/[^"]+)" integrity="(sha384-[^"]+)"/g)];
  assert.is(tags.length, 4);
  for (const [, url, integrity] of tags) {
    const answer = await rawRequest(new URL(url!).origin, new URL(url!).pathname);
    assert.is(answer.status, 200, url);
    assert.is(integrity, sri(answer.body), url);
  }
});

http('a hashed file is served immutable for a year with its type, a strong ETag and nosniff', async ({ server, main, dir }) => {
  const answer = await rawRequest(server.base, `/vite/${main.css}`);
  assert.is(answer.status, 200);
  assert.is(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(String(answer.headers['content-type']), /^text\/css/);
  assert.match(String(answer.headers.etag), /^"[^W]/);
  assert.is(answer.headers['x-content-type-options'], 'nosniff');
  assert.ok(answer.body.equals(readFileSync(join(dir, main.css))));
});

http('If-None-Match with the ETag is a 304 that keeps the immutable policy', async ({ server, main }) => {
  const first = await rawRequest(server.base, `/vite/${main.js}`);
  const again = await rawRequest(server.base, `/vite/${main.js}`, { headers: { 'if-none-match': String(first.headers.etag) } });
  assert.is(again.status, 304);
  assert.is(again.body.length, 0);
  assert.is(again.headers.etag, first.headers.etag);
  assert.is(again.headers['cache-control'], 'public, max-age=31536000, immutable');
});

http("a precompressed sibling is sent to a client that accepts it; a range gets the file's own bytes", async ({ server, main, dir }) => {
  const bytes = readFileSync(join(dir, main.js));
  const gzip = await rawRequest(server.base, `/vite/${main.js}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.is(gzip.headers['content-encoding'], 'gzip');
  assert.is(gzip.headers.vary, 'Accept-Encoding');
  assert.ok(gzip.body.equals(readFileSync(join(dir, `${main.js}.gz`))));
  const range = await rawRequest(server.base, `/vite/${main.js}`, { headers: { range: 'bytes=0-9', 'accept-encoding': 'gzip' } });
  assert.is(range.status, 206);
  assert.is(range.headers['content-range'], `bytes 0-9/${bytes.length}`);
  assert.ok(range.body.equals(bytes.subarray(0, 10)));
});

http('a hashed name this instance lacks is a 503 to retry, never cached, never a 404', async ({ server }) => {
  for (const path of ['/vite/assets/main-Zz9Yy8Xx.js', '/vite/assets/new-chunk-0123abcd.css']) {
    const answer = await rawRequest(server.base, path);
    assert.is(answer.status, 503, path);
    assert.is(answer.headers['cache-control'], 'no-store', path);
    assert.is(answer.headers['retry-after'], '3', path);
  }
});

http("a file from Vite's public/ folder is served, revalidated on every use; a missing one is an uncached 404", async ({ server }) => {
  const robots = await rawRequest(server.base, '/vite/robots.txt');
  assert.is(robots.status, 200);
  assert.is(robots.text, 'User-agent: *\nAllow: /\n');
  assert.is(robots.headers['cache-control'], 'public, max-age=0, must-revalidate');
  const missing = await rawRequest(server.base, '/vite/humans.txt');
  assert.is(missing.status, 404);
  assert.is(missing.headers['cache-control'], 'no-store');
});

http('the manifest is never served, however it is spelt', async ({ server }) => {
  for (const path of ['/vite/.vite/manifest.json', '/vite/%2evite/manifest.json', '/vite/.vite/', '/vite/assets/../.vite/manifest.json']) {
    const answer = await rawRequest(server.base, path);
    assert.is(answer.status, 404, path);
    assert.is(answer.headers['cache-control'], 'no-store', path);
    assert.not.ok(answer.text.includes('"file"'), path);
  }
});

http('traversal out of the build folder is a 404, never a file and never a 503', async ({ server }) => {
  for (const path of ['/vite/../package.json', '/vite/assets/..%2f..%2fpackage.json', '/vite/assets/%2e%2e/%2e%2e/package.json', '/vite/assets/..\\..\\package.json', '/vite/%00']) {
    const answer = await rawRequest(server.base, path);
    assert.ok(answer.status === 404 || answer.status === 400, `${path}: ${answer.status}`);
    assert.not.ok(answer.text.includes('vite-app'), path);
  }
});

http('HEAD of a hashed file has the headers and no body', async ({ server, shared }) => {
  const answer = await rawRequest(server.base, `/vite/${shared.js}`, { method: 'HEAD' });
  assert.is(answer.status, 200);
  assert.is(answer.body.length, 0);
  assert.is(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(Number(answer.headers['content-length']) > 0);
});

http.run();

const hint = suite('vite-app: addViteBuild without its include');

hint("names the include and its package, from the app's dependencies", () => {
  try {
    configureTestApp((config) => config.addViteBuild({ name: 'vite', path: 'vite-app:build' }), { package: import.meta.url });
  } catch (error) {
    assert.is((error as { code?: string }).code, 'TET_ERR_DIRECTIVE_UNKNOWN');
    assert.match((error as Error).message, "Did you forget config.include(tetVite) from '@tet/vite'?");
    return;
  }
  assert.unreachable('expected TET_ERR_DIRECTIVE_UNKNOWN');
});

hint.run();
