import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FolderAssets } from './asset-build.js';
import { integrityOf, sha384 } from './content-hash.js';
import { etagOf } from './file-entry.js';
import { runPool } from './pool.js';
import { isSiblingPath, SIBLING_SUFFIXES } from './representations.js';
import { encodePath } from './safe-path.js';

/** What `tet assets verify` found. */
export interface VerifyReport {
  readonly checked: number;
  readonly problems: string[];
}

interface Fetched {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

// A raw GET: fetch() would decompress bodies and hide which encoding the CDN chose.
function get(url: string, headers: Record<string, string>): Promise<Fetched> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { headers, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end();
  });
}

// A precompressed sibling's path without its suffix: the file it is a representation of.
function withoutSiblingSuffix(path: string): string {
  for (const suffix of Object.values(SIBLING_SUFFIXES)) if (path.endsWith(suffix)) return path.slice(0, -suffix.length);
  return path;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'gzip') return gunzipSync(body);
  return body;
}

const ONE_YEAR = 31_536_000;

function cacheProblem(cacheControl: string | undefined): string | undefined {
  const maxAge = Number(/max-age=(\d+)/.exec(cacheControl ?? '')?.[1] ?? -1);
  if (cacheControl === undefined || !/\bimmutable\b/.test(cacheControl) || maxAge < ONE_YEAR || /\b(no-store|no-cache|private)\b/.test(cacheControl)) {
    return `Cache-Control ${JSON.stringify(cacheControl ?? null)}, expected public, max-age>=${ONE_YEAR}, immutable`;
  }
  return undefined;
}

/**
 * Fetches every file of a folder through `base` (a CDN's address of the static view) and
 * compares what comes back with what the application serves: status, bytes, ETag,
 * Cache-Control, and for precompressed files the encoding.
 */
export async function verifyAssets(base: string, assets: FolderAssets, options: { token?: string | undefined; concurrency?: number } = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const trimmed = base.replace(/\/+$/, '');
  // Precompressed siblings are representations of their file, checked through it.
  const paths = Object.keys(assets.files).filter((path) => !(isSiblingPath(path) && assets.files[withoutSiblingSuffix(path)] !== undefined));
  const check = async (path: string) => {
    const file = assets.files[path]!;
    const expected = options.token === undefined ? file.integrity : (file.source ?? file.integrity);
    const url = `${trimmed}/${options.token ?? file.hash}/${encodePath(path)}`;
    try {
      const plain = await get(url, { 'accept-encoding': 'identity' });
      if (plain.status !== 200) return void problems.push(`${path}: ${url} answered ${plain.status}, expected 200`);
      const encoding = plain.headers['content-encoding'] as string | undefined;
      if (encoding !== undefined && encoding !== 'identity') problems.push(`${path}: Content-Encoding ${encoding} although the request accepted only identity`);
      if (integrityOf(sha384(decode(plain.body, encoding))) !== expected) problems.push(`${path}: the content differs from the file (stale or altered)`);
      const etag = etagOf(Buffer.from(expected.slice('sha384-'.length), 'base64'));
      if (plain.headers.etag !== etag) problems.push(`${path}: ETag ${JSON.stringify(plain.headers.etag ?? null)}, expected ${etag}`);
      const cache = cacheProblem(plain.headers['cache-control'] as string | undefined);
      if (cache !== undefined) problems.push(`${path}: ${cache}`);
      if ((options.token === undefined || file.source === undefined) && file.encodings.length > 0) {
        const compressed = await get(url, { 'accept-encoding': 'br, gzip' });
        const chosen = compressed.headers['content-encoding'] as string | undefined;
        if (chosen === undefined || !file.encodings.includes(chosen))
          problems.push(`${path}: Content-Encoding ${JSON.stringify(chosen ?? null)} for 'br, gzip', expected one of ${file.encodings.join(', ')}`);
        else if (integrityOf(sha384(decode(compressed.body, chosen))) !== expected) problems.push(`${path}: the ${chosen} body does not decode to the file`);
        if (!/accept-encoding/i.test(String(compressed.headers.vary ?? ''))) problems.push(`${path}: no 'Vary: Accept-Encoding' on a negotiated response`);
      }
    } catch (error) {
      problems.push(`${path}: ${url} failed: ${(error as Error).message}`);
    }
  };
  await runPool(paths, options.concurrency ?? 8, check);
  return { checked: paths.length, problems: problems.sort() };
}
