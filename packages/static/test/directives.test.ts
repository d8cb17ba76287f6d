import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, ConfigurationConflictError, ConfigurationError, Configurator } from '@tet/core';
import { tetStatic } from '../src/index.js';
import { APP, type FixtureApp, makeApp, makeFixtureApp } from './helpers.js';

const include = suite<{ fixture: FixtureApp }>('config.include(tetStatic)');
include.before((context) => {
  context.fixture = makeFixtureApp();
});
include.after((context) => context.fixture.remove());

include('generates the token once, at configuration time, as registry.cachebreaker', () => {
  const before = Date.now();
  const config = new Configurator();
  config.include(tetStatic);
  const token = config.registry.cachebreaker!;
  assert.match(token, /^\d{13,}$/);
  assert.ok(Number(token) >= before && Number(token) <= Date.now());
  config.include(tetStatic);
  assert.is(config.registry.cachebreaker, token, 'including again changes nothing');
});

include('the tet.static.cachebreaker setting is the default token (tet serve gives every worker one)', () => {
  const config = new Configurator({ settings: { 'tet.static.cachebreaker': '0001764000000000' } });
  config.include(tetStatic);
  assert.is(config.registry.cachebreaker, '0001764000000000');
  try {
    new Configurator({ settings: { 'tet.static.cachebreaker': 'a/b' } }).include(tetStatic);
    assert.unreachable('accepted a token with a slash');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_TOKEN');
    assert.match((error as Error).message, "settings['tet.static.cachebreaker']('a/b')");
  }
});

include('setCachebreaker replaces the token for views registered before and after it', async (context) => {
  const app = await makeApp(context.fixture.dir, (config) => {
    config.addStaticViewWithBreaker({ name: 'before/{breaker}', path: `${APP}:static` });
    config.setCachebreaker('release-7');
    config.addStaticViewWithBreaker({ name: 'after/{breaker}', path: `${APP}:static` });
  });
  assert.is(app.registry.cachebreaker, 'release-7');
  assert.equal(
    app.registry
      .staticViews!.all()
      .map((view) => view.pathPrefix)
      .sort(),
    ['/after/release-7/', '/before/release-7/'],
  );
});

include('setCachebreaker rejects an unusable token at the call', () => {
  const config = new Configurator();
  config.include(tetStatic);
  for (const token of ['', 'a/b', 'has space', undefined as unknown as string]) {
    assert.throws(
      () => config.setCachebreaker(token),
      (error: unknown) => error instanceof ConfigurationError && error.code === 'TET_ERR_STATIC_TOKEN',
    );
  }
});

include('two different setCachebreaker calls conflict', (context) => {
  assert.throws(
    () =>
      makeApp(context.fixture.dir, (config) => {
        config.include((a) => a.setCachebreaker('one'));
        config.include((b) => b.setCachebreaker('two'));
      }),
    (error: unknown) => error instanceof ConfigurationConflictError && error.message.includes('tet.static:cachebreaker'),
  );
});

include('a name without {breaker} is a ConfigurationError naming the directive and the value', () => {
  const config = new Configurator();
  config.include(tetStatic);
  try {
    config.addStaticViewWithBreaker({ name: 'static', path: `${APP}:static` });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_NAME');
    assert.match((error as Error).message, "addStaticViewWithBreaker({ name: 'static' }): name must contain '{breaker}'");
  }
  assert.throws(() => config.addStaticViewWithBreaker({ name: 'static/v{breaker}', path: '/tmp' }), /whole path segment/);
});

include('bad options and a missing directory are ConfigurationErrors that say what to fix', async (context) => {
  const config = new Configurator({ package: context.fixture.dir });
  config.include(tetStatic);
  assert.throws(
    () => config.addStaticView({ name: '', path: 'x' }),
    (error: unknown) => (error as ConfigurationError).code === 'TET_ERR_STATIC_OPTIONS',
  );
  assert.throws(() => config.addStaticView({ name: 'static', path: `${APP}:static`, cacheMaxAge: -1 }), /cacheMaxAge is a whole number of seconds/);
  assert.throws(
    () => config.addStaticView({ name: 'static', path: 'nonexistent-package:static' }),
    (error: unknown) => (error as ConfigurationError).code === 'TET_ERR_ASSET_SPEC',
  );
  config.addStaticView({ name: 'missing', path: `${APP}:no-such-dir` });
  try {
    await config.makeApp();
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_PATH');
    assert.match((error as Error).message, 'no-such-dir is not a directory');
    assert.match((error as Error).message, /directives\.test\.ts:\d+/);
  }
});

include('without the include, the directive names what to include', () => {
  const config = new Configurator();
  assert.throws(() => config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: '/tmp' }), /Did you forget config\.include\(tetStatic\) from '@tet\/static'/);
});

include('two static views with one name conflict', (context) => {
  assert.throws(
    () =>
      makeApp(context.fixture.dir, (config) => {
        config.include((a) => a.addStaticView({ name: 'static', path: `${APP}:static` }));
        config.include((b) => b.addStaticView({ name: 'static', path: `${APP}:static/css` }));
      }),
    (error: unknown) => error instanceof ConfigurationConflictError && error.message.includes('route:__static:static'),
  );
});

include('main() with static views returns a Promise (the file index is built at start-up)', (context) => {
  const result: App | Promise<App> = makeApp(context.fixture.dir, (config) => config.addStaticView({ name: 'static', path: `${APP}:static` }));
  assert.instance(result, Promise);
  return (result as Promise<App>).then((app) => {
    const view = app.registry.staticViews!.all()[0]!;
    const names = [...view.index!.entries()].map((entry) => entry.relativePath).sort();
    assert.ok(names.includes('css/site main.css'));
    assert.ok(names.includes('link-in.css'), 'a symlink inside the root is served');
    assert.ok(names.includes('nested-link/deeper/file.txt'), 'a symlinked folder inside the root is walked');
    for (const hidden of ['.env', '.hidden/data.txt', 'link-out.txt', 'dir-out/passwd']) assert.not.ok(names.includes(hidden), hidden);
  });
});

include.run();
