// The benchmark's Tet application as `tet serve` loads it: `main(settings)`, with the fixture
// folder in the `bench.fixture` setting.
import type { App, Settings } from '@tet/core';
import { openFixture } from '../fixture.js';
import { buildTetApp } from './tet.js';

/**
 * What `[app:main] use` names in the settings file the workers row writes.
 * @example
 * const app = await main({ 'bench.fixture': '/path/to/bench/fixture' })
 */
export function main(settings: Settings): Promise<App> {
  return buildTetApp(openFixture(String(settings['bench.fixture'])));
}
