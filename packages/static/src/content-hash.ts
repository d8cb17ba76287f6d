import { createHash } from 'node:crypto';

/** Hex characters of a file's SHA-384 used in content-hashed URLs. */
export const HASH_LENGTH = 12;

/**
 * The short content hash that goes into a URL: the first 12 hex digits of the SHA-384.
 * @example
 * shortHash(entry.digest) // '3f9a1c2b4d5e'
 */
export function shortHash(digest: Buffer): string {
  return digest.toString('hex', 0, HASH_LENGTH / 2);
}

/** Subresource Integrity for the bytes with this SHA-384: `sha384-<base64>`. */
export function integrityOf(digest: Buffer): string {
  return `sha384-${digest.toString('base64')}`;
}

/** SHA-384 of some bytes. */
export function sha384(bytes: Uint8Array | string): Buffer {
  return createHash('sha384').update(bytes).digest();
}

/**
 * A deterministic token for a whole tree: a short hash of every relative path and content
 * hash, in sorted order. Every process and host computes the same one from the same files,
 * and a deploy that changes no asset keeps it.
 */
export function treeToken(files: Iterable<{ readonly relativePath: string; readonly digest: Buffer }>): string {
  const lines = [...files].map((file) => `${file.relativePath}\0${file.digest.toString('hex')}\n`).sort();
  return shortHash(sha384(lines.join('')));
}
