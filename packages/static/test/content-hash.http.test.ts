import { readFileSync, utimesSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Response } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { integrityOf, MANIFEST_NAME, nextManifest, shortHash, writeManifest } from '../src/index.js';
import { sha384 } from '../src/content-hash.js';
import { addStylesheets, APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

type Server = TestServer & { app: App };
interface Context {
  fixture: FixtureApp;
  server: Server;
}

const hashOf = (bytes: Buffer | string) => shortHash(sha384(bytes));
const SPECS = ['theme/img/logo.png', 'theme/site.css', 'theme/base.css', 'style.css', 'compressed.css'];

function contentApp(dir: string, settings = {}): Promise<Server> {
  return serve(
    dir,
    (config) => {
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      config.addRoute('urls', '/urls');
      config.addView((request) => Response.json(Object.fromEntries(SPECS.map((path) => [path, request.staticPath(`${APP}:static/${path}`)]))), { routeName: 'urls' });
      config.addRoute('integrity', '/integrity');
      config.addView((request) => new Response(request.staticIntegrity(`${APP}:static/${request.query.get('path')}`)), { routeName: 'integrity' });
    },
    settings,
  );
}

async function urls(server: Server): Promise<Record<string, string>> {
  return (await (await fetch(`${server.base}/urls`)).json()) as Record<string, string>;
}

const content = suite<Context>('content-hashed static views');
content.before(async (context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
  context.server = await contentApp(context.fixture.dir);
});
content.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

content("puts a short hash of each file's bytes in its URL and serves it for a year", (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    const logo = readFileSync(join(context.fixture.staticDir, 'theme/img/logo.png'));
    assert.is(generated['theme/img/logo.png'], `/assets/${hashOf(logo)}/theme/img/logo.png`);
    assert.is(generated['style.css'], `/assets/${hashOf('h1 { color: red; }\n')}/style.css`);
    const res = await fetch(`${context.server.base}${generated['theme/img/logo.png']}`);
    assert.is(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(logo));
    assert.is(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }),
);

content('rewrites stylesheet references to hashed URLs that are served', (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    const cssUrl = `${context.server.base}${generated['theme/site.css']}`;
    const css = await (await fetch(cssUrl)).text();
    assert.match(css, `@import "../../${generated['theme/base.css']!.split('/')[2]}/theme/base.css";`);
    assert.match(css, `url("../../${generated['theme/img/logo.png']!.split('/')[2]}/theme/img/logo.png")`);
    assert.match(css, 'url(https://example.com/x.png)', 'external URLs are left alone');
    assert.match(css, '/theme/fonts/x.woff2?#iefix")', 'a suffix is kept');
    const references = [...css.matchAll(/(?:url\(|@import )"([^"]+)"/g)].map((m) => new URL(m[1]!, cssUrl).href);
    assert.is(references.length, 3);
    for (const url of references) assert.is((await fetch(url)).status, 200, url);
    assert.is(generated['theme/site.css'], `/assets/${hashOf(css)}/theme/site.css`, 'the hash is of the rewritten bytes');
  }),
);

content('serves a rewritten stylesheet compressed from memory, and its integrity matches', (context) =>
  withTimeout(async () => {
    const generated = await urls(context.server);
    const plain = await rawRequest(context.server.base, generated['theme/site.css']!);
    const br = await rawRequest(context.server.base, generated['theme/site.css']!, { headers: { 'accept-encoding': 'br' } });
    assert.is(br.headers['content-encoding'], 'br');
    assert.ok(brotliDecompressSync(br.body).equals(plain.body));
    const integrity = await (await fetch(`${context.server.base}/integrity?path=theme/site.css`)).text();
    assert.is(integrity, integrityOf(sha384(plain.body)));
    const precompressed = await rawRequest(context.server.base, generated['compressed.css']!, { headers: { 'accept-encoding': 'gzip' } });
    assert.is(precompressed.headers['content-encoding'], 'gzip', 'an unrewritten stylesheet keeps its siblings from disk');
  }),
);

content('an unknown hash is a 503 to retry; a missing file with a hash too (a newer instance may have it)', (context) =>
  withTimeout(async () => {
    for (const path of ['/assets/0123456789ab/style.css', '/assets/0123456789ab/brand-new.js']) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 503, path);
      assert.is(res.headers['retry-after'], '3');
      assert.is(res.headers['cache-control'], 'no-store');
    }
    for (const path of ['/assets/style.css', '/assets/NOTAHASH0000/style.css', '/assets/0123456789ab/../secret.txt', '/assets/0123456789ab/.env']) {
      const res = await rawRequest(context.server.base, path);
      assert.is(res.status, 404, path);
    }
  }),
);

