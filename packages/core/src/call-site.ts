import { realpathSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionInfo } from './errors.js';

// A frame's location: `at fn (/path/file.js:1:2)` or `at /path/file.js:1:2` (a file path or
// URL right after the parenthesis or `at `, so `node:internal/...` frames never match).
const FRAME_LOCATION = /(?:\(|^at )((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;
const INSTALLED_TET = /[\\/]node_modules[\\/]@tet[\\/][^\\/]+[\\/](?:src|dist)[\\/]/;
const TET_PACKAGES = ['@tet/core', '@tet/static', '@tet/templating', '@tet/vite'];
const DIST = `dist${sep}`;

// The folders of Tet's packages as this installation has them (real paths, as stack frames
// name files), found by resolving them rather than by folder names, so an application's own
// `packages/core/dist/app.js` is never taken for Tet's.
let tetFolders: readonly string[] | undefined;
function tetPackageFolders(): readonly string[] {
  if (tetFolders === undefined) {
    const found: string[] = [];
    for (const name of TET_PACKAGES) {
      try {
        found.push(dirname(realpathSync(fileURLToPath(import.meta.resolve(`${name}/package.json`)))) + sep);
      } catch {
        // not installed beside @tet/core
      }
    }
    tetFolders = found;
  }
  return tetFolders;
}

// Tet's code in a package folder: its TypeScript (source-mapped frames), dist/src, and the
// bundles (dist/*.js, dist/chunks/); not its tests (dist/test), which call directives as users do.
function isTetCode(file: string): boolean {
  if (INSTALLED_TET.test(file)) return true;
  for (const folder of tetPackageFolders()) {
    if (!file.startsWith(folder)) continue;
    const rest = file.slice(folder.length);
    if (rest.startsWith(`src${sep}`) || rest.startsWith(`${DIST}src${sep}`) || rest.startsWith(`${DIST}chunks${sep}`)) return true;
    return rest.startsWith(DIST) && rest.endsWith('.js') && !rest.slice(DIST.length).includes(sep);
  }
  return false;
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
