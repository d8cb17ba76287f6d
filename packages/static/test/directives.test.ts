import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const options = suite<{ fixture: FixtureApp }>('static view options: messages that say what was wrong');
options.before((context) => {
  context.fixture = makeFixtureApp();
});
options.after((context) => context.fixture.remove());

function configurationError(work: () => unknown): ConfigurationError {
  try {
    work();
  } catch (error) {
    assert.instance(error, ConfigurationError);
    return error as ConfigurationError;
  }
  return assert.unreachable('should have thrown a ConfigurationError') as never;
}

options('a value of the wrong type says which type it got', (context) => {
  const config = new Configurator({ package: context.fixture.dir });
  config.include(tetStatic);
  const add = (extra: Record<string, unknown>) => () => config.addStaticView({ name: 'static', path: `${APP}:static`, ...extra } as never);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ cacheMaxAge: '3600' }, 'cacheMaxAge must be a number of seconds, got the string "3600"; e.g. cacheMaxAge: 31536000 for a year (write 3600 without quotes'],
    [{ cacheMaxAge: 1.5 }, 'cacheMaxAge is a whole number of seconds, 0 or more, got the number 1.5'],
    [{ cacheMaxAge: null }, 'cacheMaxAge must be a number of seconds, got null'],
    [{ cacheBust: true }, "cacheBust takes the string 'content', with addStaticView (got the boolean true)"],
    [{ manifest: 42 }, 'manifest must be an asset spec or an absolute file path, got the number 42'],
    [{ cacheMaxage: 60 }, "unknown option 'cacheMaxage'; the options are name, path, cacheMaxAge, cacheBust, manifest, archive"],
    [{ archive: false }, 'archive must be an asset spec or an absolute folder path, got the boolean false'],
  ];
  for (const [extra, message] of cases) {
    const error = configurationError(add(extra));
    assert.is(error.code, 'TET_ERR_STATIC_OPTIONS');
    assert.match(error.message, message);
    assert.match(error.message, "addStaticView({ name: 'static', path: 'static-fixture-app:static' })");
  }
  assert.match(configurationError(() => config.addStaticView({ name: 7, path: 'x' } as never)).message, "name must be a URL prefix such as 'static/{breaker}', got the number 7");
  assert.match(configurationError(() => config.addStaticView({ name: 's', path: ['x'] } as never)).message, 'got an array');
  assert.match(configurationError(() => config.addStaticView('static' as never)).message, 'pass an options object { name, path }, got the string "static"');
});

options('a memory setting that is not a number of bytes says what it got', async (context) => {
  for (const [value, shown] of [
    ['4 MiB', 'the string "4 MiB"'],
    [-1, 'the number -1'],
  ] as const) {
    try {
      await makeApp(context.fixture.dir, (config) => config.addStaticView({ name: 'static', path: `${APP}:static` }), { 'tet.static.cache_max_file_size': value });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, ConfigurationError);
      assert.is((error as ConfigurationError).code, 'TET_ERR_STATIC_OPTIONS');
      assert.match((error as Error).message, `The setting tet.static.cache_max_file_size must be a whole number of bytes, got ${shown}`);
    }
  }
  const app = await makeApp(context.fixture.dir, (config) => config.addStaticView({ name: 'static', path: `${APP}:static` }), { 'tet.static.cache_max_file_size': '1024' });
  assert.is(app.registry.staticMemory?.maxFileSize, 1024, 'digits from a settings file are bytes');
});

// As root (CI containers) permissions do not apply, so the unreadable part is read with
// another effective user, as a server's own user would read it.
async function startAsNobody(dir: string): Promise<unknown> {
  const asRoot = process.geteuid?.() === 0;
  if (asRoot) process.seteuid!(65534);
  try {
    await makeApp(dir, (config) => config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: `${APP}:static` }));
    return undefined;
  } catch (error) {
    return error;
  } finally {
    if (asRoot) process.seteuid!(0);
  }
}

options('a file or folder that cannot be read at start-up is named, with its own code and the fix', async (context) => {
  chmodSync(context.fixture.dir, 0o755);
  const file = join(context.fixture.staticDir, 'locked.css');
  writeFileSync(file, 'locked');
  chmodSync(file, 0o000);
  const error = (await startAsNobody(context.fixture.dir)) as ConfigurationError;
  assert.instance(error, ConfigurationError);
  assert.is(error.code, 'TET_ERR_STATIC_FILE');
  assert.match(error.message, `cannot read ${file} (EACCES)`);
  assert.match(error.message, "addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'static-fixture-app:static' })");
  assert.match(error.message, 'make it readable');
  chmodSync(file, 0o644);
  const folder = join(context.fixture.staticDir, 'locked');
  mkdirSync(folder);
  chmodSync(folder, 0o000);
  const folderError = (await startAsNobody(context.fixture.dir)) as ConfigurationError;
  assert.is(folderError.code, 'TET_ERR_STATIC_FILE');
  assert.match(folderError.message, `cannot read ${folder} (EACCES)`);
  chmodSync(folder, 0o755);
});

include.run();
options.run();
