// Issue 4's end-to-end page: `$request.staticUrl(...)` from @tet/static, over real HTTP,
// printing URLs that carry the current cache-breaker token and that serve the files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTimeout, type TestApp } from '@tet/core/testing';
import { tetStatic } from '@tet/static';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { APP, fixtureApp, startApp } from './helpers.js';

const page = suite<{ app: TestApp }>('a page with $request.staticUrl()');

page.before(async (context) => {
  context.app = await startApp((config) => {
    config.include(tetStatic);
    config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` });
    config.addRoute('home', '/');
    config.addView(() => ({ title: 'Home' }), { routeName: 'home', renderer: `${APP}:templates/static-page.eta` });
  });
});
page.after(async ({ app }) => app.close());

page('prints static URLs with the cache-breaker token, and they serve the files', ({ app }) =>
  withTimeout(async () => {
    const res = await fetch(`${app.base}/`);
    assert.is(res.status, 200);
    const body = await res.text();
    const breaker = app.config.registry.cachebreaker;
    assert.type(breaker, 'string');
    assert.ok(breaker !== '', 'a token was generated');
    const urls = [...body.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]!);
    assert.is(urls.length, 2, body);
    assert.is(body, `<link rel="stylesheet" href="${urls[0]}">\n<h1>Home</h1>\n<script src="${urls[1]}"></script>\n`);
    for (const [url, file, type] of [
      [urls[0]!, 'style.css', 'text/css'],
      [urls[1]!, 'app.js', 'text/javascript'],
    ] as const) {
      assert.ok(url.startsWith(`${app.base}/static/`), url);
      assert.ok(url.includes(breaker!), `${url} carries the token ${breaker}`);
      assert.ok(url.endsWith(`/${file}`), url);
      const asset = await fetch(url);
      assert.is(asset.status, 200, url);
      assert.match(asset.headers.get('content-type') ?? '', type);
      assert.is(await asset.text(), readFileSync(join(fixtureApp, 'static', file), 'utf8'));
    }
  }),
);

page.run();
