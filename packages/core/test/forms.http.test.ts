import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type App, Configurator, HTTPBadRequest, HTTPException, Response, type Settings, TetError } from '../src/index.js';
import { memoryLogger, rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

const BOUNDARY = 'tetBoundary42';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const URLENCODED = 'application/x-www-form-urlencoded';

type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: string };
function multipart(parts: Part[], boundary = BOUNDARY): string {
  let body = '';
  for (const part of parts) {
    body += `--${boundary}\r\n`;
    if ('filename' in part) body += `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n${part.data}\r\n`;
    else body += `Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

interface Ctx {
  app: App;
  server: TestServer;
  errors: unknown[];
  uploads: string;
}

async function makeApp(settings: Settings, errors: unknown[]): Promise<App> {
  const config = new Configurator({ settings });
  config.addRoute('form', '/form');
  config.addView(
    async (request) => {
      try {
        const form = await request.form();
        return Response.json({
          fields: [...form.fields],
          params: [...request.params],
          files: form.files.map((f) => ({
            field: f.fieldName,
            filename: f.filename,
            type: f.contentType,
            size: f.size,
            text: (f.data ?? readFileSync(f.path!)).toString(),
            onDisk: f.path !== undefined,
          })),
        });
      } catch (error) {
        errors.push(error);
        throw error;
      }
    },
    { routeName: 'form' },
  );
  config.addRoute('params', '/params');
  config.addView((request) => Response.json([...request.params]), { routeName: 'params' });
  const app = await config.makeApp();
  app.registry.logger = memoryLogger();
  return app;
}

const LIMITS = { 'tet.form.max_fields': 5, 'tet.form.max_field_size': 100, 'tet.form.max_files': 2, 'tet.form.max_file_size': 1000, 'tet.max_body_size': 2000 };

function setUp(test: ReturnType<typeof suite<Ctx>>, disk: boolean): void {
  test.before(async (ctx) => {
    ctx.errors = [];
    ctx.uploads = mkdtempSync(join(tmpdir(), 'tet-uploads-'));
    ctx.app = await makeApp(disk ? { ...LIMITS, 'tet.form.upload_dir': ctx.uploads } : LIMITS, ctx.errors);
    ctx.server = await startTestServer(ctx.app);
  });
  test.after(async (ctx) => {
    await ctx.server.close();
    rmSync(ctx.uploads, { recursive: true, force: true });
  });
}

// Every case runs over a real socket and through app.inject(), with the same expectations.
async function both(ctx: Ctx, method: 'POST' | 'GET', url: string, type: string | undefined, body: string): Promise<{ status: number; text: string; connection: string | undefined }[]> {
  const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
  const http = await rawRequest(ctx.server.base, url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body });
  const injected = await ctx.app.inject({ method, url, headers, payload: body });
  return [
    { status: http.status, text: http.text, connection: http.headers.connection },
    { status: injected.status, text: injected.text, connection: injected.headers.connection as string | undefined },
  ];
}

const Memory = suite<Ctx>('Request.form');
setUp(Memory, false);

Memory('urlencoded fields, and params merges query and form (query first)', (ctx) =>
  withTimeout(async () => {
    for (const res of await both(ctx, 'POST', '/form?q=1&tag=a', URLENCODED, 'name=Ada+L%C3%B6velace&tag=b&tag=c')) {
      assert.is(res.status, 200);
      const json = JSON.parse(res.text);
      assert.equal(json.fields, [
        ['name', 'Ada Lövelace'],
        ['tag', 'b'],
        ['tag', 'c'],
      ]);
      assert.equal(json.params, [
        ['q', '1'],
        ['tag', 'a'],
        ['name', 'Ada Lövelace'],
        ['tag', 'b'],
        ['tag', 'c'],
      ]);
    }
  }),
);

Memory('multipart fields and files, kept in memory', (ctx) =>
  withTimeout(async () => {
    const body = multipart([
      { name: 'title', value: 'Résumé' },
      { name: 'doc', filename: 'cv.txt', type: 'text/plain', data: 'hello file' },
      { name: 'doc', filename: 'näme.bin', type: 'application/octet-stream', data: '\x01\x02' },
    ]);
    for (const res of await both(ctx, 'POST', '/form', MULTIPART, body)) {
      assert.is(res.status, 200);
      const json = JSON.parse(res.text);
      assert.equal(json.fields, [['title', 'Résumé']]);
      assert.equal(json.files, [
        { field: 'doc', filename: 'cv.txt', type: 'text/plain', size: 10, text: 'hello file', onDisk: false },
        { field: 'doc', filename: 'näme.bin', type: 'application/octet-stream', size: 2, text: '\x01\x02', onDisk: false },
      ]);
    }
  }),
);

Memory('a GET without a body has an empty form; params is the query', (ctx) =>
  withTimeout(async () => {
    for (const res of await both(ctx, 'GET', '/form?x=1', undefined, '')) {
      assert.is(res.status, 200);
      assert.equal(JSON.parse(res.text).params, [['x', '1']]);
    }
  }),
);

Memory('over a limit: 413 with a clear body, and the connection closes', (ctx) =>
  withTimeout(async () => {
    const cases: [string, string, string][] = [
      [URLENCODED, 'a=1&b=2&c=3&d=4&e=5&f=6', 'more than 5 fields (tet.form.max_fields)'],
      [URLENCODED, `big=${'x'.repeat(101)}`, "field 'big' is larger than 100 bytes"],
      [URLENCODED, `a=${'x'.repeat(2001)}`, 'larger than 2000 bytes (tet.max_body_size)'],
      [MULTIPART, multipart(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, value: '1' }))), 'more than 5 fields'],
      [MULTIPART, multipart([{ name: 'big', value: 'y'.repeat(101) }]), "field 'big' is larger than 100 bytes"],
      [MULTIPART, multipart([1, 2, 3].map((n) => ({ name: 'f', filename: `${n}.txt`, type: 'text/plain', data: 'x' }))), 'more than 2 files (tet.form.max_files)'],
      [MULTIPART, multipart([{ name: 'f', filename: 'huge.bin', type: 'application/octet-stream', data: 'z'.repeat(1001) }]), "file 'huge.bin' is larger than 1000 bytes"],
    ];
    for (const [type, body, fragment] of cases) {
      for (const res of await both(ctx, 'POST', '/form', type, body)) {
        assert.is(res.status, 413, fragment);
        assert.match(res.text, '413 Request Entity Too Large');
        assert.match(res.text, fragment);
        assert.is(res.connection, 'close');
      }
    }
  }),
);

Memory('malformed bodies: 400 (415 for a body that is no form), never a crash', (ctx) =>
  withTimeout(async () => {
    const good = multipart([{ name: 'a', value: '1' }]);
    const cases: [string, string, number, string][] = [
      ['multipart/form-data', good, 400, 'Boundary not found'],
      ['multipart/form-data; boundary=other', good, 400, 'Unexpected end of form'],
      [MULTIPART, good.slice(0, good.length - 10), 400, 'Unexpected end of form'],
      [MULTIPART, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nabc`, 400, 'malformed'],
      [MULTIPART, 'garbage', 400, 'Unexpected end of form'],
      ['text/plain', 'a=1', 415, 'not text/plain'],
    ];
    for (const [type, body, status, fragment] of cases) {
      for (const res of await both(ctx, 'POST', '/form', type, body)) {
        assert.is(res.status, status, `${type}: ${res.text}`);
        assert.match(res.text, fragment);
      }
    }
    assert.is((ctx.app.registry.logger as ReturnType<typeof memoryLogger>).errors.length, 0, 'no unhandled errors logged');
  }),
);

