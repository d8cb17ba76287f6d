// request.viteTags() and request.viteUrl() over HTTP, built and with the dev server, and the
// builds' rows for `tet views`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { configureTestApp, withTimeout } from '@tet/core/testing';
import { tetVite } from '../src/index.js';
import { tagServer, writeBuild } from './fixture.js';

const tags = suite<{ dir: string }>('Vite.viteTags');
tags.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-'));
  writeBuild(context.dir);
});
tags.after((context) => rmSync(context.dir, { recursive: true, force: true }));

tags('an entry CSS file is a stylesheet link with integrity; ./ and / before the entry are the same key', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'static/vite', path: dir }));
    try {
      for (const entry of ['src/print.css', './src/print.css', '/src/print.css']) {
        const text = await (await fetch(`${server.base}/tags?entry=${encodeURIComponent(entry)}`)).text();
        assert.match(text, new RegExp(`^<link rel="stylesheet" href="${server.base}/static/vite/assets/print-JJJJ0000.css" integrity="sha384-[A-Za-z0-9+/]{64}" crossorigin>$`));
      }
    } finally {
      await server.close();
    }
  }),
);

tags('an unknown entry is TET_ERR_VITE_ENTRY naming the entries there are; two builds need { build }', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => {
      config.addViteBuild({ name: 'vite', path: dir });
      config.addViteBuild({ name: 'admin', path: dir });
    });
    try {
      const unknown = await (await fetch(`${server.base}/tags?entry=src/nope.ts&build=vite`)).text();
      assert.ok(unknown.startsWith("TET_ERR_VITE_ENTRY: viteTags('src/nope.ts'): the Vite build 'vite' has no such entry; its entries are src/main.ts, src/admin.ts, src/print.css."), unknown);
      const ambiguous = await (await fetch(`${server.base}/tags?entry=src/main.ts`)).text();
      assert.ok(ambiguous.startsWith('TET_ERR_VITE_ENTRY: viteTags(): the application has 2 Vite builds (vite, admin); say which'), ambiguous);
      const chosen = await (await fetch(`${server.base}/tags?entry=src/main.ts&build=admin`)).text();
      assert.match(chosen, `<script type="module" src="${server.base}/admin/assets/main-AAAA1111.js"`);
      const nobody = await (await fetch(`${server.base}/tags?entry=src/main.ts&build=other`)).text();
      assert.ok(nobody.startsWith("TET_ERR_VITE_ENTRY: viteTags(): no Vite build is named 'other'"), nobody);
    } finally {
      await server.close();
    }
  }),
);

tags('viteUrl(): the built file of a source the manifest lists; an unlisted one is TET_ERR_VITE_ENTRY; a nonce goes on every tag', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'vite', path: dir }));
    const dev = await tagServer((config) => config.addViteBuild({ name: 'vite', path: dir, devServer: 'http://localhost:5173' }));
    try {
      assert.is(await (await fetch(`${server.base}/url?source=./src/print.css`)).text(), `${server.base}/vite/assets/print-JJJJ0000.css`);
      const unknown = await (await fetch(`${server.base}/url?source=src/logo.svg`)).text();
      assert.ok(unknown.startsWith("TET_ERR_VITE_ENTRY: viteUrl('src/logo.svg'): the Vite build 'vite' has no such file in its manifest. Import it"), unknown);
      assert.is(await (await fetch(`${dev.base}/url?source=src/logo.svg`)).text(), 'http://localhost:5173/src/logo.svg');
      const tagged = (await (await fetch(`${server.base}/tags?entry=src/main.ts&nonce=${encodeURIComponent('r4nd"m')}`)).text()).split('\n');
      assert.is(tagged.length, 6);
      for (const tag of tagged) assert.match(tag, / integrity="sha384-[^"]+" crossorigin nonce="r4nd&quot;m">/);
      const devTags = (await (await fetch(`${dev.base}/tags?entry=src/main.ts&nonce=abc`)).text()).split('\n');
      assert.equal(devTags, [
        '<script type="module" src="http://localhost:5173/@vite/client" nonce="abc"></script>',
        '<script type="module" src="http://localhost:5173/src/main.ts" nonce="abc"></script>',
      ]);
    } finally {
      await server.close();
      await dev.close();
    }
  }),
);

tags('an absolute URL as the name (a CDN): the tags point there, integrity included, and Tet serves nothing', ({ dir }) =>
  withTimeout(async () => {
    const server = await tagServer((config) => config.addViteBuild({ name: 'https://cdn.example.com/build/', path: dir }));
    try {
      const text = await (await fetch(`${server.base}/tags?entry=src/main.ts`)).text();
      assert.match(text, /<script type="module" src="https:\/\/cdn\.example\.com\/build\/assets\/main-AAAA1111\.js" integrity="sha384-/);
      assert.is((await fetch(`${server.base}/build/assets/main-AAAA1111.js`)).status, 404);
    } finally {
      await server.close();
    }
  }),
);

tags('the dev server (setting or option): @vite/client and the entry from it, no manifest read, no integrity', () =>
  withTimeout(async () => {
    const fromSetting = await tagServer((config) => config.addViteBuild({ name: 'vite', path: '/nonexistent/dist' }), { 'tet.vite.dev_server': 'http://localhost:5173/' });
    const fromOption = await tagServer((config) => config.addViteBuild({ name: 'vite', path: '/nonexistent/dist', devServer: 'http://[::1]:5174/base' }));
    try {
      assert.is(
        await (await fetch(`${fromSetting.base}/tags?entry=src/main.ts&entry=src/print.css`)).text(),
        '<script type="module" src="http://localhost:5173/@vite/client"></script>\n<script type="module" src="http://localhost:5173/src/main.ts"></script>\n<link rel="stylesheet" href="http://localhost:5173/src/print.css">',
      );
      assert.is(
        await (await fetch(`${fromOption.base}/tags?entry=./src/main.ts`)).text(),
        '<script type="module" src="http://[::1]:5174/base/@vite/client"></script>\n<script type="module" src="http://[::1]:5174/base/src/main.ts"></script>',
      );
    } finally {
      await fromSetting.close();
      await fromOption.close();
    }
  }),
);

const views = suite<{ dir: string }>('Vite.viteBuildsTable');
views.before((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-vite-views-'));
  writeBuild(context.dir);
});
views.after((context) => rmSync(context.dir, { recursive: true, force: true }));

views('tet views lists each build: its prefix, folder and entries, or the dev server', ({ dir }) =>
  withTimeout(async () => {
    const app = await configureTestApp(
      (config) => {
        config.addViteBuild({ name: 'vite', path: dir });
        config.addViteBuild({ name: 'admin', path: '/nonexistent', devServer: 'http://localhost:5173' });
      },
      { package: import.meta.url, include: [tetVite] },
    ).makeApp();
    const table = app.registry.introspectors.map((introspect) => introspect(app.registry)).find((found) => found.title === 'Vite builds');
    assert.equal(table, {
      title: 'Vite builds',
      columns: ['Name', 'Prefix', 'Folder', 'Entries'],
      rows: [
        ['vite', '/vite/', dir, 'src/main.ts, src/admin.ts, src/print.css'],
        ['admin', 'http://localhost:5173', '-', '(the dev server)'],
      ],
    });
  }),
);

tags.run();
views.run();
