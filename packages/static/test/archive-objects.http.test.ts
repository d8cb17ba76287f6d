// The release archive's object files are read through the same boundary as a view's own files
// (file-reader.ts): what happens when an object file changes under a running instance.
import { createHash } from 'node:crypto';
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Configurator } from '@tet/core';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '@tet/core/testing';
import { runAssetsCommand } from '../src/cli.js';
import { tetStatic } from '../src/index.js';
import { APP, type FixtureApp, makeFixtureApp } from './helpers.js';

const io = { out: () => {}, error: () => {} };
const CSS_A = 'h1 { color: red; }\n';
const CSS_B = 'h1 { color: blue; }\n';

interface Context {
  fixture: FixtureApp;
  server: TestServer;
}

const objectPath = (fixture: FixtureApp, bytes: Buffer | string) => {
  const hex = createHash('sha384').update(bytes).digest('hex');
  return join(fixture.staticDir, '.tet-archive', 'objects', hex.slice(0, 2), hex);
};

const objects = suite<Context>('ReleaseArchive: object files under a running instance');
objects.before(async (context) => {
  context.fixture = makeFixtureApp();
  const dir = context.fixture.dir;
  writeFileSync(join(context.fixture.staticDir, 'style.css'), CSS_A);
  assert.is(await runAssetsCommand(['build', `${APP}:static`, '--token', 'relA'], io, dir), 0);
  writeFileSync(join(context.fixture.staticDir, 'style.css'), CSS_B);
  writeFileSync(join(context.fixture.staticDir, 'big.bin'), Buffer.from('changed in B'));
  assert.is(await runAssetsCommand(['build', `${APP}:static`, '--token', 'relB'], io, dir), 0);
  const config = new Configurator({ package: dir });
  config.include(tetStatic);
  config.setCachebreaker('relB');
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  context.server = await startTestServer(config.makeApp());
});
objects.after(async (context) => {
  await context.server?.close();
  context.fixture.remove();
});

objects('a streamed object copied anew (another inode, the same bytes) is served again, whole', (context) =>
  withTimeout(async () => {
    const first = await rawRequest(context.server.base, '/static/relA/big.bin', { timeout: 8000 });
    assert.is(first.status, 200);
    assert.ok(first.body.equals(context.fixture.big));
    const object = objectPath(context.fixture, context.fixture.big);
    copyFileSync(object, `${object}.copy`);
    renameSync(`${object}.copy`, object);
    const again = await rawRequest(context.server.base, '/static/relA/big.bin', { timeout: 8000 });
    assert.is(again.status, 200);
    assert.is(again.headers.etag, first.headers.etag);
    assert.ok(again.body.equals(context.fixture.big));
  }),
);

objects('a streamed object pruned under a running instance is an uncached 404, not its bytes or a 500', (context) =>
  withTimeout(async () => {
    assert.is((await rawRequest(context.server.base, '/static/relA/big.bin', { timeout: 8000 })).status, 200);
    rmSync(objectPath(context.fixture, context.fixture.big));
    const gone = await rawRequest(context.server.base, '/static/relA/big.bin');
    assert.is(gone.status, 404);
    assert.is(gone.headers['cache-control'], 'no-store');
  }),
);

objects('an object whose bytes do not hash to its name is never served under its ETag', (context) =>
  withTimeout(async () => {
    // Corrupted (the same size, other bytes) before its first request, so this instance has not read it yet.
    const corrupt = CSS_A.replace('red', 'rex');
    writeFileSync(objectPath(context.fixture, CSS_A), corrupt);
    const res = await rawRequest(context.server.base, '/static/relA/style.css');
    // As for an archived file that cannot be read: today's changed file, by a short-lived redirect.
    assert.is(res.status, 301);
    assert.is(res.headers.location, '/static/relB/style.css');
    assert.is.not(res.text, corrupt);
  }),
);

objects.run();
