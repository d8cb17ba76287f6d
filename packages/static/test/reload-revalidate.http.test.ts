// Issue 14: in reload mode a token URL stays while its file is edited, so responses must be
// revalidated (no-cache), never kept as immutable.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Response } from '@tet/core';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { APP, type FixtureApp, makeFixtureApp, serve } from './helpers.js';

interface Context {
  fixture: FixtureApp;
  server: TestServer & { app: App };
}

const revalidate = suite<Context>('tet.static.reload: revalidated responses');
revalidate.before(async (context) => {
  context.fixture = makeFixtureApp();
  context.server = await serve(
    context.fixture.dir,
    (config) => {
      config.setCachebreaker('dev');
      config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
      config.addStaticView({ name: 'assets', path: `${APP}:static`, cacheBust: 'content' });
      config.addRoute('integrity', '/integrity');
      config.addView((request) => new Response(request.staticIntegrity(`${APP}:static/style.css`)), { routeName: 'integrity' });
    },
    { 'tet.static.reload': 'true' },
  );
});
revalidate.after(async (context) => {
  await context.server.close();
  context.fixture.remove();
});

revalidate('no-cache instead of immutable; 304 while unchanged; the edited bytes, new ETag and integrity after an edit', (context) =>
  withTimeout(async () => {
    const first = await rawRequest(context.server.base, '/static/dev/style.css');
    assert.is(first.status, 200);
    assert.is(first.headers['cache-control'], 'no-cache');
    const unchanged = await rawRequest(context.server.base, '/static/dev/style.css', { headers: { 'if-none-match': first.headers.etag! } });
    assert.is(unchanged.status, 304);
    assert.is(unchanged.headers['cache-control'], 'no-cache');
    const before = await (await fetch(`${context.server.base}/integrity`)).text();
    writeFileSync(join(context.fixture.staticDir, 'style.css'), 'h1 { color: teal; }\n');
    const edited = await rawRequest(context.server.base, '/static/dev/style.css', { headers: { 'if-none-match': first.headers.etag! } });
    assert.is(edited.status, 200);
    assert.is(edited.text, 'h1 { color: teal; }\n');
    assert.is.not(edited.headers.etag, first.headers.etag);
    assert.is.not(await (await fetch(`${context.server.base}/integrity`)).text(), before);
  }),
);

revalidate.run();
