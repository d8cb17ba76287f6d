import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findCssReferences, rewriteCss } from '../src/index.js';

const css = suite('stylesheet references');

const SHEET = `@import "base.css";
@import url('theme/dark.css') screen;
/* url(commented.png) is a comment */
.a { background: url(../img/logo.png) no-repeat, url( "../img/a b.png" ); content: "url(not-this.png)"; }
@font-face { src: url(../fonts/x.woff2?#iefix) format("woff2"), url(data:font/woff;base64,AAA=) }
.b { background-image: image-set("../img/x.png" 1x, url(../img/y.png) 2x) }
.c { background: url(https://cdn.example.com/z.png), url(//cdn.example.com/z.png), url(/absolute.png), url(#frag) }
.d { background: url(../../outside.png) }
`;

css('finds url(), @import and image-set() references, resolved from the stylesheet', () => {
  const found = findCssReferences(SHEET, 'css/site.css').map((ref) => ref.relativePath + ref.suffix);
  assert.equal(found, ['css/base.css', 'css/theme/dark.css', 'img/logo.png', 'img/a b.png', 'fonts/x.woff2?#iefix', 'img/x.png', 'img/y.png']);
});

css('rewrites only what the callback maps, keeping every other byte', () => {
  const out = rewriteCss(SHEET, 'css/site.css', (ref) => (ref.relativePath === 'img/logo.png' ? '../../h1/img/logo.png' : ref.relativePath === 'css/base.css' ? 'b(1).css' : undefined));
  assert.is(out, SHEET.replace('url(../img/logo.png)', 'url("../../h1/img/logo.png")').replace('"base.css"', '"b(1).css"'));
  assert.is(
    rewriteCss(SHEET, 'css/site.css', () => undefined),
    SHEET,
  );
});

css('finds and rewrites a final sourceMappingURL comment, and only that one', () => {
  const sheet = '/*# sourceMappingURL=early.css.map */\n.a { content: "/*# sourceMappingURL=no.map */" }\n/*# sourceMappingURL=site.css.map */\n';
  assert.equal(
    findCssReferences(sheet, 'css/site.css').map((ref) => ref.relativePath),
    ['css/site.css.map'],
  );
  assert.is(
    rewriteCss(sheet, 'css/site.css', () => '../h/css/site.css.map'),
    sheet.replace('/*# sourceMappingURL=site.css.map */', '/*# sourceMappingURL=../h/css/site.css.map */'),
  );
  assert.equal(findCssReferences('/*# sourceMappingURL=a.map */\n.a {}', 'a.css'), [], 'not at the end');
});

css.run();
