// Walking Vite's manifest for an entry's CSS, file and preloads, as Vite's backend-integration
// guide orders them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { entryFiles } from '../src/index.js';
import { MANIFEST } from './fixture.js';

const graph = suite('Vite.entryFiles');

graph('an entry: its CSS, then its static imports’ CSS depth first; its file; its static imports as preloads; no dynamic import', () => {
  assert.equal(entryFiles(MANIFEST, ['src/main.ts']), {
    css: ['assets/main-CCCC3333.css', 'assets/ui-FFFF6666.css', 'assets/util-GGGG7777.css'],
    entries: ['assets/main-AAAA1111.js'],
    preloads: ['assets/ui-BBBB2222.js', 'assets/util-EEEE5555.js'],
  });
});

graph('several entries: each file once, and an entry is never also a preload', () => {
  assert.equal(entryFiles(MANIFEST, ['src/admin.ts', 'src/main.ts', 'src/print.css']), {
    css: ['assets/main-CCCC3333.css', 'assets/ui-FFFF6666.css', 'assets/util-GGGG7777.css'],
    entries: ['assets/admin-DDDD4444.js', 'assets/main-AAAA1111.js', 'assets/print-JJJJ0000.css'],
    preloads: ['assets/ui-BBBB2222.js', 'assets/util-EEEE5555.js'],
  });
});

graph.run();
