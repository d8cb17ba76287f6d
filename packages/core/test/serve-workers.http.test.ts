import { Agent } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '../src/testing.js';
import { type AppFolder, get, makeAppFolder, type ServeProcess, startServe } from './serve-helpers.js';

const INI = '[app:main]\nuse = ./app.js\n\n[server:main]\nhost = 127.0.0.1\nport = 0\nshutdown_timeout = 5\n';

interface Context {
  app: AppFolder;
  server: ServeProcess;
  base: string;
  token: string;
}

async function pidsAndTokens(base: string, count: number): Promise<{ pids: Set<string>; tokens: Set<string> }> {
  const pids = new Set<string>();
  const tokens = new Set<string>();
  for (let i = 0; i < count; i++) {
    const [pid = '', token = ''] = (await get(`${base}/token`)).body.split(' ');
    pids.add(pid);
    tokens.add(token);
  }
  return { pids, tokens };
}

const workers = suite<Context>('tet serve --workers');
workers.before(async (context) => {
  context.app = makeAppFolder({ 'production.ini': INI });
  context.server = startServe(['production.ini', '--workers', '2'], context.app.dir);
  const match = await context.server.waitFor(/2 workers serving production\.ini on http:\/\/localhost:(\d+)\/ \(cache-breaker (\d+)\)/, 15_000);
  context.base = `http://127.0.0.1:${match[1]}`;
  context.token = match[2]!;
});
workers.after((context) => {
  context.server.kill();
  context.app.remove();
});

workers('every worker uses the one cache-breaker token the primary chose', (context) =>
  withTimeout(async () => {
    const { pids, tokens } = await pidsAndTokens(context.base, 40);
    assert.is(pids.size, 2, `answers came from ${[...pids].join(', ')}`);
    assert.equal([...tokens], [context.token]);
    for (let i = 0; i < 4; i++) assert.is((await get(`${context.base}/static/${context.token}/site.css`)).status, 200);
  }),
);

workers('a crashed worker is replaced after a back-off, with the same token', (context) =>
  withTimeout(async () => {
    const before = await pidsAndTokens(context.base, 10);
    const victim = [...before.pids][0]!;
    const mark = context.server.mark();
    process.kill(Number(victim), 'SIGKILL');
    await context.server.waitFor(new RegExp(`worker ${victim} exited \\(SIGKILL\\); starting another in 100 ms`), 5000, mark);
    let after = await pidsAndTokens(context.base, 10);
    for (let i = 0; i < 50 && after.pids.size < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await pidsAndTokens(context.base, 10);
    }
    assert.is(after.pids.size, 2);
    assert.not.ok(after.pids.has(victim));
    assert.equal([...after.tokens], [context.token]);
  }, 15_000),
);

// Clients that keep requesting through a restart; each counts answers and failures.
async function load(base: string, until: Promise<unknown>, keepAlive: boolean): Promise<{ ok: number; failed: string[] }> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const agent = new Agent({ keepAlive, maxSockets: 1 });
  const failed: string[] = [];
  let ok = 0;
  const client = async () => {
    while (!done && ok + failed.length < 20_000) {
      try {
        // A slow answer on a loaded machine is still an answer: only resets and errors fail.
        const answer = await get(`${base}/`, 15_000, keepAlive ? agent : false);
        if (answer.status === 200 && answer.body === 'hello ') ok++;
        else failed.push(`status ${answer.status}`);
      } catch (error) {
        failed.push((error as Error).message);
      }
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  agent.destroy();
  return { ok, failed };
}

for (const keepAlive of [false, true]) {
  workers(`SIGHUP restarts the workers one at a time with 0 failed requests (${keepAlive ? 'keep-alive' : 'a connection per request'})`, (context) =>
    withTimeout(async () => {
      const before = await pidsAndTokens(context.base, 10);
      const mark = context.server.mark();
      const rolled = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        process.kill(context.server.child.pid!, 'SIGHUP');
        await context.server.waitFor(/every worker restarted/, 20_000, mark);
        await new Promise((resolve) => setTimeout(resolve, 300));
      })();
      const result = await load(context.base, rolled, keepAlive);
      await rolled;
      assert.equal(result.failed.slice(0, 5), [], `${result.failed.length} failed of ${result.ok + result.failed.length}`);
      assert.ok(result.ok > 50, `only ${result.ok} answers during the restart`);
      const after = await pidsAndTokens(context.base, 10);
      assert.is(after.pids.size, 2);
      for (const pid of after.pids) assert.not.ok(before.pids.has(pid), 'every worker was replaced');
      assert.equal([...after.tokens], [context.token], 'the token survives the restart');
    }, 45_000),
  );
}

const stopping = suite('tet serve --workers: stopping');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  stopping(`${signal} drains every worker: requests in flight finish, then all exit`, () =>
    withTimeout(async () => {
      const app = makeAppFolder({ 'production.ini': INI });
      const server = startServe(['production.ini', '--workers', '2'], app.dir);
      try {
        const base = `http://127.0.0.1:${(await server.waitFor(/workers serving production\.ini on http:\/\/localhost:(\d+)\//, 15_000))[1]}`;
        const { pids } = await pidsAndTokens(base, 10);
        const slow = [get(`${base}/slow?ms=800`), get(`${base}/slow?ms=800`)];
        await new Promise((resolve) => setTimeout(resolve, 200));
        process.kill(server.child.pid!, signal);
        const answers = await Promise.all(slow);
        assert.equal(
          answers.map((answer) => answer.body),
          ['slow done', 'slow done'],
        );
        assert.is(await server.exited(8000), 0);
        assert.match(server.output(), `${signal}; draining 2 workers`);
        for (const pid of pids) assert.throws(() => process.kill(Number(pid), 0), /ESRCH/, `worker ${pid} is gone`);
      } finally {
        server.kill();
        app.remove();
      }
    }, 20_000),
  );
}

stopping('the drain has a deadline: a request slower than shutdown_timeout is cut', () =>
  withTimeout(async () => {
    const app = makeAppFolder({ 'production.ini': INI });
    const server = startServe(['production.ini', '--workers', '2', '--shutdown-timeout', '1'], app.dir);
    try {
      const base = `http://127.0.0.1:${(await server.waitFor(/workers serving production\.ini on http:\/\/localhost:(\d+)\//, 15_000))[1]}`;
      const slow = get(`${base}/slow?ms=8000`, 10_000).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      server.child.kill('SIGTERM');
      assert.is(await server.exited(6000), 0);
      const took = Date.now() - started;
      assert.ok(took >= 900 && took < 4000, `stopped after ${took} ms`);
      assert.match(await slow, /socket hang up|ECONNRESET/);
    } finally {
      server.kill();
      app.remove();
    }
  }, 20_000),
);

workers.run();
stopping.run();