content('unchanged files keep their URL across deploys; a changed image busts the stylesheet using it', (context) =>
  withTimeout(async () => {
    const before = await urls(context.server);
    const next = makeFixtureApp();
    addStylesheets(next.staticDir);
    writeFileSync(join(next.staticDir, 'theme/img/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]));
    const deployed = await contentApp(next.dir);
    try {
      const after = await urls(deployed);
      assert.is(after['style.css'], before['style.css']);
      assert.is(after['theme/base.css'], before['theme/base.css']);
      assert.is.not(after['theme/img/logo.png'], before['theme/img/logo.png']);
      assert.is.not(after['theme/site.css'], before['theme/site.css'], 'the stylesheet refers to the new logo URL');
    } finally {
      await deployed.close();
      next.remove();
    }
  }),
);

const ledger = suite<Context>('the release ledger');
ledger.before(async (context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
  const staticDir = context.fixture.staticDir;
  // An earlier release: other bytes for style.css, and a file since deleted.
  const files = {
    'style.css': { hash: hashOf('h1 { color: green; }\n'), integrity: 'sha384-x', size: 1, encodings: [] },
    'gone.js': { hash: 'aaaaaaaaaaaa', integrity: 'sha384-y', size: 1, encodings: [] },
  };
  const previous = nextManifest(undefined, 'tree-1', files, 10, new Date('2026-01-01T00:00:00Z'));
  await writeManifest(join(staticDir, MANIFEST_NAME), nextManifest(previous, 'tree-2', {}, 10, new Date('2026-01-02T00:00:00Z')));
  context.server = await contentApp(context.fixture.dir);
});
ledger.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

ledger("an earlier release's hash of a file 301s to the current URL", (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, `/assets/${hashOf('h1 { color: green; }\n')}/style.css?x=1`);
    assert.is(res.status, 301);
    assert.is(res.headers.location, `/assets/${hashOf('h1 { color: red; }\n')}/style.css?x=1`);
  }),
);

ledger('a file the ledger knows but this release deleted is a 404', (context) =>
  withTimeout(async () => {
    const res = await rawRequest(context.server.base, '/assets/aaaaaaaaaaaa/gone.js');
    assert.is(res.status, 404);
    assert.is(res.headers['cache-control'], 'no-store');
    assert.is((await rawRequest(context.server.base, '/assets/bbbbbbbbbbbb/style.css')).status, 503, 'another hash of a current file is still unknown');
  }),
);

ledger('the manifest is never served (a dotfile)', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, `/assets/aaaaaaaaaaaa/${MANIFEST_NAME}`)).status, 404);
    assert.not.ok([...context.server.app.registry.staticViews!.all()[0]!.index.entries()].some((entry) => entry.relativePath.includes('tet-assets')));
  }),
);

const trust = suite<{ fixture: FixtureApp }>('manifest digests at start-up');
trust.before((context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
});
trust.after((context) => context.fixture.remove());

trust('are used for files unchanged since the manifest was written, and ignored for changed ones', (context) =>
  withTimeout(async () => {
    const { staticDir } = context.fixture;
    const old = new Date('2025-06-01T00:00:00Z');
    for (const file of ['style.css', 'app.js']) utimesSync(join(staticDir, file), old, old);
    const fake = Buffer.alloc(48, 7); // a digest start-up could only have taken from the manifest
    const entry = (size: number) => ({ hash: shortHash(fake), integrity: integrityOf(fake), size, encodings: [] });
    await writeManifest(join(staticDir, MANIFEST_NAME), nextManifest(undefined, 't', { 'style.css': entry(19), 'app.js': entry(20) }, 10, new Date('2026-01-01T00:00:00Z')));
    writeFileSync(join(staticDir, 'app.js'), 'console.log("new");\n'); // changed after the manifest
    const server = await contentApp(context.fixture.dir);
    try {
      const generated = await urls(server);
      assert.is(generated['style.css'], `/assets/${shortHash(fake)}/style.css`, 'trusted: not hashed again');
      const appJs = server.app.registry.staticViews!.all()[0]!.hashFor!('app.js');
      assert.is(appJs, hashOf('console.log("new");\n'), 'newer than the manifest: hashed');
    } finally {
      await server.close();
    }
  }),
);

const reload = suite<Context>('content-hashed views with tet.static.reload');
reload.before(async (context) => {
  context.fixture = makeFixtureApp();
  addStylesheets(context.fixture.staticDir);
  context.server = await contentApp(context.fixture.dir, { 'tet.static.reload': true });
});
reload.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

reload('a changed image changes its URL and the URL and text of the stylesheet using it', (context) =>
  withTimeout(async () => {
    const before = await urls(context.server);
    const logo = join(context.fixture.staticDir, 'theme/img/logo.png');
    writeFileSync(logo, Buffer.from('a new logo'));
    utimesSync(logo, new Date(), new Date(Date.now() + 10_000));
    const after = await urls(context.server);
    assert.is(after['theme/img/logo.png'], `/assets/${hashOf('a new logo')}/theme/img/logo.png`);
    assert.is.not(after['theme/site.css'], before['theme/site.css']);
    const css = await (await fetch(`${context.server.base}${after['theme/site.css']}`)).text();
    assert.match(css, `${hashOf('a new logo')}/theme/img/logo.png`);
    assert.is((await rawRequest(context.server.base, after['theme/img/logo.png']!)).text, 'a new logo');
    unlinkSync(join(context.fixture.staticDir, 'theme/base.css'));
    assert.is((await rawRequest(context.server.base, after['theme/base.css']!)).status, 503, 'a vanished file is no longer served');
  }),
);

content.run();
ledger.run();
trust.run();
reload.run();
