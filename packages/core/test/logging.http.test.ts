import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '../src/testing.js';
import { type AppFolder, get, makeAppFolder, type ServeProcess, startServe } from './serve-helpers.js';

const ini = (format: string, level = 'info') => `[app:main]\nuse = ./app.js\ntet.logging.level = ${level}\ntet.logging.format = ${format}\n\n[server:main]\nport = 0\n`;

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until(server: ServeProcess, pattern: RegExp): Promise<void> {
  await server.waitFor(pattern, 5000);
}

const logs = suite<{ app: AppFolder }>('request logging');
logs.before((context) => {
  context.app = makeAppFolder({ 'json.ini': ini('json'), 'pretty.ini': ini('pretty'), 'warn.ini': ini('json', 'warn') });
});
logs.after((context) => context.app.remove());

logs('JSON lines: request id, method, path, status, duration and bytes; view errors through pino', (context) =>
  withTimeout(async () => {
    const server = startServe(['json.ini'], context.app.dir);
    try {
      const base = await server.base();
      const token = await get(`${base}/token`, 5000);
      await new Promise<void>((resolve, reject) => {
        // a request id given by a proxy is kept
        import('node:http').then(({ request }) => {
          const req = request(`${base}/`, { headers: { 'x-request-id': 'edge-42' }, agent: false }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        }, reject);
      });
      assert.is((await get(`${base}/boom`)).status, 500);
      await until(server, /"path":"\/boom"/);
      const lines = jsonLines(server.output());
      const tokenLine = lines.find((line) => line.path === '/token')!;
      assert.is(tokenLine.msg, 'request');
      assert.is(tokenLine.method, 'GET');
      assert.is(tokenLine.status, 200);
      assert.is(tokenLine.bytes, Buffer.byteLength(token.body));
      assert.is(typeof tokenLine.ms, 'number');
      assert.match(String(tokenLine.id), /^[a-z0-9]+-[a-z0-9]+$/);
      assert.is(typeof tokenLine.pid, 'number');
      assert.match(String(tokenLine.time), /^\d{4}-\d\d-\d\dT/);
      assert.is(lines.find((line) => line.path === '/')?.id, 'edge-42');
      assert.is(lines.find((line) => line.path === '/boom')?.status, 500);
      const error = lines.find((line) => line.level === 50)!;
      assert.match(String(error.msg), "GET /boom (route 'boom'): unhandled error in a view");
      assert.match(String((error.err as { stack: string }).stack), 'Error: boom');
      assert.is(await server.stop(), 0);
    } finally {
      server.kill();
    }
  }, 20_000),
);

logs('readable lines with tet.logging.format = pretty', (context) =>
  withTimeout(async () => {
    const server = startServe(['pretty.ini'], context.app.dir);
    try {
      const base = await server.base();
      await get(`${base}/`);
      await get(`${base}/boom`);
      await until(server, /GET \/boom 500/);
      assert.match(server.output(), /^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/ 200 6 B [\d.]+ ms #[a-z0-9]+-1$/m);
      assert.match(server.output(), /^\d\d:\d\d:\d\d\.\d{3} ERROR GET \/boom \(route 'boom'\): unhandled error in a view\n {2}Error: boom\n {6}at /m);
      assert.is(await server.stop(), 0);
    } finally {
      server.kill();
    }
  }, 20_000),
);

logs('tet.logging.level = warn: errors are logged, requests are not', (context) =>
  withTimeout(async () => {
    const server = startServe(['warn.ini'], context.app.dir);
    try {
      const base = await server.base();
      await get(`${base}/`);
      await get(`${base}/boom`);
      await until(server, /unhandled error in a view/);
      const lines = jsonLines(server.output());
      assert.equal(
        lines.filter((line) => line.msg === 'request'),
        [],
      );
      assert.is(lines.filter((line) => line.level === 50).length, 1);
      assert.is(await server.stop(), 0);
    } finally {
      server.kill();
    }
  }, 20_000),
);

// An application started with app.listen(), outside tet serve.
function listenScript(app: AppFolder, settings: Record<string, string>): string {
  return `const { main } = await import(${JSON.stringify(pathToFileURL(join(app.dir, 'app.js')).href)});
const app = await main(${JSON.stringify(settings)});
const server = await app.listen(0, '127.0.0.1');
console.log('listening ' + server.address().port);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
}

logs('app.listen() users log with the same settings, and nothing without them', (context) =>
  withTimeout(async () => {
    for (const [settings, expected] of [
      [{ 'tet.logging.level': 'info' }, 1],
      [{}, 0],
    ] as const) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', listenScript(context.app, settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      try {
        for (let i = 0; i < 100 && !/listening \d+/.test(out); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        const port = /listening (\d+)/.exec(out)![1];
        assert.is((await get(`http://127.0.0.1:${port}/`)).body, 'hello ');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const requests = jsonLines(out).filter((line) => line.msg === 'request');
        assert.is(requests.length, expected, out);
        if (expected === 1) assert.is(requests[0]!.path, '/');
      } finally {
        child.kill('SIGKILL');
      }
    }
  }, 20_000),
);

logs.run();
