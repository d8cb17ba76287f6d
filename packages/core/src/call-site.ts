import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionInfo } from './errors.js';

// A frame's location: `at fn (/path/file.js:1:2)` or `at /path/file.js:1:2` (a file path or
// URL right after the parenthesis or `at `, so `node:internal/...` frames never match).
const FRAME_LOCATION = /(?:\(|^at )((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;
const INSTALLED_TET = /[\\/]node_modules[\\/]@tet[\\/][^\\/]+[\\/](?:src|dist)[\\/]/;
const DIST = `dist${sep}`;

// A file is in one of Tet's packages when its package (the nearest package.json, as Node
// scopes a module) is named @tet/…: an application's own `packages/core/dist/app.js` is the
// application's. Read once per folder; resolving each of Tet's packages by name instead cost
// a millisecond or two of every start-up (docs/benchmarks.md, "Cold start").
const tetRoots = new Map<string, string | null>();
function tetPackageRoot(folder: string): string | null {
  const known = tetRoots.get(folder);
  if (known !== undefined) return known;
  let root: string | null;
  const manifest = readManifest(join(folder, 'package.json'));
  if (manifest !== undefined) root = isTetPackage(manifest) ? folder + sep : null;
  else root = dirname(folder) === folder ? null : tetPackageRoot(dirname(folder));
  tetRoots.set(folder, root);
  return root;
}

// Most folders have none: asked first, as a thrown ENOENT costs more than the question.
function readManifest(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isTetPackage(manifest: string): boolean {
  try {
    const { name } = JSON.parse(manifest) as { name?: unknown };
    return typeof name === 'string' && name.startsWith('@tet/');
  } catch {
    return false;
  }
}

// Tet's code in a package folder: its TypeScript (source-mapped frames), dist/src, and the
// bundles (dist/*.js, dist/chunks/); not its tests (dist/test), which call directives as users do.
function isTetCode(file: string): boolean {
  if (INSTALLED_TET.test(file)) return true;
  const root = tetPackageRoot(dirname(file));
  if (root === null) return false;
  const rest = file.slice(root.length);
  if (rest.startsWith(`src${sep}`) || rest.startsWith(`${DIST}src${sep}`) || rest.startsWith(`${DIST}chunks${sep}`)) return true;
  return rest.startsWith(DIST) && rest.endsWith('.js') && !rest.slice(DIST.length).includes(sep);
}

const UNKNOWN: ActionInfo = Object.freeze({ file: '<unknown>', line: 0, column: 0 });

/**
 * The first stack frame outside Tet's packages: where the user called a directive.
 * With `--enable-source-maps` the location points into the TypeScript source.
 */
export function captureCallSite(): ActionInfo {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, captureCallSite);
  Error.stackTraceLimit = limit;
  const lines = (holder.stack ?? '').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME_LOCATION.exec(lines[i]!.trim());
    if (match === null) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (isTetCode(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return UNKNOWN;
}
