import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationConflictError, ConfigurationError, ConfigurationExecutionError, Configurator, Phase, type Includeable } from '../src/index.js';
import * as includeModule from './fixtures/include-module.js';
import * as defaultInclude from './fixtures/default-include.js';

// Directives used by these tests, declared the way a package declares its own.
declare module '../src/index.js' {
  interface Directives {
    addGreeting(text: string): void;
    addFarewell(text: string): void;
  }
  interface Registry {
    greetings?: string[];
  }
}

function routeNames(config: Configurator): string[] {
  return config.registry.routes.all().map((route) => `${route.name} ${route.pattern}`);
}

const include = suite('Configurator.include');

include('runs a function include with a configurator that shares the registry', () => {
  const config = new Configurator();
  let seen: Configurator | undefined;
  config.include((child) => {
    seen = child;
    child.addRoute('a', '/a');
  });
  config.commit();
  assert.ok(seen !== undefined && seen !== config);
  assert.is(seen!.registry, config.registry);
  assert.equal(routeNames(config), ['a /a']);
});

include('accepts a module with includeme and a module with a default export', () => {
  const config = new Configurator();
  config.include(includeModule);
  config.include(defaultInclude);
  config.commit();
  assert.equal(routeNames(config), ['from-module /module', 'widgets /widgets']);
});

include('runs an included callable once, however often it is included', () => {
  const config = new Configurator();
  let runs = 0;
  const once = (child: Configurator) => {
    runs++;
    child.addRoute('once', '/once');
  };
  config.include(once);
  config.include(once);
  config.include({ includeme: once });
  config.commit(); // a second run would conflict on route:once
  assert.is(runs, 1);
});

include('prefixes routes with routePrefix, and nested prefixes compose', () => {
  const config = new Configurator();
  config.include(
    (api) => {
      api.addRoute('api-root', '');
      api.addRoute('users', '/users/:id');
      api.include((v1) => v1.addRoute('v1-items', 'items'), { routePrefix: '/v1/' });
    },
    { routePrefix: 'api' },
  );
  config.addRoute('home', '/');
  config.commit();
  assert.equal(routeNames(config), ['api-root /api', 'users /api/users/:id', 'v1-items /api/v1/items', 'home /']);
});

include('rejects something that is not an include, saying what it got', () => {
  const config = new Configurator();
  try {
    config.include({ setup: () => {} } as unknown as Includeable);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_INCLUDE');
    assert.match((error as Error).message, 'an object with keys [setup]');
    assert.match((error as Error).message, 'includeme');
  }
});

include('rejects an asynchronous include and points to config.action', () => {
  const config = new Configurator();
  const asyncInclude = async (_config: Configurator) => {};
  try {
    config.include(asyncInclude as unknown as (config: Configurator) => void);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_INCLUDE');
    assert.match((error as Error).message, 'config.action');
  }
});

const directives = suite('Configurator.addDirective');

directives('makes config[name](...) call the implementation with the configurator first', () => {
  const config = new Configurator();
  const received: unknown[] = [];
  config.addDirective('addGreeting', (c, text) => {
    received.push(c.registry === config.registry, text);
  });
  config.addGreeting('hello');
  assert.equal(received, [true, 'hello']);
});

directives('is visible from configurators created by includes', () => {
  const config = new Configurator();
  config.addDirective('addGreeting', (c, text) => {
    c.action(`greeting:${text}`, () => {
      (c.registry.greetings ??= []).push(text);
    });
  });
  config.include((child) => child.addGreeting('from include'));
  config.commit();
  assert.equal(config.registry.greetings, ['from include']);
});

directives('re-adding the same function is harmless; another function is a ConfigurationError', () => {
  const config = new Configurator();
  const impl = () => {};
  config.addDirective('addFarewell', impl);
  config.addDirective('addFarewell', impl);
  try {
    config.addDirective('addFarewell', () => {});
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_DIRECTIVE_CONFLICT');
    assert.match((error as Error).message, "addDirective('addFarewell')");
  }
});

directives('refuses to replace a built-in method', () => {
  const config = new Configurator();
  try {
    (config.addDirective as (name: string, impl: () => void) => void)('addRoute', () => {});
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.is((error as ConfigurationError).code, 'TET_ERR_DIRECTIVE_CONFLICT');
    assert.match((error as Error).message, 'built-in');
  }
});

directives('calling a directive nobody added names the missing include a dependency declares in its package.json', () => {
  // fixtures/app depends on fixture-widgets, whose package.json says "tet": { "include": "widgets", "directives": ["addWidget"] }.
  const config = new Configurator({ package: new URL('../../test/fixtures/app/', import.meta.url) });
  try {
    config.addWidget('w');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_DIRECTIVE_UNKNOWN');
    assert.match((error as Error).message, "Unknown directive 'addWidget'");
    assert.match((error as Error).message, "Did you forget config.include(widgets) from 'fixture-widgets'?");
  }
  try {
    // @tet/core itself knows no package's directives (@tet/static's own test checks its hint).
    config.setCachebreaker('abc');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match((error as Error).message, "Unknown directive 'setCachebreaker'");
    assert.match((error as Error).message, 'Include the package that provides it');
  }
  try {
    config.addGreeting('hi');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match((error as Error).message, "Unknown directive 'addGreeting'");
    assert.match((error as Error).message, 'Include the package that provides it');
  }
});

