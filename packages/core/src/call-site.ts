import { fileURLToPath } from 'node:url';
import type { ActionInfo } from './errors.js';

// Frames inside Tet's own packages are skipped so the location is the user's call, whether we
// run from the workspace (packages/x/src, dist/src, or the bundle in dist/) or from node_modules.
const INTERNAL_FRAME = /[\\/](?:packages[\\/](?:core|static|templating|vite)|node_modules[\\/]@tet[\\/][^\\/]+)[\\/](?:(?:dist[\\/])?src[\\/]|dist[\\/](?:chunks[\\/])?[^\\/]+\.js)/;
const FRAME_LOCATION = /\(?((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;

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
    if (INTERNAL_FRAME.test(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return UNKNOWN;
}
