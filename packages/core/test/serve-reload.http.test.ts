import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '../src/testing.js';
import { appSource, get, makeAppFolder } from './serve-helpers.js';
import { startServe } from './serve-helpers.js';

const INI = (greeting: string) => `[app:main]\nuse = ./app.js\nmyapp.greeting = ${greeting}\n\n[server:main]\nhost = 127.0.0.1\nport = 0\n`;

const reload = suite('tet serve --reload');

reload('restarts on a changed module or settings file, keeps the port, survives a broken edit', () =>
  withTimeout(async () => {
    const app = makeAppFolder({ 'development.ini': INI('one') });
    const server = startServe(['development.ini', '--reload'], app.dir);
    try {
      const base = await server.base();
      assert.match(server.output(), 'with --reload');
      assert.is((await get(`${base}/`)).body, 'hello one');

      let mark = server.mark();
      app.write('app.js', appSource('changed'));
      await server.waitFor(/app\.js changed; restarting[\s\S]*reloaded; serving again/, 10_000, mark);
      assert.is((await get(`${base}/`)).body, 'changed one', 'the new code, on the same port');

      mark = server.mark();
      app.write('app.js', 'export const main = (;\n');
      await server.waitFor(/the application failed to start[^\n]*tet serve is watching/, 10_000, mark);
      assert.is(server.child.exitCode, null, 'the supervisor is still running');
      assert.match(server.errors(), 'SyntaxError');

      mark = server.mark();
      app.write('app.js', appSource('fixed'));
      await server.waitFor(/reloaded; serving again/, 10_000, mark);
      assert.is((await get(`${base}/`)).body, 'fixed one');

      mark = server.mark();
      app.write('development.ini', INI('two'));
      await server.waitFor(/development\.ini changed; restarting[\s\S]*reloaded; serving again/, 10_000, mark);
      assert.is((await get(`${base}/`)).body, 'fixed two', 'the new settings');

      assert.is(await server.stop('SIGTERM'), 0);
      await get(`${base}/`, 1000).then(
        () => assert.unreachable('the child still serves after the supervisor stopped'),
        (error: NodeJS.ErrnoException) => assert.is(error.code, 'ECONNREFUSED'),
      );
    } finally {
      server.kill();
      app.remove();
    }
  }, 40_000),
);

reload.run();
