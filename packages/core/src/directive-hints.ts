// Which package provides a directive, for the message when it is called without its include.
// Core knows no package's directives: a package lists them in its package.json,
//   "tet": { "include": "tetStatic", "directives": ["addStaticView", "setCachebreaker"] }
// and this looks in the application's package.json and in those of its dependencies. It runs
// only when the error is being built, so reading files costs nothing on the normal path.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface Manifest {
  name?: unknown;
  tet?: { include?: unknown; directives?: unknown };
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}

function readManifest(file: string): Manifest | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Manifest) : undefined;
  } catch {
    return undefined; // a missing or broken manifest only costs the hint
  }
}

function hintIn(manifest: Manifest, directive: string): string | undefined {
  const { include, directives } = manifest.tet ?? {};
  if (typeof manifest.name !== 'string' || typeof include !== 'string' || !Array.isArray(directives) || !directives.includes(directive)) return undefined;
  return `config.include(${include}) from '${manifest.name}'`;
}

/**
 * How to get `directive`, e.g. `config.include(tetStatic) from '@tet/static'`, when the
 * application's package (at `packageRoot`) or one of its dependencies declares it.
 * @example
 * directiveHint('addStaticView', registry.packageRoot) // "config.include(tetStatic) from '@tet/static'"
 */
export function directiveHint(directive: string, packageRoot: string | undefined): string | undefined {
  if (packageRoot === undefined) return undefined;
  const app = readManifest(join(packageRoot, 'package.json'));
  if (app === undefined) return undefined;
  const own = hintIn(app, directive);
  if (own !== undefined) return own;
  const require = createRequire(join(packageRoot, 'package.json'));
  const names = Object.keys({ ...app.dependencies, ...app.devDependencies, ...app.peerDependencies, ...app.optionalDependencies });
  for (const name of names) {
    // The node_modules folders Node would search, not `resolve(name/package.json)`, which a
    // package's `exports` may forbid.
    const folder = (require.resolve.paths(name) ?? []).map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, 'package.json')));
    const manifest = folder === undefined ? undefined : readManifest(join(folder, 'package.json'));
    const hint = manifest === undefined ? undefined : hintIn(manifest, directive);
    if (hint !== undefined) return hint;
  }
  return undefined;
}