Memory('a client that aborts mid-upload gets a 400 recorded and the server keeps serving', (ctx) =>
  withTimeout(async () => {
    for (const type of [MULTIPART, URLENCODED]) {
      ctx.errors.length = 0;
      const socket = connect(ctx.server.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(
        `POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${type === MULTIPART ? 100000 : 1500}\r\n\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nsome bytes`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      for (let i = 0; i < 100 && ctx.errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.instance(ctx.errors[0], HTTPBadRequest);
      assert.match((ctx.errors[0] as Error).message, type === MULTIPART ? 'ended before it was complete' : 'not received completely: the client went away');
    }
    const after = await rawRequest(ctx.server.base, '/params?still=here');
    assert.is(after.text, '[["still","here"]]');
    assert.is((ctx.app.registry.logger as ReturnType<typeof memoryLogger>).errors.length, 0);
  }),
);

// Clients and proxies send a form Content-Type on a GET, or on a POST without a body: no 500.
Memory('request.params is the query for a GET with a form body and for a bodiless form request', (ctx) =>
  withTimeout(async () => {
    const get = await rawRequest(ctx.server.base, '/params?q=1', { method: 'GET', headers: { 'content-type': URLENCODED, 'content-length': '3' }, body: 'a=1' });
    assert.is(get.status, 200);
    assert.is(get.text, '[["q","1"]]');
    const empty = await rawRequest(ctx.server.base, '/params?q=2', { method: 'POST', headers: { 'content-type': MULTIPART } });
    assert.is(empty.status, 200);
    assert.is(empty.text, '[["q","2"]]');
    assert.is((ctx.app.registry.logger as ReturnType<typeof memoryLogger>).errors.length, 0);
  }),
);

Memory('request.params before request.form() on a form request throws TET_ERR_FORM_UNREAD', async (ctx) => {
  const res = await ctx.app.inject({ method: 'POST', url: '/params', headers: { 'content-type': URLENCODED }, payload: 'a=1' });
  assert.is(res.status, 500);
  const logged = (ctx.app.registry.logger as ReturnType<typeof memoryLogger>).errors.pop();
  assert.instance(logged, TetError);
  assert.is((logged as TetError).code, 'TET_ERR_FORM_UNREAD');
});

const Disk = suite<Ctx>('Request.form.disk');
setUp(Disk, true);

Disk('a view sees its uploads on disk (mode 0600) and can keep one by moving it', (ctx) =>
  withTimeout(async () => {
    const kept = join(ctx.uploads, '..', `kept-${process.pid}.txt`);
    const seen: number[] = [];
    const config = new Configurator({ settings: { 'tet.form.upload_dir': ctx.uploads } });
    config.addRoute('keep', '/keep');
    config.addView(
      async (request) => {
        const file = (await request.form()).file('f')!;
        seen.push(statSync(file.path!).mode & 0o777);
        renameSync(file.path!, kept);
        return new Response('kept');
      },
      { routeName: 'keep' },
    );
    const app = await config.makeApp();
    const res = await app.inject({ method: 'POST', url: '/keep', headers: { 'content-type': MULTIPART }, payload: multipart([{ name: 'f', filename: 'k.txt', type: 'text/plain', data: 'keep me' }]) });
    assert.is(res.text, 'kept');
    assert.equal(seen, [0o600]);
    assert.is(readFileSync(kept, 'utf8'), 'keep me');
    rmSync(kept);
    assert.equal(readdirSync(ctx.uploads), []);
  }),
);

Disk('files stream to tet.form.upload_dir, are removed after the response; a failed form leaves no file behind', (ctx) =>
  withTimeout(async () => {
    const body = multipart([{ name: 'f', filename: 'a.txt', type: 'text/plain', data: 'on disk' }]);
    const [res] = await both(ctx, 'POST', '/form', MULTIPART, body);
    assert.equal(JSON.parse(res!.text).files, [{ field: 'f', filename: 'a.txt', type: 'text/plain', size: 7, text: 'on disk', onDisk: true }]);
    // Removed just after the response is sent (a finished callback): wait for it, boundedly.
    for (const deadline = Date.now() + 2000; readdirSync(ctx.uploads).length > 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(readdirSync(ctx.uploads), [], 'removed once the response was sent');
    const tooBig = multipart([
      { name: 'f', filename: 'ok.txt', type: 'text/plain', data: 'fine' },
      { name: 'g', filename: 'huge.bin', type: 'text/plain', data: 'z'.repeat(1001) },
    ]);
    for (const r of await both(ctx, 'POST', '/form', MULTIPART, tooBig)) assert.is(r.status, 413);
    assert.equal(readdirSync(ctx.uploads), [], 'a failed form is answered only once its files are gone');
  }),
);

const Defaults = suite<Ctx>('Request.form.defaults');
setUp(Defaults, false);
Defaults.before(async (ctx) => {
  ctx.app = await makeApp({}, ctx.errors);
  await ctx.server.close();
  ctx.server = await startTestServer(ctx.app);
});

Defaults('huge field counts stop at the default limit of 1000 fields', (ctx) =>
  withTimeout(async () => {
    const urlencoded = Array.from({ length: 100_000 }, (_, i) => `f${i}=1`)
      .join('&')
      .slice(0, 1024 * 1024 - 10);
    const many = multipart(Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}`, value: '1' })));
    for (const [type, body] of [
      [URLENCODED, urlencoded],
      [MULTIPART, many],
    ] as const) {
      for (const res of await both(ctx, 'POST', '/form', type, body)) {
        assert.is(res.status, 413);
        assert.match(res.text, 'more than 1000 fields');
      }
    }
  }),
);

Defaults('a bad form setting is a ConfigurationError naming the setting', async () => {
  const app = await makeApp({ 'tet.form.max_files': 'many' }, []);
  const res = await app.inject({ method: 'POST', url: '/form', headers: { 'content-type': URLENCODED }, payload: 'a=1' });
  assert.is(res.status, 500);
  const logged = (app.registry.logger as ReturnType<typeof memoryLogger>).errors[0] as TetError;
  assert.is(logged.code, 'TET_ERR_FORM_SETTINGS');
  assert.match(logged.message, "'tet.form.max_files' must be a whole number");
  assert.not.instance(logged, HTTPException);
});

Memory.run();
Disk.run();
Defaults.run();
