// Imports a package as the application sees it: resolved from the project's folder first, so
// `tet` run from a global install still uses the project's own @tet/static.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The package `specifier` names is installed neither in the project nor beside @tet/core. Any
 * other failure (the package throws while loading, or misses a dependency) is not this error.
 * @example
 * catch (error) { if (error instanceof PackageNotInstalledError) console.error(`npm install ${error.packageName}`) }
 */
export class PackageNotInstalledError extends Error {
  override name: string = 'PackageNotInstalledError';
  readonly packageName: string;

  constructor(packageName: string, from: string, options?: ErrorOptions) {
    super(`${packageName} is not installed in ${from} (nor beside @tet/core)`, options);
    this.packageName = packageName;
  }
}

/** `@tet/static` for `@tet/static/cli`, `mime` for `mime/lite`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function code(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

// Node says "Cannot find package 'x' imported from ..." for a bare specifier it cannot find; a
// dependency of x that is missing names that dependency instead, and must not pass for x.
function isMissing(error: unknown, name: string): boolean {
  return code(error) === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).startsWith(`Cannot find package '${name}' `);
}

/**
 * Imports `specifier` resolved from `from` (default: the working directory), else as installed
 * beside @tet/core. Rejects with {@link PackageNotInstalledError} when neither has it, and with
 * the package's own error when it is there but fails to load.
 * @example
 * const { generateCachebreaker } = await importFromProject<typeof import('@tet/static')>('@tet/static')
 */
export async function importFromProject<T>(specifier: string, from: string = process.cwd()): Promise<T> {
  const name = packageNameOf(specifier);
  let resolved: string | undefined;
  try {
    resolved = createRequire(join(from, 'package.json')).resolve(specifier);
  } catch (error) {
    // Not in the project: try beside @tet/core. Anything else (a subpath the installed version
    // does not export) is a broken install, reported as it is.
    if (code(error) !== 'MODULE_NOT_FOUND') throw error;
  }
  if (resolved !== undefined) return (await import(pathToFileURL(resolved).href)) as T;
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    if (isMissing(error, name)) throw new PackageNotInstalledError(name, from, { cause: error });
    throw error;
  }
}
