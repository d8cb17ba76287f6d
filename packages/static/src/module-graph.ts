import { shortHash, sha384 } from './content-hash.js';

/** A file as the graph sees it once its URL hash is known. */
export interface HashedFile {
  /** The short hash in its URL. */
  readonly hash: string;
  /** What is served: its SHA-384 is of the rewritten text. */
  readonly entry: { readonly digest: Buffer };
}

/** What {@link hashGraph} asks of the files it walks. */
export interface GraphHost<F extends HashedFile> {
  /** A file already built (its hash final), or undefined. */
  done(path: string): F | undefined;
  /** True when the path is a file of the tree. */
  exists(path: string): boolean;
  /** The files of the tree this file refers to (other than itself). */
  references(path: string): readonly string[];
  /**
   * Builds the served form of a file. `hashOf(target)` is the final hash of a file it refers
   * to, or undefined for a file of its own cycle: a relative reference between two files
   * that share a hash already resolves under that hash, so it stays as it is.
   */
  build(path: string, hashOf: (target: string) => string | undefined): F;
  /** Records a built file; `hash` overrides its own for the files of a cycle. */
  store(path: string, file: F, hash: string): void;
}

/**
 * Builds `start` and everything it refers to (directly or not) that is not built yet, leaves
 * first, so each file's hash is computed from its rewritten text: editing a leaf changes the
 * URL of every file that imports it and of nothing else. The files of one strongly connected
 * component (an import cycle) share a hash computed over all of them (Tarjan's algorithm,
 * iterative so a long chain of modules cannot overflow the stack).
 * @example
 * hashGraph('app.js', host) // builds util.js, then app.js, and stores both
 */
export function hashGraph<F extends HashedFile>(start: string, host: GraphHost<F>): void {
  if (host.done(start) !== undefined || !host.exists(start)) return;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const frames: Array<{ path: string; targets: readonly string[]; next: number }> = [];
  const enter = (path: string) => {
    order.set(path, order.size);
    low.set(path, order.size - 1);
    stack.push(path);
    onStack.add(path);
    frames.push({ path, targets: host.references(path).filter((target) => target !== path && host.exists(target)), next: 0 });
  };
  enter(start);
  while (frames.length > 0) {
    const frame = frames.at(-1)!;
    if (frame.next < frame.targets.length) {
      const target = frame.targets[frame.next++]!;
      if (host.done(target) !== undefined) continue;
      if (!order.has(target)) enter(target);
      else if (onStack.has(target)) low.set(frame.path, Math.min(low.get(frame.path)!, order.get(target)!));
      continue;
    }
    frames.pop();
    const parent = frames.at(-1);
    if (parent !== undefined) low.set(parent.path, Math.min(low.get(parent.path)!, low.get(frame.path)!));
    if (low.get(frame.path) !== order.get(frame.path)) continue;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== frame.path);
    buildComponent(members, host);
  }
}

// Every file a component refers to outside itself is built already: Tarjan completes a
// component only after all the components it reaches.
function buildComponent<F extends HashedFile>(members: string[], host: GraphHost<F>): void {
  const inside = new Set(members);
  const hashOf = (target: string) => (inside.has(target) ? undefined : host.done(target)?.hash);
  if (members.length === 1) {
    const file = host.build(members[0]!, hashOf);
    host.store(members[0]!, file, file.hash);
    return;
  }
  const built = members.sort().map((path) => [path, host.build(path, hashOf)] as const);
  const shared = shortHash(sha384(built.map(([path, file]) => `${path}\0${file.entry.digest.toString('hex')}\n`).join('')));
  for (const [path, file] of built) host.store(path, file, shared);
}
