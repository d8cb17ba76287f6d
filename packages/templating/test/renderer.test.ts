// What the renderer checks when the configuration is committed.
import { thrown } from '@tet/core/testing';
import { join } from 'node:path';
import { ConfigurationError, Configurator } from '@tet/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tetTemplating } from '../src/index.js';
import { APP, fixtureApp } from './helpers.js';

const commit = suite('templateRenderer at commit');

function commitWith(renderer: string): Error {
  const config = new Configurator({ package: fixtureApp });
  config.include(tetTemplating);
  config.addRoute('home', '/');
  config.addView(() => ({}), { routeName: 'home', renderer });
  return thrown(() => config.commit());
}

commit('a template file that does not exist stops the commit, naming the spec, the path and the call', () => {
  const error = commitWith(`${APP}:templates/nope.eta`);
  assert.instance(error, ConfigurationError);
  assert.is((error as ConfigurationError).code, 'TET_ERR_TEMPLATE_NOT_FOUND');
  assert.match(
    error.message,
    `Template '${APP}:templates/nope.eta' not found: ${join(fixtureApp, 'templates', 'nope.eta')} is not a file. ` +
      `Check the renderer's path (the part after ':' is relative to the root of package '${APP}').`,
  );
  assert.match(error.message, /\(declared at .*renderer\.test\.[jt]s:\d+:\d+\)/);
});

commit('an existing template commits, and including tetTemplating twice is harmless', () => {
  const config = new Configurator({ package: fixtureApp });
  config.include(tetTemplating);
  config.include({ includeme: tetTemplating });
  config.addRoute('home', '/');
  config.addView(() => ({}), { routeName: 'home', renderer: `${APP}:templates/plain.eta` });
  assert.is(config.commit(), undefined);
  assert.ok(config.registry.routes.get('home') !== undefined);
});

commit.run();
