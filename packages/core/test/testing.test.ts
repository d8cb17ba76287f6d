// @tet/core/testing: the helpers every package's tests share.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, type Configurator } from '../src/index.js';
import { configureTestApp, freePort, rejected, startTestApp, thrown, withTimeout } from '../src/testing.js';

const apps = suite('testing.startTestApp');

const greet = (config: Configurator) => {
  config.addRoute('hello', '/hello');
  config.addView(() => 'hi', { routeName: 'hello', renderer: 'string' });
};

apps('includes, configures, commits and serves on 127.0.0.1, logging into memory', () =>
  withTimeout(async () => {
    const app = await startTestApp(
      (config) => {
        config.addRoute('boom', '/boom');
        config.addView(
          () => {
            throw new Error('kaput');
          },
          { routeName: 'boom' },
        );
      },
      { package: import.meta.url, settings: { 'tet.debug': false }, include: [greet] },
    );
    try {
      assert.match(app.base, /^http:\/\/127\.0\.0\.1:\d+$/);
      const hello = await fetch(`${app.base}/hello`);
      assert.is(hello.status, 200);
      assert.is(await hello.text(), 'hi');
      assert.is((await fetch(`${app.base}/boom`)).status, 500);
      assert.is(app.logger.errors.length, 1);
      assert.is((app.logger.errors[0] as Error).message, 'kaput');
      assert.is(app.config.registry.packageName, '@tet/core');
    } finally {
      await app.close();
    }
  }),
);

apps('configureTestApp leaves the commit to the test, so a bad configuration is an error it can catch', async () => {
  const config = configureTestApp((c) => c.addView(() => 'x', { routeName: 'nowhere' }), { package: import.meta.url });
  const error = await rejected(() => config.makeApp());
  assert.instance(error, ConfigurationError);
  assert.is((error as ConfigurationError).code, 'TET_ERR_ROUTE_UNKNOWN');
});

const errors = suite('testing.thrown and rejected');

errors('return the error thrown or rejected with', async () => {
  assert.is(thrown(() => JSON.parse('{')).name, 'SyntaxError');
  assert.is((await rejected(async () => Promise.reject(new RangeError('r')))).message, 'r');
  assert.is((await rejected(() => JSON.parse('{'))).name, 'SyntaxError');
});

errors('throw when nothing is thrown, or when what is thrown is not an Error', async () => {
  assert.throws(() => thrown(() => 42), /expected an error to be thrown, but it returned 42/);
  assert.throws(() =>
    thrown(() => {
      throw 'text';
    }),
  );
  let failed: unknown;
  await rejected(async () => 'fine').catch((error: unknown) => {
    failed = error;
  });
  assert.match(String(failed), 'it resolved to fine');
});

const ports = suite('testing.freePort');

ports('gives a port a server can listen on at once', () =>
  withTimeout(async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }),
);

ports('gives ports below the ephemeral range, where outgoing connections never take them, and a busy one never', () =>
  withTimeout(async () => {
    const range = existsSync('/proc/sys/net/ipv4/ip_local_port_range') ? readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8') : '32768';
    const first = Number(range.trim().split(/\s+/)[0]);
    // Hold some ports of the range busy: freePort must step around them.
    const busy = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const server = createServer();
        const port = await freePort();
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
        return { server, port };
      }),
    ).catch((error: unknown) => {
      throw new Error(`a port freePort gave was not free: ${String(error)}`);
    });
    const ports = busy.map(({ port }) => port);
    assert.ok(
      ports.every((port) => port >= 1024 && port < first),
      ports.join(', '),
    );
    const next = await freePort();
    assert.not.ok(ports.includes(next), `${next} is busy`);
    await Promise.all(busy.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }),
);

apps.run();
errors.run();
ports.run();
