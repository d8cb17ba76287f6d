// Finds the module whose exported `main` is the application, and loads it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '../app.js';
import { ConfigurationError } from '../errors.js';
import type { Settings } from '../settings.js';

/** Where the application's `main` lives. */
export interface ResolvedApplication {
  readonly module: string;
  readonly exportName: string;
  readonly packageRoot: string;
}

/**
 * `[app:main] use = ./dist/src/app.js`, `use = myapp` (a package, resolved from the settings
 * file's folder) or either with `#name` for an export other than `main`. With no `use`, the
 * entry point (`exports`, else `main`) of the package.json nearest to `from`.
 */
export function resolveApplication(module: string | undefined, use: string | undefined, from: string, where = 'tet serve'): ResolvedApplication {
  if (module !== undefined) return { module: mustExist(module, where), exportName: 'main', packageRoot: packageRootOf(module) };
  if (use !== undefined && use.trim() !== '') {
    const [spec = '', exportName = 'main'] = use.trim().split('#');
    if (spec.startsWith('.') || isAbsolute(spec)) {
      const file = resolve(from, spec);
      return { module: mustExist(file, where), exportName, packageRoot: packageRootOf(file) };
    }
    let file: string;
    try {
      file = createRequire(join(from, 'package.json')).resolve(spec);
    } catch (error) {
      throw new ConfigurationError(`${where}: cannot find the package '${spec}' from ${from}. Install it, or name the module file: use = ./dist/src/app.js`, 'TET_ERR_SERVE_APP', { cause: error });
    }
    return { module: file, exportName, packageRoot: packageRootOf(file) };
  }
  const root = packageRootOf(join(from, 'package.json'));
  const manifestPath = join(root, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new ConfigurationError(`tet serve: no settings file and no package.json in ${from}. Name one: tet serve development.ini, or tet serve dist/src/app.js`, 'TET_ERR_SERVE_APP');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: unknown };
  const entry = entryOf(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : undefined);
  if (entry === undefined) {
    throw new ConfigurationError(
      `${manifestPath}: no "exports" or "main" saying where the application's main is. Add "exports": "./dist/src/app.js", or set use = ./dist/src/app.js in [app:main].`,
      'TET_ERR_SERVE_APP',
    );
  }
  const file = resolve(root, entry);
  return { module: mustExist(file, manifestPath), exportName: 'main', packageRoot: root };
}

/**
 * Imports the module and calls its `main(settings)`; the result must be a Tet App.
 * @example
 * const app = await loadApplication(plan.appModule, plan.exportName, plan.settings)
 */
export async function loadApplication(module: string, exportName: string, settings: Settings): Promise<App> {
  const loaded = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const main = loaded[exportName];
  if (typeof main !== 'function') {
    const found = Object.keys(loaded).join(', ') || 'nothing';
    throw new ConfigurationError(
      `${module}: no exported function '${exportName}' (it exports ${found}). Export the application: export const ${exportName} = applicationFactory((config) => { ... })`,
      'TET_ERR_SERVE_APP',
    );
  }
  const app = (await (main as (settings: Settings) => unknown)(settings)) as App | null;
  if (typeof app?.handler !== 'function' || typeof app.listen !== 'function' || app.registry === undefined) {
    throw new ConfigurationError(`${module}: ${exportName}(settings) did not return a Tet App. Make it with applicationFactory() from @tet/core.`, 'TET_ERR_SERVE_APP');
  }
  return app;
}

function entryOf(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return entryOf(map['.']);
  for (const condition of ['node', 'import', 'default']) {
    const found = entryOf(map[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function mustExist(file: string, where: string): string {
  if (existsSync(file)) return file;
  const hint = file.endsWith('.js') ? ' If it is built from TypeScript, run tsc (or tsc -b) first.' : '';
  throw new ConfigurationError(`${where}: the application module ${file} does not exist.${hint}`, 'TET_ERR_SERVE_APP');
}

function packageRootOf(file: string): string {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(file);
    dir = parent;
  }
}
