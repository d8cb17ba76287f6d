import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '@tet/core/testing';
import { runAssetsCommand } from '../src/cli.js';
import { type AssetManifest, MANIFEST_NAME } from '../src/index.js';
import { addStylesheets, APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) } };
}

const manifest = suite<{ fixture: FixtureApp }>('tet assets manifest');
manifest.before((context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
});
manifest.after((context) => context.fixture.remove());

manifest('writes the manifest, and a later release keeps the earlier one in the ledger', (context) =>
  withTimeout(async () => {
    const { io, lines } = capture();
    assert.is(await runAssetsCommand(['manifest', `${APP}:static`], io, context.fixture.dir), 0);
    const path = join(context.fixture.staticDir, MANIFEST_NAME);
    const first = JSON.parse(readFileSync(path, 'utf8')) as AssetManifest;
    assert.is(first.format, 'tet-assets');
    assert.match(first.files['theme/site.css']!.integrity, /^sha384-/);
    assert.ok(first.files['theme/site.css']!.source !== undefined, 'a rewritten stylesheet records its source too');
    assert.equal(first.files['compressed.css']!.encodings, ['br', 'gzip']);
    assert.match(lines[0]!, /files, tree [0-9a-f]{12}, a new ledger/);
    writeFileSync(join(context.fixture.staticDir, 'style.css'), 'h1 { color: blue; }\n');
    assert.is(await runAssetsCommand(['manifest', 'static', '--keep', '3'], io, context.fixture.dir), 0);
    const second = JSON.parse(readFileSync(path, 'utf8')) as AssetManifest;
    assert.is(second.history.length, 1);
    assert.is(second.history[0]!.files['style.css'], first.files['style.css']!.hash);
    assert.is.not(second.files['style.css']!.hash, first.files['style.css']!.hash);
  }),
);

manifest('bad arguments exit 2 and say why', (context) =>
  withTimeout(async () => {
    const { io, lines } = capture();
    assert.is(await runAssetsCommand(['manifest'], io, context.fixture.dir), 2);
    assert.match(lines.join('\n'), 'give exactly one folder');
    assert.is(await runAssetsCommand(['frobnicate'], io, context.fixture.dir), 2);
    assert.match(lines.join('\n'), "Unknown command 'tet assets frobnicate'");
  }),
);

const verify = suite<{ fixture: FixtureApp }>('tet assets verify');
verify.before((context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
});
verify.after((context) => context.fixture.remove());

verify('passes against the application itself', (context) =>
  withTimeout(async () => {
    const server = await serve(context.fixture.dir, (config) => config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' }));
    try {
      const { io, lines } = capture();
      const code = await runAssetsCommand(['verify', `${server.base}/assets`, '--folder', `${APP}:static`], io, context.fixture.dir);
      assert.is(code, 0, lines.join('\n'));
      assert.match(lines.at(-1)!, /^verified \d+ assets at .*: 0 problem\(s\)$/);
    } finally {
      await server.close();
    }
  }),
);

verify('reports a CDN that drops caching, encodings or content, and exits 1', (context) =>
  withTimeout(async () => {
    const origin = await serve(context.fixture.dir, (config) => config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' }));
    const originUrl = new URL(origin.base);
    // A misconfigured "CDN": shortens Cache-Control, never compresses, and serves stale bytes for one file.
    const cdn = createServer((req, res) => {
      const upstream = httpRequest({ host: originUrl.hostname, port: originUrl.port, path: req.url, headers: { 'accept-encoding': 'identity' } }, (answer) => {
        const headers = { ...answer.headers, 'cache-control': 'public, max-age=600' };
        delete headers['content-encoding'];
        delete headers['content-length'];
        res.writeHead(answer.statusCode!, headers);
        if (req.url!.endsWith('/style.css')) {
          answer.resume();
          res.end('h1 { color: stale; }\n');
        } else answer.pipe(res);
      });
      upstream.end();
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    try {
      const { io, lines } = capture();
      const code = await runAssetsCommand(['verify', `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/assets`, '--folder', `${APP}:static`], io, context.fixture.dir);
      assert.is(code, 1);
      const text = lines.join('\n');
      assert.match(text, 'MISMATCH style.css: the content differs from the file (stale or altered)');
      assert.match(text, 'MISMATCH app.js: Cache-Control "public, max-age=600", expected public, max-age>=31536000, immutable');
      assert.match(text, "MISMATCH compressed.css: Content-Encoding null for 'br, gzip', expected one of br, gzip");
    } finally {
      cdn.close();
      await origin.close();
    }
  }),
);

manifest.run();
verify.run();
