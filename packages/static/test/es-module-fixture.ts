// ES modules for content-hashed views' tests: an entry with a static import graph, a cycle,
// a dynamic import, an asset through `new URL(..., import.meta.url)`, a bare specifier (an
// import map resolves it) and a source map; plus a stylesheet with its own source map.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The modules' paths under the static folder. */
export const MODULES = ['js/app.js', 'js/router.js', 'js/views.js', 'js/util.js', 'js/leaf.js', 'js/lazy.js', 'js/sibling.js', 'vendor/lit.js'] as const;

/** The text of `js/leaf.js` saying `word`. */
export const leafSaying = (word: string) => `export const leaf = '${word}';\n`;

const FILES: Record<string, string> = {
  'js/app.js': `import { route } from './router.js';
import { shout } from './util.js';
import { sibling } from './sibling.js';
import { html } from 'lit';
const icon = new URL('../img/icon.svg', import.meta.url);
const { lazy } = await import('./lazy.js');
const iconStatus = (await fetch(icon)).status;
globalThis.result = { route: route('home'), shout: shout(), lazy, sibling, html: html('x'), iconStatus, icon: icon.href };
//# sourceMappingURL=app.js.map
`,
  'js/app.js.map': `${JSON.stringify({ version: 3, file: 'app.js', sources: ['../src/app.ts'], sourcesContent: null, names: [], mappings: 'AAAA' })}\n`,
  'src/app.ts': "import { route } from './router.js';\nconsole.log(route('home'));\n",
  'js/router.js': `import { view } from './views.js';
export function route(name) { return \`route:\${view(name)}\`; }
export const ROUTER = 'router';
`,
  'js/views.js': `import { ROUTER } from './router.js';
export function view(name) { return \`\${name}@\${ROUTER}\`; }
`,
  'js/util.js': "import { leaf } from './leaf.js';\nexport const shout = () => leaf.toUpperCase();\n",
  'js/leaf.js': leafSaying('old leaf'),
  'js/lazy.js': "import { leaf } from './leaf.js';\nexport const lazy = `lazy ${leaf}`;\n",
  'js/sibling.js': "export const sibling = 'sibling';\n",
  'vendor/lit.js': 'export const html = (text) => `<lit>${text}</lit>`;\n',
  'css/mapped.css': '.a { color: red }\n/*# sourceMappingURL=mapped.css.map */\n',
  'css/mapped.css.map': `${JSON.stringify({ version: 3, sources: ['mapped.scss'], names: [], mappings: 'AAAA' })}\n`,
  'css/mapped.scss': '.a { color: red }\n',
};

/** Writes the modules into a static folder. */
export function addModules(staticDir: string): void {
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(staticDir, path)), { recursive: true });
    writeFileSync(join(staticDir, path), text);
  }
}
