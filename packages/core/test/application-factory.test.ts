import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, applicationFactory, Configurator, Response } from '../src/index.js';
import { startTestServer, withTimeout } from '../src/testing.js';

const factory = suite('applicationFactory');

factory('main(settings) returns an App synchronously when configuration is synchronous', () => {
  let received: Configurator | undefined;
  const main = applicationFactory((config) => {
    received = config;
    config.addRoute('home', '/');
  });
  const settings = { 'myapp.release': 'r1' };
  const app = main(settings);
  assert.instance(app, App);
  assert.instance(received, Configurator);
  assert.equal((app as App).registry.settings, settings);
  assert.is((app as App).registry, received!.registry);
  assert.is((app as App).registry.routes.get('home')?.pattern, '/', 'committed');
});

factory('each call makes a new application with its own registry', () => {
  const main = applicationFactory((config) => config.addRoute('home', '/'));
  const one = main({ n: 1 }) as App;
  const two = main({ n: 2 }) as App;
  assert.is.not(one.registry, two.registry);
  assert.is(two.registry.settings['n'], 2);
});

factory('an async configure function or async action makes main return a Promise of the App', () =>
  withTimeout(async () => {
    const viaConfigure = applicationFactory(async (config) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      config.addRoute('home', '/');
      config.addView(() => new Response('async configured'), { routeName: 'home' });
    });
    const pending = viaConfigure();
    assert.instance(pending, Promise);
    const server = await startTestServer(pending);
    try {
      assert.is(await (await fetch(`${server.base}/`)).text(), 'async configured');
    } finally {
      await server.close();
    }
    const viaAction = applicationFactory((config) => {
      config.action('load', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        config.registry.settings['loaded'] = true;
      });
    });
    const result = viaAction();
    assert.instance(result, Promise);
    assert.is((await result).registry.settings['loaded'], true);
  }),
);

factory("knows the application's package from where applicationFactory was called", () => {
  const app = applicationFactory(() => {})() as App;
  assert.is(app.registry.packageName, '@tet/core');
  assert.match(app.registry.packageRoot ?? '', /packages[\\/]core$/);
});

factory.run();
