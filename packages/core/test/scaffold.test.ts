import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packageNameFor } from '../src/scaffold.js';
import { withTimeout } from '../src/testing.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/tet.js', import.meta.url));
// Inside the repository, so the new app resolves @tet/*, typescript and uvu from the workspace.
const work = join(repo, 'test-output', 'scaffold');

function tet(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}

const scaffold = suite('tet new');
scaffold.before(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
});
scaffold.after(() => rmSync(work, { recursive: true, force: true }));

scaffold('names the package after the folder', () => {
  assert.is(packageNameFor('/tmp/My Shop'), 'my-shop');
  assert.is(packageNameFor('blog_2'), 'blog_2');
  assert.throws(() => packageNameFor('/tmp/@@@'), /cannot make a package name/);
});

scaffold('creates an app that builds against the workspace, starts, and serves its page and a cache-broken asset', () =>
  withTimeout(async () => {
    const result = tet(['new', 'shop-app'], work);
    assert.is(result.status, 0, result.stderr);
    assert.match(result.stdout, 'Created shop-app');
    const dir = join(work, 'shop-app');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    assert.is(manifest.name, 'shop-app');
    // From a checkout, the packages are not on the registry yet: the app depends on the checkout.
    assert.equal(manifest.dependencies, { '@tet/core': 'file:../../../packages/core', '@tet/static': 'file:../../../packages/static', '@tet/templating': 'file:../../../packages/templating' });
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), 'npm install && npm start');
    assert.match(readFileSync(join(dir, 'src', 'app.ts'), 'utf8'), "path: 'shop-app:static'");

    const build = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    assert.is(build.status, 0, build.stdout + build.stderr);

    const server = spawn(process.execPath, [join(dir, 'dist', 'src', 'server.js')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      while (!output.includes('serving on')) {
        if (server.exitCode !== null) throw new Error(output);
        await once(server.stdout, 'data');
      }
      assert.match(output, 'shop-app: serving on');
      const port = /localhost:(\d+)/.exec(output)![1];
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      const asset = /href="(http:[^"]+\/static\/\d+\/style\.css)"/.exec(page)?.[1];
      assert.ok(asset !== undefined, 'the page links a cache-broken stylesheet');
      const res = await fetch(asset!);
      assert.is(res.status, 200);
      assert.is(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const status = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as { app: string };
      assert.is(status.app, 'shop-app');
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
    }
  }, 60_000),
);

scaffold('a new app starts as the example does: npm start is tet serve development.ini, which serves its page', () =>
  withTimeout(async () => {
    assert.is(tet(['new', 'served-app'], work).status, 0);
    const dir = join(work, 'served-app');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.is(manifest.scripts.start, 'tsc -p . && exec tet serve development.ini');
    assert.match(readFileSync(join(dir, 'development.ini'), 'utf8'), /^served-app\.session_secret = /m);
    assert.match(readFileSync(join(dir, 'production.ini'), 'utf8'), '[app:main]');
    const build = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    assert.is(build.status, 0, build.stdout + build.stderr);
    const server = spawn(process.execPath, [cli, 'serve', 'development.ini', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      while (!/localhost:\d+/.test(output)) {
        if (server.exitCode !== null) throw new Error(output);
        await once(server.stdout, 'data');
      }
      const port = /localhost:(\d+)/.exec(output)![1];
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.is(page.status, 200);
      assert.match(await page.text(), /\/static\/\d+\/style\.css/);
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
    }
  }, 60_000),
);

scaffold('refuses a folder that is not empty, and writes nothing', () => {
  const dir = join(work, 'occupied');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const result = tet(['new', 'occupied'], work);
  assert.is(result.status, 1);
  assert.match(result.stderr, 'is not empty; choose a new or empty folder (nothing was written)');
  assert.equal(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim(), 'notes.txt');
});

scaffold('without a folder it prints its usage', () => {
  const result = tet(['new'], work);
  assert.is(result.status, 2);
  assert.match(result.stderr, 'Usage: tet new <folder>');
});

scaffold.run();
