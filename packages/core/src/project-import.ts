// Imports a package as the application sees it: resolved from the project's folder first, so
// `tet` run from a global install still uses the project's own @tet/static.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports `specifier` resolved from `from` (default: the working directory), else as installed
 * beside @tet/core.
 * @example
 * const { generateCachebreaker } = await importFromProject<typeof import('@tet/static')>('@tet/static')
 */
export async function importFromProject<T>(specifier: string, from: string = process.cwd()): Promise<T> {
  try {
    const resolved = createRequire(join(from, 'package.json')).resolve(specifier);
    return (await import(pathToFileURL(resolved).href)) as T;
  } catch {
    return (await import(specifier)) as T;
  }
}
