// The front-end part of @tet/static: import maps, module tags, early hints (docs/frontend.md).
import { type Configurator, INGRESS } from '@tet/core';
import { earlyHints } from './early-hints.js';
import type { StaticMarkup } from './html.js';
import { type ImportMapPins, type PinAllOptions, pin, pinAll } from './import-map.js';
import { importMap, moduleTags } from './module-tags.js';

declare module '@tet/core' {
  interface Directives {
    /** Pins a bare specifier to a static file for `request.importMap()`: `config.pin('lit', 'myapp:static/vendor/lit.js')`. */
    pin(name: string, spec: string): void;
    /** Pins every module of a folder, named by path: `config.pinAll('myapp:static/controllers', { under: 'controllers' })`. */
    pinAll(folder: string, options?: PinAllOptions): void;
  }
  interface Request {
    /** `<script type="importmap">` with each pin's current URL and integrity. */
    importMap(): StaticMarkup;
    /** `<link rel="modulepreload">` for an entry's static import graph, then its `<script type="module">`. */
    moduleTags(spec: string): StaticMarkup;
  }
  interface Registry {
    /** The import map's pins, set at commit by `pin()` and `pinAll()`. */
    importMapPins?: ImportMapPins;
  }
}

/** Adds the import-map directives, request methods and the `earlyHints` view option (part of `config.include(tetStatic)`). */
export function includeFrontend(config: Configurator): void {
  config.addDirective('pin', pin);
  config.addDirective('pinAll', pinAll);
  config.addRequestMethod('importMap', importMap);
  config.addRequestMethod('moduleTags', moduleTags);
  config.addViewDeriver(earlyHints, { name: 'tet.static.earlyHints', options: ['earlyHints'], under: INGRESS });
}
