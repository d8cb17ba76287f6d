// What include() and a layout's body are: markup the partial or page escaped already, so
// printing them through `$` or `<%= %>` does not escape them a second time.
import { join } from 'node:path';
import { Configurator } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateEngine } from '../src/engine.js';
import { Markup } from '../src/index.js';
import { fixtureApp, templates } from './helpers.js';

const engine = new TemplateEngine(new Configurator({ package: fixtureApp }).registry, false);
const request = { path: '/here?a=1&b=2' };

const includes = suite('TetEta include() and layout body');

includes('$include(), ${include()} and <%= include() %> print the partial once escaped, and $body prints the page as it is', () => {
  const out = engine.render(join(templates, 'markup/page.eta'), { request });
  const page = [
    '<ul>',
    '<li class="a&amp;b">a&amp;b at /here?a=1&amp;b=2</li>\n',
    '<li class="c">c at /here?a=1&amp;b=2</li>\n',
    '<li class="d">d at /here?a=1&amp;b=2</li>', // Eta drops the line break after its tag
    '</ul>\n',
  ].join('\n');
  assert.is(out, `<main>${page}</main>\n<aside>${page}</aside>\n`);
});

includes('include() returns a Markup inside the template; a string template still escapes strings', () => {
  engine.eta.templatesSync.define('@part', engine.eta.compile('<b>$x</b>'));
  assert.is(engine.eta.renderString('${include("@part", { x: "<i>" })}|${"<i>"}|${include("@part", { x: 1 }) instanceof Object}', {}), '<b>&lt;i&gt;</b>|&lt;i&gt;|true');
  assert.instance(engine.eta.renderPartial('@part', { x: 2 }), Markup);
});

includes.run();
