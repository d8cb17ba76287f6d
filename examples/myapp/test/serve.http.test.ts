// The example as `npm start` runs it: `tet serve development.ini`, and production.ini with workers.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '@tet/core/testing';

const CLI = fileURLToPath(new URL('../../../../packages/core/bin/tet.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../', import.meta.url));

interface Served {
  child: ChildProcess;
  output: () => string;
  base: string;
}

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: EXAMPLE, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let i = 0; i < 300 && !/on http:\/\/localhost:\d+\//.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const port = /on http:\/\/localhost:(\d+)\//.exec(output)?.[1];
  if (port === undefined) {
    kill(child);
    throw new Error(`tet serve did not print its URL:\n${output}`);
  }
  return { child, output: () => output, base: `http://127.0.0.1:${port}` };
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // gone already
  }
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

function exited(child: ChildProcess, ms = 10_000): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? -1);
    });
  });
}

const example = suite('myapp under tet serve');

example('development.ini: the home page, readable request logs, Ctrl-C exits 0', () =>
  withTimeout(async () => {
    const served = await serve(['development.ini', '--port', '0']);
    try {
      assert.match(served.output(), /tet serve: serving development\.ini on http:\/\/localhost:\d+\/ \(cache-breaker \d+\)/);
      const home = await get(`${served.base}/`);
      assert.is(home.status, 200);
      assert.match(home.body, '<h1>Hello from Tet</h1>');
      const token = /\/static\/([^/]+)\/style\.css/.exec(home.body)![1]!;
      assert.is((await get(`${served.base}/static/${token}/style.css`)).status, 200);
      for (let i = 0; i < 40 && !/GET \/static\//.test(served.output()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(served.output(), /\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/ 200 \d+ B [\d.]+ ms #/);
      served.child.kill('SIGINT');
      assert.is(await exited(served.child), 0);
    } finally {
      kill(served.child);
    }
  }, 20_000),
);

example('production.ini without MYAPP_SESSION_SECRET does not start: TET_ERR_SESSION_SECRET names the setting and the variable', () =>
  withTimeout(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.MYAPP_SESSION_SECRET;
    const child = spawn(process.execPath, [CLI, 'serve', 'production.ini', '--port', '0', '--host', '127.0.0.1', '--workers', '1'], {
      cwd: EXAMPLE,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      assert.is.not(await exited(child), 0);
      assert.match(output, '[TET_ERR_SESSION_SECRET]');
      assert.match(output, "Setting 'myapp.session_secret': there is none");
      assert.match(output, 'MYAPP_SESSION_SECRET=<secret>');
      assert.not.match(output, /serving production\.ini on/);
    } finally {
      kill(child);
    }
  }, 20_000),
);

example('production.ini: two workers, one release from MYAPP_RELEASE, JSON logs, SIGTERM exits 0', () =>
  withTimeout(async () => {
    const served = await serve(['production.ini', '--port', '0', '--host', '127.0.0.1'], { MYAPP_RELEASE: 'r2026.12', MYAPP_SESSION_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz' });
    try {
      assert.match(served.output(), /2 workers serving production\.ini/);
      for (let i = 0; i < 10; i++) {
        const status = JSON.parse((await get(`${served.base}/api/status`)).body) as { release: string };
        assert.is(status.release, 'r2026.12');
      }
      for (let i = 0; i < 40 && !/"path":"\/api\/status"/.test(served.output()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const line = served
        .output()
        .split('\n')
        .find((text) => text.includes('"path":"/api/status"'))!;
      assert.is((JSON.parse(line) as { status: number }).status, 200);
      served.child.kill('SIGTERM');
      assert.is(await exited(served.child), 0);
    } finally {
      kill(served.child);
    }
  }, 30_000),
);

example.run();
