import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from './errors.js';
import type { Registry } from './registry.js';

/** A package's name and the directory that holds its package.json. */
export interface PackageLocation {
  readonly name: string | undefined;
  readonly root: string;
}

/** Walks up from `start` (a file or directory) to the nearest package.json. */
export function findPackage(start: string): PackageLocation | undefined {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        return { name: typeof name === 'string' ? name : undefined, root: dir };
      } catch {
        return { name: undefined, root: dir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** True for `package:path` asset specs, false for absolute paths. */
export function isAssetSpec(spec: string): boolean {
  return !isAbsolute(spec) && !WINDOWS_ABSOLUTE.test(spec) && spec.includes(':');
}

// Installed packages are found by walking node_modules ourselves, because a package's
// "exports" map may hide its package.json from require.resolve.
function locateInstalledPackage(name: string, from: string): string | undefined {
  const require = createRequire(join(from, 'package.json'));
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

const packageRootCache = new WeakMap<Registry, Map<string, string>>();

/**
 * Resolves a Pyramid-style asset spec (`myapp:static/style.css`) or an absolute path to
 * an absolute filesystem path. The package is the application's own (its package.json
 * name) or an installed npm package; a spec without a package is relative to the application.
 * @example
 * resolveAssetSpec('myapp:templates/index.eta', config.registry)
 */
export function resolveAssetSpec(spec: string, registry: Registry): string {
  if (!isAssetSpec(spec)) {
    if (isAbsolute(spec) || WINDOWS_ABSOLUTE.test(spec)) return resolve(spec);
    if (registry.packageRoot === undefined) {
      throw new ConfigurationError(
        `Cannot resolve the relative asset path '${spec}': the application's package is unknown. ` + `Use an asset spec such as 'myapp:${spec}' or an absolute path.`,
        'TET_ERR_ASSET_SPEC',
      );
    }
    return resolve(registry.packageRoot, spec);
  }
  const colon = spec.indexOf(':');
  const packageName = spec.slice(0, colon);
  const relative = spec.slice(colon + 1);
  return join(packageRootOf(packageName, registry, spec), relative);
}

function packageRootOf(packageName: string, registry: Registry, spec: string): string {
  if (packageName === registry.packageName && registry.packageRoot !== undefined) return registry.packageRoot;
  let cache = packageRootCache.get(registry);
  if (cache === undefined) packageRootCache.set(registry, (cache = new Map()));
  const cached = cache.get(packageName);
  if (cached !== undefined) return cached;
  const found = locateInstalledPackage(packageName, registry.packageRoot ?? process.cwd());
  if (found === undefined) {
    const own = registry.packageName === undefined ? 'unknown' : `'${registry.packageName}'`;
    throw new ConfigurationError(
      `Cannot resolve the asset spec '${spec}': '${packageName}' is neither the application's package (${own}) ` +
        `nor an installed npm package. Check the package name in the spec, or pass an absolute path.`,
      'TET_ERR_ASSET_SPEC',
    );
  }
  cache.set(packageName, found);
  return found;
}
