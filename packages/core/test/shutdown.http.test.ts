// Issue 12 item 8: `app.close({ timeout })` on SIGTERM loses no request in flight, closes idle
// keep-alive connections at once, and cuts what is left at the deadline. A real child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationFactory, ConfigurationError, Response } from '../src/index.js';
import { rawRequest, withTimeout } from '../src/testing.js';

const FIXTURE = new URL('./fixtures/graceful-server.js', import.meta.url);

interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line matching `pattern`, seen already or to come. */
  line(pattern: RegExp, ms?: number): Promise<string>;
  exited: Promise<number | null>;
}

async function startChild(env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, [FIXTURE.pathname], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  let partial = '';
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    stdout.push(...lines);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = (pattern: RegExp, ms = 5000): Promise<string> =>
    withTimeout(
      () =>
        new Promise<string>((resolve) => {
          const look = () => {
            const found = stdout.find((text) => pattern.test(text));
            if (found !== undefined) resolve(found);
            else waiters.push(look);
          };
          look();
        }),
      ms,
      `the child's line ${pattern} (stdout: ${stdout.join(' | ')}; stderr: ${stderr.join('')})`,
    );
  const ready: Child = { process: child, port: 0, stdout, stderr, line, exited };
  const port = Number(/listening (\d+)/.exec(await line(/^listening \d+$/))![1]);
  return { ...ready, port };
}

interface Exchange {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server closes the connection: the time, and any error seen. */
  readonly closed: Promise<{ at: number; error: Error | undefined }>;
}

function open(port: number, text: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let error: Error | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', (e) => {
      error = e;
    });
    const closed = new Promise<{ at: number; error: Error | undefined }>((done) => socket.once('close', () => done({ at: Date.now(), error })));
    socket.once('connect', () => {
      socket.write(text);
      resolve({ socket, received: () => data, closed });
    });
    socket.once('error', reject);
  });
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  await withTimeout(
    async () => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    ms,
    what,
  );
}

const shutdown = suite('App.close on SIGTERM');

