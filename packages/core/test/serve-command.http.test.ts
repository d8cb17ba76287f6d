import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '../src/testing.js';
import { type AppFolder, get, makeAppFolder, startServe } from './serve-helpers.js';

const INI = '[app:main]\nuse = ./app.js\nmyapp.greeting = from-the-file\ntet.debug = false\n\n[server:main]\nhost = 127.0.0.1\nport = 0\n';

const serve = suite<{ app: AppFolder }>('tet serve');
serve.before((context) => {
  context.app = makeAppFolder({ 'development.ini': INI, 'other.json': JSON.stringify({ 'app:main': { use: './app.js', 'myapp.greeting': 'json' }, 'server:main': { port: 0 } }) });
});
serve.after((context) => context.app.remove());

serve('serves the [app:main] of an ini file where [server:main] says, prints the URL, stops on SIGTERM', (context) =>
  withTimeout(async () => {
    const server = startServe(['development.ini'], context.app.dir, { MYAPP_GREETING: '', TET_DEBUG: 'true' });
    try {
      const base = await server.base();
      assert.match(server.output(), /tet serve: serving development\.ini on http:\/\/localhost:\d+\/ \(cache-breaker \d{12,}\)/);
      const home = await get(`${base}/`);
      assert.is(home.status, 200);
      assert.is(home.body, 'hello ');
      const settings = JSON.parse((await get(`${base}/settings`)).body) as Record<string, unknown>;
      assert.is(settings['tet.debug'], 'true', 'TET_DEBUG overrides the file');
      assert.is(settings['myapp.greeting'], '', 'MYAPP_GREETING overrides the declared key');
      assert.is(await server.stop('SIGTERM'), 0);
    } finally {
      server.kill();
    }
  }, 20_000),
);

serve('serves a JSON settings file, a module named directly, and the package entry by default', (context) =>
  withTimeout(async () => {
    for (const [args, body] of [
      [['other.json'], 'hello json'],
      [['app.js', '--port', '0'], 'hello '],
    ] as const) {
      const server = startServe([...args], context.app.dir);
      const base = await server.base();
      assert.is((await get(`${base}/`)).body, body, args.join(' '));
      assert.is(await server.stop('SIGINT'), 0);
    }
    const bare = makeAppFolder(); // no development.ini: the package.json's "exports"
    try {
      const server = startServe(['--port', '0'], bare.dir);
      assert.is((await get(`${await server.base()}/`)).body, 'hello ');
      assert.match(server.output(), `serving ${bare.dir}/app.js on`);
      assert.is(await server.stop('SIGTERM'), 0);
    } finally {
      bare.remove();
    }
  }, 20_000),
);

serve('finishes a request in flight before exiting on SIGTERM', (context) =>
  withTimeout(async () => {
    const server = startServe(['development.ini'], context.app.dir);
    const base = await server.base();
    const slow = get(`${base}/slow?ms=600`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exit = server.stop('SIGTERM');
    const answer = await slow;
    assert.is(answer.status, 200);
    assert.is(answer.body, 'slow done');
    assert.is(await exit, 0);
    assert.match(server.output(), 'SIGTERM; finishing requests in flight');
  }, 20_000),
);

serve('a bad settings file: exit 1 with the file, line, key, fix and code', (context) =>
  withTimeout(async () => {
    context.app.write('broken.ini', '[app:main]\nuse = ./app.js\ntet.static.reload = perhaps\n');
    const server = startServe(['broken.ini'], context.app.dir);
    assert.is(await server.exited(), 1);
    assert.match(server.errors(), /broken\.ini:3 \[app:main\] tet\.static\.reload: tet\.static\.reload must be true or false/);
    assert.match(server.errors(), '[TET_ERR_SETTINGS_VALUE]');
  }),
);

serve('a port in use: exit 1 saying so and how to choose another', (context) =>
  withTimeout(async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const server = startServe(['development.ini', '--port', String(port)], context.app.dir);
      assert.is(await server.exited(), 1);
      assert.match(server.errors(), `cannot listen on 127.0.0.1:${port}: it is in use (EADDRINUSE)`);
      assert.match(server.errors(), '[TET_ERR_SERVE_LISTEN]');
    } finally {
      blocker.close();
    }
  }),
);

serve('an application module without main: exit 1 naming what it exports', (context) =>
  withTimeout(async () => {
    context.app.write('nomain.js', 'export const app = 1;\n');
    const server = startServe(['nomain.js'], context.app.dir);
    assert.is(await server.exited(), 1);
    assert.match(server.errors(), "no exported function 'main' (it exports app)");
    assert.match(server.errors(), '[TET_ERR_SERVE_APP]');
  }),
);

serve.run();
