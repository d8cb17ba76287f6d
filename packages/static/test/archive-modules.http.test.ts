// Issue 14: content-hashed JavaScript modules and stylesheets are archived as they were served
// (rewritten to their dependencies' hashes), so an earlier release's module graph stays whole.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Configurator, Response } from '@tet/core';
import { rawRequest, startTestServer, withTimeout } from '@tet/core/testing';
import { runAssetsCommand } from '../src/cli.js';
import { tetStatic } from '../src/index.js';
import { APP, type FixtureApp, makeFixtureApp } from './helpers.js';

const io = { out: () => {}, error: () => {} };

async function start(dir: string) {
  const config = new Configurator({ package: dir });
  config.include(tetStatic);
  config.addStaticView({ name: 'assets', path: `${APP}:static/modules`, cacheBust: 'content' });
  config.addRoute('url', '/url');
  config.addView((request) => new Response(request.staticPath(`${APP}:static/modules/${request.query.get('path')}`)), { routeName: 'url' });
  return startTestServer(await config.makeApp());
}

interface Context {
  fixture: FixtureApp;
}

const modules = suite<Context>('release archive: module graphs of earlier releases');
modules.before((context) => {
  context.fixture = makeFixtureApp();
});
modules.after((context) => context.fixture.remove());

modules("an earlier release's entry module, fetched from a newer instance, imports that release's dependency", (context) =>
  withTimeout(async () => {
    const folder = join(context.fixture.staticDir, 'modules');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'main.js'), "import { value } from './dep.js';\nconsole.log(value);\n");
    writeFileSync(join(folder, 'dep.js'), "export const value = 'A';\n");
    assert.is(await runAssetsCommand(['build', `${APP}:static/modules`], io, context.fixture.dir), 0);
    const a = await start(context.fixture.dir);
    const mainA = await (await fetch(`${a.base}/url?path=main.js`)).text();
    const textA = (await rawRequest(a.base, mainA)).text;
    await a.close();
    writeFileSync(join(folder, 'dep.js'), "export const value = 'B';\n");
    assert.is(await runAssetsCommand(['build', `${APP}:static/modules`], io, context.fixture.dir), 0);
    const b = await start(context.fixture.dir);
    try {
      assert.is.not(await (await fetch(`${b.base}/url?path=main.js`)).text(), mainA, "a changed dependency changes its importer's hash");
      const main = await rawRequest(b.base, mainA);
      assert.is(main.status, 200);
      assert.is(main.text, textA, "A's rewritten module, byte for byte");
      const depUrl = new URL(/from "([^"]+)"/.exec(main.text)![1]!, `${b.base}${mainA}`);
      const dep = await rawRequest(b.base, depUrl.pathname);
      assert.is(dep.status, 200);
      assert.is(dep.text, "export const value = 'A';\n");
      assert.is(dep.headers['cache-control'], 'public, max-age=31536000, immutable');
    } finally {
      await b.close();
    }
  }),
);

modules.run();