shutdown('requests in flight finish with 200 and Connection: close; idle keep-alive connections close at once', () =>
  withTimeout(async () => {
    const child = await startChild();
    try {
      // An idle keep-alive connection: one request answered, then nothing.
      const idle = await open(child.port, get('/fast'));
      await until(() => idle.received().endsWith('fast'), 2000, 'the idle connection answered');
      assert.match(idle.received(), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(idle.received(), /\r\nConnection: keep-alive\r\n/i);
      // A slow view in flight, a stream whose head is already out, and a request half sent.
      const slow = await open(child.port, get('/slow/700'));
      const stream = await open(child.port, get('/stream/600'));
      const half = await open(child.port, 'GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await child.line(/^started \/slow\/700$/);
      await child.line(/^started \/stream\/600$/);
      await until(() => stream.received().includes('part 0;'), 2000, 'the stream started');
      await new Promise((resolve) => setTimeout(resolve, 20));

      const signalled = Date.now();
      child.process.kill('SIGTERM');
      const idleClosed = await idle.closed;
      assert.ok(idleClosed.at - signalled < 300, `the idle connection closed ${idleClosed.at - signalled} ms after SIGTERM`);
      assert.is(idleClosed.error, undefined);

      // The listening socket is closed: a new connection is refused.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(child.port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      assert.is(refused, 'ECONNREFUSED');

      // The half-sent request is let in, and answered as the server closes.
      half.socket.write('\r\n');
      const halfClosed = await half.closed;
      assert.is(halfClosed.error, undefined);
      assert.match(half.received(), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(half.received(), /\r\nConnection: close\r\n/i);

      const slowClosed = await slow.closed;
      assert.is(slowClosed.error, undefined, 'no ECONNRESET for the request in flight');
      assert.match(slow.received(), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(slow.received(), /\r\nConnection: close\r\n/i);
      assert.ok(slow.received().endsWith('\r\n\r\nslow done'), slow.received());

      const streamClosed = await stream.closed;
      assert.is(streamClosed.error, undefined);
      assert.ok(stream.received().endsWith('part 4;\r\n0\r\n\r\n'), `the stream ended whole: ${JSON.stringify(stream.received())}`);

      assert.is(await withTimeout(() => child.exited, 3000, 'the child exits'), 0);
      const closedLine = await child.line(/^closed after \d+ ms$/);
      assert.ok(Number(/(\d+)/.exec(closedLine)![1]) < 2000, closedLine);
      assert.is(child.stderr.join(''), '');
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 15_000),
);

// The answers a connection received, one per response, once the server closed it cleanly.
async function answersOnceClosed(exchange: Exchange, count: number): Promise<string[]> {
  const { error } = await exchange.closed;
  assert.is(error, undefined);
  const answers = exchange.received().split(/(?=HTTP\/1\.1 )/);
  assert.is(answers.length, count, exchange.received());
  return answers;
}

shutdown('requests pipelined behind one in flight are all answered before the connection closes', () =>
  withTimeout(async () => {
    const child = await startChild();
    try {
      // Behind a slow view (its head not out yet) and behind a stream (its head out), on one
      // connection each: the later answers queue in Node until the first has been written.
      const slow = await open(child.port, get('/slow/400') + get('/fast'));
      const stream = await open(child.port, get('/stream/400') + get('/fast') + get('/fast'));
      await child.line(/^started \/slow\/400$/);
      await child.line(/^started \/stream\/400$/);
      await until(() => stream.received().includes('part 0;'), 2000, 'the stream started');
      child.process.kill('SIGTERM');

      const slowAnswers = await answersOnceClosed(slow, 2);
      assert.ok(slowAnswers[0]!.endsWith('\r\n\r\nslow done'), slowAnswers[0]);
      assert.ok(slowAnswers[1]!.endsWith('\r\n\r\nfast'), slowAnswers[1]);
      const streamAnswers = await answersOnceClosed(stream, 3);
      assert.ok(streamAnswers[0]!.endsWith('part 4;\r\n0\r\n\r\n'), streamAnswers[0]);
      assert.ok(streamAnswers[2]!.endsWith('\r\n\r\nfast'), streamAnswers[2]);
      assert.is(await withTimeout(() => child.exited, 3000, 'the child exits'), 0);
      assert.is(child.stderr.join(''), '');
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 10_000),
);

shutdown('at the deadline the connections left are cut, and the cut is logged', () =>
  withTimeout(async () => {
    const child = await startChild({ CLOSE_TIMEOUT: '300' });
    try {
      const slow = await open(child.port, get('/slow/20000'));
      await child.line(/^started \/slow\/20000$/);
      const signalled = Date.now();
      child.process.kill('SIGTERM');
      const closed = await slow.closed;
      const after = closed.at - signalled;
      assert.ok(after >= 250 && after < 1500, `cut ${after} ms after SIGTERM`);
      assert.is(slow.received(), '');
      assert.is(await withTimeout(() => child.exited, 3000, 'the child exits'), 0);
      assert.match(await child.line(/^closed after \d+ ms$/), /^closed after \d+ ms$/);
      assert.match(child.stderr.join(''), 'app.close(): 1 connection still open after 300 ms was closed');
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 10_000),
);

const api = suite('App.close');

api('closes what listen() started, in process; is idempotent; a bad timeout is a ConfigurationError', () =>
  withTimeout(async () => {
    const main = applicationFactory((config) => {
      config.addRoute('home', '/');
      config.addView(() => new Response('home'), { routeName: 'home' });
    });
    const app = await main({});
    assert.is(app.closing, false);
    await app.close(); // nothing listening yet: resolves at once
    const other = await main({});
    const server = await other.listen(0, '127.0.0.1');
    const { port } = server.address() as { port: number };
    assert.is((await rawRequest(`http://127.0.0.1:${port}`, '/')).text, 'home');
    try {
      await other.close({ timeout: -1 });
      assert.unreachable('a negative timeout is refused');
    } catch (error) {
      assert.instance(error, ConfigurationError);
      assert.is((error as ConfigurationError).code, 'TET_ERR_CLOSE_TIMEOUT');
      assert.match((error as Error).message, 'app.close({ timeout: -1 }): the timeout must be a number of milliseconds');
    }
    const first = other.close({ timeout: 1000 });
    assert.is(other.closing, true);
    await Promise.all([first, other.close()]);
    assert.is(server.listening, false);
  }),
);

shutdown.run();
api.run();
