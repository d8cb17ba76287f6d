import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { App } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { MANIFEST_NAME, nextManifest, writeManifest } from '../src/index.js';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

type Server = TestServer & { app: App };

function tokenApp(dir: string): Promise<Server> {
  return serve(dir, (config) => {
    config.setCachebreaker({ from: 'content' });
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
  });
}
const tokenOf = (server: Server) => server.app.registry.staticViews!.all()[0]!.pathPrefix.split('/')[2]!;

const deterministic = suite<{ one: FixtureApp; two: FixtureApp }>("setCachebreaker({ from: 'content' })");
deterministic.before((context) => {
  context.one = makeFixtureApp();
  context.two = makeFixtureApp();
});
deterministic.after((context) => {
  context.one.remove();
  context.two.remove();
});

deterministic('every process agrees on the token, a restart keeps it, a changed file changes it', (context) =>
  withTimeout(async () => {
    // Same files (the large one made equal too), other modification times: same token.
    writeFileSync(join(context.two.staticDir, 'big.bin'), context.one.big);
    utimesSync(join(context.two.staticDir, 'style.css'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    const a = await tokenApp(context.one.dir);
    const b = await tokenApp(context.two.dir);
    const restarted = await tokenApp(context.one.dir);
    try {
      assert.match(tokenOf(a), /^[0-9a-f]{12}$/);
      assert.is(tokenOf(b), tokenOf(a));
      assert.is(tokenOf(restarted), tokenOf(a), 'a code-only deploy keeps every asset URL');
      assert.is((await rawRequest(a.base, `/static/${tokenOf(a)}/style.css`)).status, 200);
    } finally {
      await Promise.all([a.close(), b.close(), restarted.close()]);
    }
    writeFileSync(join(context.two.staticDir, 'app.js'), 'changed();\n');
    const changed = await tokenApp(context.two.dir);
    try {
      assert.is.not(tokenOf(changed), tokenOf(a));
      const res = await rawRequest(changed.base, `/static/${tokenOf(a)}/style.css`);
      assert.is(res.status, 503, 'another tree token is unknown here, not older');
    } finally {
      await changed.close();
    }
  }),
);

deterministic('earlier tree tokens from the ledger redirect; digit-only hashes are not compared as numbers', (context) =>
  withTimeout(async () => {
    await writeManifest(join(context.one.staticDir, MANIFEST_NAME), nextManifest(nextManifest(undefined, '0a0b0c0d0e0f', {}), 'placeholder', {}));
    const server = await tokenApp(context.one.dir);
    try {
      const current = tokenOf(server);
      const old = await rawRequest(server.base, '/static/0a0b0c0d0e0f/style.css');
      assert.is(old.status, 301);
      assert.is(old.headers.location, `/static/${current}/style.css`);
      assert.is((await rawRequest(server.base, '/static/000000000001/style.css')).status, 503);
      assert.is((await rawRequest(server.base, '/static/999999999999/style.css')).status, 503);
    } finally {
      await server.close();
    }
  }),
);

deterministic.run();
