import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findJsReferences, rewriteJs } from '../src/js-rewrite.js';

const MODULE = `import { a } from './a.js';
import 'lit';
import { html } from 'lit/html.js';
export * from "../lib/b.js?v=1";
export { c } from '/absolute.js';
import x from 'https://cdn.example.com/x.js';
const c = await import('./c.js');
const e = import('./' + name);
const img = new URL('img/logo.png', import.meta.url);
const spaced = new URL(
  "./x%20y.png",
  import.meta.url,
);
const other = new URL('img/other.png', base);
const text = "import './not-this.js'; new URL('no.png', import.meta.url)";
// import './comment.js'; new URL('comment.png', import.meta.url)
/* import('./block.js') */
const here = import.meta.url;
//# sourceMappingURL=app.js.map
`;

const find = suite('findJsReferences');

find('finds static imports, re-exports, literal dynamic imports, asset URLs and the source map, resolved from the module', () => {
  assert.equal(
    findJsReferences(MODULE, 'js/app.js').map((ref) => `${ref.kind} ${ref.relativePath}${ref.suffix}`),
    ['import js/a.js', 'import lib/b.js?v=1', 'dynamic-import js/c.js', 'asset-url js/img/logo.png', 'asset-url js/x y.png', 'source-map js/app.js.map'],
  );
});

find('leaves out bare specifiers, absolute paths, external URLs and references leaving the tree', () => {
  const code = "import 'lit'; import 'util.js'; import '/x.js'; import 'https://e.com/y.js'; import '../../out.js';";
  assert.equal(findJsReferences(code, 'js/app.js'), []);
});

find('takes a sourceMappingURL only from a real comment ending the file', () => {
  assert.equal(findJsReferences('const s = `\n//# sourceMappingURL=x.map`', 'a.js'), [], 'inside a template literal');
  assert.equal(findJsReferences('/*\n//# sourceMappingURL=x.map*/', 'a.js'), [], 'inside a block comment');
  assert.equal(findJsReferences('//# sourceMappingURL=x.map\nconsole.log(1)\n', 'a.js'), [], 'not at the end');
  assert.equal(findJsReferences('const a = 1; //# sourceMappingURL=x.map\n', 'a.js'), [], 'after code on its line');
  assert.equal(
    findJsReferences('console.log(1)\n//# sourceMappingURL=x.map\n\n', 'a.js').map((ref) => ref.relativePath),
    ['x.map'],
  );
});

find('reads a file the lexer refuses as having no references', () => {
  assert.equal(findJsReferences("import { from './a.js'", 'a.js'), []);
});

const rewrite = suite('rewriteJs');

rewrite('replaces each reference with the URL the callback gives, keeping every other byte', () => {
  const { code, edits } = rewriteJs(MODULE, 'js/app.js', (ref) => `../h/${ref.relativePath}${ref.suffix}`);
  const expected = MODULE.replace("'./a.js'", '"../h/js/a.js"')
    .replace('"../lib/b.js?v=1"', '"../h/lib/b.js?v=1"')
    .replace("import('./c.js')", 'import("../h/js/c.js")')
    .replace("URL('img/logo.png'", 'URL("../h/js/img/logo.png"')
    .replace('"./x%20y.png"', '"../h/js/x y.png"')
    .replace('sourceMappingURL=app.js.map', 'sourceMappingURL=../h/js/app.js.map');
  assert.is(code, expected);
  assert.is(edits.length, 6);
});

rewrite('leaves a reference alone when the callback returns undefined, and the text identical when it always does', () => {
  assert.is(rewriteJs(MODULE, 'js/app.js', () => undefined).code, MODULE);
  const only = rewriteJs(MODULE, 'js/app.js', (ref) => (ref.kind === 'dynamic-import' ? 'C.js' : undefined));
  assert.is(only.code, MODULE.replace("import('./c.js')", 'import("C.js")'));
});

rewrite('writes a URL with a quote in it as a valid string literal', () => {
  const { code } = rewriteJs("import './a.js'", 'a.js', () => "../h/it's.js");
  assert.is(code, 'import "../h/it\'s.js"');
});

find.run();
rewrite.run();
