// A rolling deploy of two Vite builds (the second changes main.ts, so main's chunk gets a new
// name; the shared chunk keeps its name and bytes), both added to one release archive with the
// real `tet assets build`: each instance answers the other build's hashed files with their own
// bytes, so a page rendered by either works whichever instance its assets reach.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rawRequest, type TestServer, withTimeout } from '@tet/core/testing';
import { type Built, exampleDir, serveExample, viteBuildInto } from './helpers.js';

const tet = fileURLToPath(new URL('../../../../packages/core/bin/tet.js', import.meta.url));

interface Context {
  archive: string;
  a: Built;
  b: Built;
  instanceA: TestServer;
  instanceB: TestServer;
}

const deploy = suite<Context>('vite-app: two builds and one release archive');

function assetsBuild(folder: string, token: string, archive: string): void {
  const result = spawnSync(process.execPath, [tet, 'assets', 'build', folder, '--token', token, '--archive', archive], { cwd: exampleDir, encoding: 'utf8', timeout: 20_000 });
  assert.is(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, `release ${token}:`);
}

deploy.before((context) =>
  withTimeout(
    async () => {
      context.a = await viteBuildInto();
      context.b = await viteBuildInto([{ name: 'release-b', enforce: 'pre', transform: (code, id) => (id.endsWith('/frontend/main.ts') ? code.replace("'main ran'", "'main ran (b)'") : undefined) }]);
      context.archive = mkdtempSync(join(tmpdir(), 'tet-vite-archive-'));
      assetsBuild(context.a.dir, 'a', context.archive);
      assetsBuild(context.b.dir, 'b', context.archive);
      context.instanceA = await serveExample({ 'vite_app.build': context.a.dir, 'vite_app.archive': context.archive });
      context.instanceB = await serveExample({ 'vite_app.build': context.b.dir, 'vite_app.archive': context.archive });
    },
    40_000,
    'two vite builds and tet assets build',
  ),
);
deploy.after(async (context) => {
  await context.instanceA?.close();
  await context.instanceB?.close();
  if (context.archive !== undefined) rmSync(context.archive, { recursive: true, force: true });
});

const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

deploy('the second build changed main’s chunk name and kept the shared chunk’s', ({ a, b }) => {
  assert.is.not(a.manifest['frontend/main.ts']!.file, b.manifest['frontend/main.ts']!.file);
  assert.is(a.manifest['frontend/main.ts']!.imports![0], b.manifest['frontend/main.ts']!.imports![0]);
});

deploy("a page from each instance: every tag's URL, asked of the other instance, is 200 immutable with the bytes its integrity names", ({ instanceA, instanceB }) =>
  withTimeout(async () => {
    for (const [from, to] of [
      [instanceA, instanceB],
      [instanceB, instanceA],
    ] as const) {
      const page = (await rawRequest(from.base, '/')).text;
      const tags = [...page.matchAll(/(?:href|src)="[^"]+?(\/vite\/[^"]+)" integrity="(sha384-[^"]+)"/g)];
      assert.is(tags.length, 4, page);
      for (const [, path, integrity] of tags) {
        const answer = await rawRequest(to.base, path!);
        assert.is(answer.status, 200, path);
        assert.is(answer.headers['cache-control'], 'public, max-age=31536000, immutable', path);
        assert.is(sri(answer.body), integrity, path);
      }
    }
  }),
);

deploy("the other build's dynamic import is served too; it ran the other build's code", ({ a, b, instanceA, instanceB }) =>
  withTimeout(async () => {
    const mainA = await rawRequest(instanceB.base, `/vite/${a.manifest['frontend/main.ts']!.file}`);
    assert.ok(mainA.text.includes('main ran') && !mainA.text.includes('main ran (b)'), mainA.text);
    const mainB = await rawRequest(instanceA.base, `/vite/${b.manifest['frontend/main.ts']!.file}`);
    assert.ok(mainB.text.includes('main ran (b)'), mainB.text);
    const lazy = await rawRequest(instanceB.base, `/vite/${a.manifest['frontend/lazy.ts']!.file}`);
    assert.is(lazy.status, 200);
    const etag = String(mainA.headers.etag);
    assert.is((await rawRequest(instanceB.base, `/vite/${a.manifest['frontend/main.ts']!.file}`, { headers: { 'if-none-match': etag } })).status, 304);
  }),
);

deploy('a hashed name no build in the archive has is still a 503 to retry, never cached', ({ instanceB }) =>
  withTimeout(async () => {
    const answer = await rawRequest(instanceB.base, '/vite/assets/main-NeverBuilt.js');
    assert.is(answer.status, 503);
    assert.is(answer.headers['cache-control'], 'no-store');
  }),
);

deploy('an archive option that is not a directory stops start-up with TET_ERR_STATIC_ARCHIVE', ({ a }) =>
  withTimeout(async () => {
    try {
      await serveExample({ 'vite_app.build': a.dir, 'vite_app.archive': join(a.dir, 'no-such-archive') });
    } catch (error) {
      assert.is((error as { code?: string }).code, 'TET_ERR_STATIC_ARCHIVE');
      assert.match((error as Error).message, "addViteBuild({ name: 'vite'");
      assert.match((error as Error).message, 'is not a directory');
      return;
    }
    assert.unreachable('expected a ConfigurationError');
  }),
);

deploy.run();
