import { statSync } from 'node:fs';
import { asBool, ConfigurationError, isAssetSpec, type Registry, type RendererFactory, type Request, resolveAssetSpec } from '@tet/core';
import type { TemplateEngine } from './engine.js';
import { TemplateError } from './errors.js';

type EngineModule = typeof import('./engine.js');

// Eta and Tet's template compiler (engine.js and what it imports, about half of this package)
// are loaded on the first render rather than at start-up, which they slowed by 2–3 ms: a
// server answers its first requests (static files, a health check) without them.
let engineModule: EngineModule | undefined;
let loadingEngine: Promise<EngineModule> | undefined;
function loadEngine(): Promise<EngineModule> {
  loadingEngine ??= import('./engine.js').then((loaded) => {
    engineModule = loaded;
    return loaded;
  });
  return loadingEngine;
}

// One engine (compiled-template cache) per application, keyed by its registry, so two
// applications in one process never share templates or settings.
const engines = new WeakMap<Registry, TemplateEngine>();

function engineFor(registry: Registry, loaded: EngineModule): TemplateEngine {
  let engine = engines.get(registry);
  if (engine === undefined) {
    engine = new loaded.TemplateEngine(registry, asBool(registry.settings['tet.reload_templates']));
    engines.set(registry, engine);
  }
  return engine;
}

/**
 * The template's top-level names: the view's object over the renderer globals
 * (`config.addRendererGlobals`, BeforeRender subscribers), over `request`.
 */
function templateData(value: unknown, request: Request, name: string, globals: Readonly<Record<string, unknown>>): object {
  if (value === undefined || value === null) return { request, ...globals };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateError(
      `the view rendered with '${name}' returned ${Array.isArray(value) ? 'an array' : typeof value}; ` +
        "return an object instead (its keys become the template's names), e.g. return { title: 'Home' }",
      { code: 'TET_ERR_TEMPLATE_VALUE' },
    );
  }
  return { request, ...globals, ...value };
}

/**
 * The renderer factory for Eta template files; `config.include(tetTemplating)` registers it
 * for `.eta`. Register it for another extension with `config.addRenderer('.html', templateRenderer)`.
 * The file must exist at commit; it is compiled on first render and cached.
 * @example
 * config.addRenderer('.html', templateRenderer)
 */
export const templateRenderer: RendererFactory = ({ name, registry }) => {
  const file = resolveAssetSpec(name, registry);
  if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) {
    const relativeTo = isAssetSpec(name) ? ` (the part after ':' is relative to the root of package '${name.slice(0, name.indexOf(':'))}')` : '';
    throw new ConfigurationError(`Template '${name}' not found: ${file} is not a file. Check the renderer's path${relativeTo}.`, 'TET_ERR_TEMPLATE_NOT_FOUND');
  }
  return (value, { request, response, globals }) => {
    response.headers['content-type'] ??= 'text/html; charset=utf-8';
    const data = templateData(value, request, name, globals);
    // Synchronous once the engine is loaded; the first render waits for it.
    if (engineModule !== undefined) return engineFor(registry, engineModule).render(file, data);
    return loadEngine().then((loaded) => engineFor(registry, loaded).render(file, data));
  };
};
