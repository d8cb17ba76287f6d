// The start-up walk of a static folder: what may be indexed. Hidden things are never found, so
// they can never be served, and a symlink is followed only while it stays inside the root.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { isServableTarget } from './safe-path.js';

const isHidden = (name: string) => name.charCodeAt(0) === 46;

/**
 * Every regular file under `realRoot` (a real path) that may be indexed, as [canonical relative
 * path, real path]: no dotfile or dot-directory, no symlink that leaves the root or leads to
 * something hidden, no loop. Errors reading a folder are thrown, with its path.
 * @example
 * walkFolder('/srv/app/static') // [['css/site.css', '/srv/app/static/css/site.css'], ...]
 */
export function walkFolder(realRoot: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  walk(realRoot, realRoot, '', [realRoot], found);
  return found;
}

// `ancestors` are the real folders on the way here: a symlink back to one of them is a loop.
// Synchronous: nothing else runs while a view starts, and one pass of syscalls is quicker
// than a thread-pool round trip for each folder and link.
function walk(realRoot: string, dir: string, prefix: string, ancestors: readonly string[], found: Array<[string, string]>): void {
  // `dir` is a real path and a name has no separator, so a concatenation is the join (path.join
  // normalising each of a thousand paths was half of the walk's time in --cpu-prof).
  const base = dir.endsWith(sep) ? dir : dir + sep;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (isHidden(entry.name)) continue;
    const relativePath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    let real = base + entry.name;
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A symlink is followed only while it stays inside the root, to nothing hidden.
      try {
        real = realpathSync(real);
        const target = statSync(real);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue;
      }
      if (!isServableTarget(realRoot, real)) continue;
    }
    if (isDirectory) {
      if (ancestors.includes(real)) continue;
      walk(realRoot, real, relativePath, [...ancestors, real], found);
    } else if (isFile) {
      found.push([relativePath, real]);
    }
  }
}
