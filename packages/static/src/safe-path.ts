import { relative, sep } from 'node:path';

/**
 * Turns the raw (still percent-encoded) part of a request path below a static view's prefix
 * into the canonical relative path of a file, or null. Decodes each segment exactly once and
 * refuses anything a file lookup could interpret differently from the router: empty, `.` or
 * `..` segments (`//`, `/./`), dotfiles, encoded separators (`%2F`, `%5C`), NUL, backslashes.
 * Because the result is only ever a key into the view's file index, nothing outside the
 * index (and so outside the root) can be reached whatever the input.
 * @example
 * canonicalPath('css/site%20main.css') // 'css/site main.css'
 * canonicalPath('css/..%2Fsecret')     // null
 */
export function canonicalPath(raw: string, maxLength = 1024): string | null {
  if (raw.length === 0 || raw.length > maxLength) return null;
  if (raw.indexOf('%') === -1) return plainPath(raw);
  const segments = raw.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (/%(?:2f|5c|00)/i.test(segment)) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (!isSafeSegment(decoded)) return null;
    segments[i] = decoded;
  }
  return segments.join('/');
}

function isSafeSegment(segment: string): boolean {
  return segment.length > 0 && segment.charCodeAt(0) !== 46 /* . */ && !segment.includes('\\') && !segment.includes('\0') && !segment.includes('/');
}

// The common case, nothing encoded: a single scan, no allocation.
function plainPath(raw: string): string | null {
  let segmentStart = 0;
  for (let i = 0; i <= raw.length; i++) {
    const code = i === raw.length ? 47 : raw.charCodeAt(i);
    if (code === 47 /* / */) {
      if (i === segmentStart || raw.charCodeAt(segmentStart) === 46 /* . */) return null;
      segmentStart = i + 1;
    } else if (code === 92 /* \ */ || code === 0) {
      return null;
    }
  }
  return raw;
}

// What encodeURIComponent leaves as it is, and the separator.
const NEEDS_NO_ENCODING = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/** Encodes a canonical relative path for a URL, one segment at a time. */
export function encodePath(relative: string): string {
  if (NEEDS_NO_ENCODING.test(relative)) return relative; // the usual case: skip the split and join
  return relative.split('/').map(encodeURIComponent).join('/');
}

/** True when `path` is `root` or inside it (both absolute, normalised). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * True when a resolved (real) path may be served from `realRoot`: inside it, and with no
 * hidden segment below it. A symlink inside the root to a dotfile (`env.txt -> .env`), or into
 * a dot-directory, is refused like the dotfile itself.
 */
export function isServableTarget(realRoot: string, realPath: string): boolean {
  if (realPath === realRoot || !isInside(realRoot, realPath)) return false;
  for (const segment of relative(realRoot, realPath).split(sep)) if (segment.charCodeAt(0) === 46 /* . */) return false;
  return true;
}
