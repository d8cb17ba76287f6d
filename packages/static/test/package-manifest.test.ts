// The "tet" field of @tet/static's package.json names its directives, so core can tell a user
// who calls one without `config.include(tetStatic)` what to include: it must list exactly the
// directives tetStatic adds.
import { readFileSync } from 'node:fs';
import { ConfigurationError, Configurator } from '@tet/core';
import { thrown } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tetStatic } from '../src/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { tet: { include: string; directives: string[] } };

const hints = suite('@tet/static package.json tet.directives');

hints('lists exactly the directives tetStatic adds', () => {
  const config = new Configurator({ package: new URL('../../', import.meta.url) });
  config.include(tetStatic);
  // The unknown-directive message lists the directives added so far.
  const error = thrown(() => (config as unknown as Record<string, () => void>).noSuchDirective!());
  assert.instance(error, ConfigurationError);
  const added = /Directives added so far: (.*)\.$/.exec(error.message)?.[1]?.split(', ');
  assert.equal([...(added ?? [])].sort(), [...manifest.tet.directives].sort());
  assert.is(manifest.tet.include, 'tetStatic');
});

hints('each listed directive, called without the include, names config.include(tetStatic)', () => {
  for (const name of manifest.tet.directives) {
    const config = new Configurator({ package: new URL('../../', import.meta.url) });
    const error = thrown(() => (config as unknown as Record<string, () => void>)[name]!());
    assert.match(error.message, `Unknown directive '${name}'`);
    assert.match(error.message, "Did you forget config.include(tetStatic) from '@tet/static'?");
  }
});

hints.run();
