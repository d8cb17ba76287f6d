import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Configurator, Response } from '../src/index.js';
import { memoryLogger, startTestServer, withTimeout } from '../src/testing.js';

const BOUNDARY = 'lateBoundary7';

// A request's files are removed after its response, even when that response went out before
// the form was read: a view answered 503 by tet.view_timeout while the client was still uploading.
const Late = suite('Request.form.late-cleanup');

/** Polls until `check` is true or `ms` have passed; answers the last result. */
async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

Late('an upload finished after a view timed out leaves no file in tet.form.upload_dir', () =>
  withTimeout(async () => {
    const uploads = mkdtempSync(join(tmpdir(), 'tet-late-uploads-'));
    const config = new Configurator({ settings: { 'tet.form.upload_dir': uploads, 'tet.view_timeout': 200 } });
    let formsRead = 0;
    config.addRoute('upload', '/upload');
    config.addView(
      async (request) => {
        await request.form();
        formsRead++;
        return new Response('read');
      },
      { routeName: 'upload' },
    );
    const app = await config.makeApp();
    app.registry.logger = memoryLogger();
    const server = await startTestServer(app);
    try {
      const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfirst half `;
      const tail = `second half\r\n--${BOUNDARY}--\r\n`;
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('latin1');
      });
      socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${head.length + tail.length}\r\n\r\n${head}`);
      assert.ok(await eventually(() => answer.includes('\r\n\r\n')), 'the 503 arrives while the upload is unfinished');
      assert.match(answer, /^HTTP\/1\.1 503 /);
      assert.ok(await eventually(() => readdirSync(uploads).length === 1), 'the file is being written');
      socket.write(tail);
      assert.ok(await eventually(() => formsRead === 1), 'the view read the whole form, too late');
      assert.ok(await eventually(() => readdirSync(uploads).length === 0), `left behind: ${readdirSync(uploads).join(', ')}`);
      socket.destroy();
    } finally {
      await server.close();
      rmSync(uploads, { recursive: true, force: true });
    }
  }),
);

Late('a finished callback added after the response was sent still runs', () =>
  withTimeout(async () => {
    const config = new Configurator({ settings: { 'tet.view_timeout': 100 } });
    const ran: string[] = [];
    config.addRoute('slow', '/slow');
    config.addView(
      async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        request.addFinishedCallback(() => {
          ran.push('late');
        });
        return new Response('too late');
      },
      { routeName: 'slow' },
    );
    const app = await config.makeApp();
    app.registry.logger = memoryLogger();
    const server = await startTestServer(app);
    try {
      const res = await fetch(`${server.base}/slow`);
      assert.is(res.status, 503);
      assert.ok(await eventually(() => ran.length === 1), 'the late callback ran');
      assert.equal(ran, ['late']);
    } finally {
      await server.close();
    }
  }),
);

Late.run();
