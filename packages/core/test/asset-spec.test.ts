import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, Configurator, isAssetSpec, resolveAssetSpec } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const specs = suite('resolveAssetSpec');

specs('resolves the application package, an installed package and absolute paths', () => {
  const app = join(fixtures, 'app');
  const config = new Configurator({ package: app });
  assert.is(config.registry.packageName, 'fixture-app');
  assert.is(resolveAssetSpec('fixture-app:static/site.css', config.registry), join(app, 'static', 'site.css'));
  const installed = resolveAssetSpec('fixture-assets:static', config.registry);
  assert.is(installed, join(app, 'node_modules', 'fixture-assets', 'static'), 'found in node_modules despite its exports map');
  const core = new Configurator({ package: fixtures });
  assert.is(core.registry.packageName, '@tet/core');
  assert.is(resolveAssetSpec('/srv/www/../assets', core.registry), '/srv/assets');
  assert.is(resolveAssetSpec('test/fixtures', core.registry), join(core.registry.packageRoot!, 'test', 'fixtures'));
});

specs('tells asset specs from paths', () => {
  assert.ok(isAssetSpec('myapp:static'));
  assert.ok(isAssetSpec('@scope/pkg:static/x.css'));
  assert.not.ok(isAssetSpec('/abs/path'));
  assert.not.ok(isAssetSpec('C:\\abs\\path'));
});

specs('an unknown package is a ConfigurationError naming the spec', () => {
  const config = new Configurator({ package: fixtures });
  try {
    resolveAssetSpec('no-such-package:static', config.registry);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_ASSET_SPEC');
    assert.match((error as Error).message, "Cannot resolve the asset spec 'no-such-package:static'");
    assert.match((error as Error).message, "application's package ('@tet/core')");
  }
});

specs.run();