directives('a configurator can still be awaited and serialised (then/toJSON are not directives)', async () => {
  const config = new Configurator();
  const awaited = await Promise.resolve(config);
  assert.is(awaited, config);
  assert.type(JSON.stringify({ ok: 1, nested: { toJSON: undefined } }), 'string');
  assert.is((config as unknown as { then?: unknown }).then, undefined);
});

declare module '../src/index.js' {
  // Augmenting Request from the same module keeps the test self-contained.
  interface Directives {
    addStaticViewWithBreaker(options: { name: string; path: string }): void;
    setCachebreaker(token: string): void;
  }
}

const actions = suite('Configurator.commit');

actions('executes actions by phase, then in declaration order', () => {
  const config = new Configurator();
  const order: string[] = [];
  config.action('late', () => void order.push('default-1'));
  config.action('early', () => void order.push('early'), { order: Phase.early });
  config.action(null, () => void order.push('default-2'));
  config.action('first', () => void order.push('first'), { order: Phase.first });
  assert.equal(order, [], 'nothing runs before commit');
  config.commit();
  assert.equal(order, ['first', 'early', 'default-1', 'default-2']);
});

actions('settings and registry values set before commit are visible to later actions', () => {
  const config = new Configurator({ settings: { 'app.name': 'demo' } });
  config.addSettings({ 'app.mode': 'test' });
  let seen = '';
  config.action(
    'set',
    () => {
      config.registry.greetings = ['set by an early action'];
    },
    { order: Phase.early },
  );
  config.action('read', () => {
    seen = `${String(config.registry.settings['app.name'])}/${String(config.registry.settings['app.mode'])}/${config.registry.greetings?.[0]}`;
  });
  config.commit();
  assert.is(seen, 'demo/test/set by an early action');
});

actions('two includes claiming one discriminator conflict, naming both call sites', () => {
  const config = new Configurator();
  config.include(function first(c) {
    c.addRoute('home', '/');
  });
  config.include(function second(c) {
    c.addRoute('home', '/home');
  });
  try {
    config.commit();
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationConflictError);
    const conflict = error as ConfigurationConflictError;
    assert.is(conflict.code, 'TET_ERR_CONFIG_CONFLICT');
    assert.equal([...conflict.conflicts.keys()], ['route:home']);
    const infos = conflict.conflicts.get('route:home')!;
    assert.is(infos.length, 2);
    for (const info of infos) assert.match(info.file, /configurator\.test\.ts$/);
    assert.ok(infos[0]!.line < infos[1]!.line, 'in declaration order');
    assert.match(conflict.message, `For: route:home`);
    assert.match(conflict.message, `configurator.test.ts:${infos[0]!.line}:`);
    assert.match(conflict.message, `configurator.test.ts:${infos[1]!.line}:`);
  }
});

actions('two registrations at the same level conflict too', () => {
  const config = new Configurator();
  config.addRoute('dup', '/a');
  config.addRoute('dup', '/b');
  assert.throws(
    () => config.commit(),
    (error: unknown) => error instanceof ConfigurationConflictError && error.message.includes('route:dup'),
  );
});

actions('the includer overrides what it includes, whatever the order', () => {
  const config = new Configurator();
  config.include((child) => child.addRoute('home', '/from-include'));
  config.addRoute('home', '/from-top');
  config.commit();
  assert.equal(routeNames(config), ['home /from-top']);
});

actions('actions recorded while committing run in a further pass', () => {
  const config = new Configurator();
  const ran: string[] = [];
  config.action('outer', () => {
    ran.push('outer');
    config.action('inner', () => void ran.push('inner'));
  });
  config.commit();
  assert.equal(ran, ['outer', 'inner']);
});

actions('a failing action is reported with where it was declared', () => {
  const config = new Configurator();
  config.action('boom', () => {
    throw new Error('disk on fire');
  });
  try {
    config.commit();
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationExecutionError);
    assert.is((error as ConfigurationExecutionError).code, 'TET_ERR_CONFIG_EXECUTION');
    assert.match((error as Error).message, 'disk on fire');
    assert.match((error as Error).message, /configurator\.test\.ts:\d+:\d+/);
    assert.is(((error as Error).cause as Error).message, 'disk on fire');
  }
});

actions('a view for a route nobody added fails at commit with the fix', () => {
  const config = new Configurator();
  config.addView(() => null, { routeName: 'missing' });
  try {
    config.commit();
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_ROUTE_UNKNOWN');
    assert.match((error as Error).message, "config.addRoute('missing', pattern)");
  }
});

actions('async actions make commit return a Promise and run in order', async () => {
  const config = new Configurator();
  const ran: string[] = [];
  config.action('a', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    ran.push('a');
  });
  config.action('b', () => void ran.push('b'));
  const result = config.commit();
  assert.instance(result, Promise);
  await result;
  assert.equal(ran, ['a', 'b']);
});

include.run();
directives.run();
actions.run();
