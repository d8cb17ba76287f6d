// A build folder written in the shape `vite build` leaves it (the real build is
// examples/vite-app's tests), and servers that answer what the helpers give, for @tet/vite's tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Configurator, Response, type TetError } from '@tet/core';
import { startTestApp } from '@tet/core/testing';
import { tetVite, type ViteManifest } from '../src/index.js';

/** A manifest as Vite writes it: two entries sharing chunks, a dynamic import and a CSS entry. */
export const MANIFEST: ViteManifest = {
  'src/main.ts': { file: 'assets/main-AAAA1111.js', src: 'src/main.ts', isEntry: true, imports: ['_ui-BBBB2222.js'], dynamicImports: ['src/lazy.ts'], css: ['assets/main-CCCC3333.css'] },
  'src/admin.ts': { file: 'assets/admin-DDDD4444.js', src: 'src/admin.ts', isEntry: true, imports: ['_ui-BBBB2222.js', '_util-EEEE5555.js'] },
  '_ui-BBBB2222.js': { file: 'assets/ui-BBBB2222.js', name: 'ui', imports: ['_util-EEEE5555.js'], css: ['assets/ui-FFFF6666.css'] },
  '_util-EEEE5555.js': { file: 'assets/util-EEEE5555.js', name: 'util', css: ['assets/util-GGGG7777.css'] },
  'src/lazy.ts': { file: 'assets/lazy-HHHH8888.js', src: 'src/lazy.ts', isDynamicEntry: true, imports: ['_util-EEEE5555.js'], css: ['assets/lazy-IIII9999.css'] },
  'src/print.css': { file: 'assets/print-JJJJ0000.css', src: 'src/print.css', isEntry: true },
};

/** A build folder as `vite build` leaves it: the files, and the manifest in .vite/. */
export function writeBuild(dir: string, manifest: unknown = MANIFEST, skip: string[] = []): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, '.vite'), { recursive: true });
  for (const chunk of Object.values(MANIFEST)) {
    for (const file of [chunk.file, ...(chunk.css ?? [])]) if (!skip.includes(file)) writeFileSync(join(dir, file), `/* ${file} */\n`);
  }
  writeFileSync(join(dir, '.vite', 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
}

/** A server whose `/tags` view answers the tags for `?entry=` (and `&build=`), or the error's code and message. */
export function tagServer(configure: (config: Configurator) => void, settings = {}) {
  return startTestApp(
    (config) => {
      configure(config);
      config.addRoute('url', '/url');
      config.addView(
        (request) => {
          const query = new URLSearchParams(request.queryString);
          try {
            return new Response(request.viteUrl(query.get('source') ?? ''));
          } catch (error) {
            return new Response(`${(error as TetError).code}: ${(error as Error).message}`, { status: 500 });
          }
        },
        { routeName: 'url' },
      );
      config.addRoute('tags', '/tags');
      config.addView(
        (request) => {
          const entries = new URLSearchParams(request.queryString).getAll('entry');
          const build = new URLSearchParams(request.queryString).get('build') ?? undefined;
          const nonce = new URLSearchParams(request.queryString).get('nonce') ?? undefined;
          try {
            return new Response(request.viteTags(entries.length === 1 ? entries[0]! : entries, { ...(build === undefined ? {} : { build }), ...(nonce === undefined ? {} : { nonce }) }).__html__());
          } catch (error) {
            return new Response(`${(error as TetError).code}: ${(error as Error).message}`, { status: 500 });
          }
        },
        { routeName: 'tags' },
      );
    },
    { package: import.meta.url, include: [tetVite], settings },
  );
}
