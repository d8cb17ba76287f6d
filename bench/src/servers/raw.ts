// The ceiling: plain node:http answering from a Map of ready-made responses (read and hashed
// at start-up) with exactly the bytes Tet sends for the same request (the same headers in the
// same order, the same ETag formula, the same 404 and 301 bodies), a 304 on a matching
// If-None-Match, and nothing else: no routing, no decoding, no checks. No framework can send
// the same answers doing less per request, so Tet's distance to it is its overhead; the
// pre-flight's answer-shape table shows the two agree.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import type { Fixture } from '../fixture.js';
import { CACHE_SECONDS, expectedPage, FILES, OLD_TOKEN, TOKEN } from '../site.js';
import { listen } from './listen.js';

interface Entry {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  /** Files as bytes; text (the page) as a string, which goes out with its head in one write. */
  readonly body: Buffer | string | undefined;
  readonly etag: string | undefined;
  readonly notModified: OutgoingHttpHeaders | undefined;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const CACHE_CONTROL = `public, max-age=${CACHE_SECONDS}, immutable`;
// Tet's token 404 and 301, as @tet/core's HTTP exceptions word them.
const NOT_FOUND = '404 Not Found\n\nThe resource could not be found.\n';
const movedBody = (location: string) => `301 Moved Permanently\n\nThe resource is at ${location}\n`;

// The same single write Tet's writeResponse uses for text (see packages/core/src/write-response.ts):
// `end(text)` would add an empty chunk and go out as a writev, and the ceiling would then be
// slower than Tet on text answers.
function endWithText(res: ServerResponse, text: string): void {
  res.socket?.cork();
  res.write(text);
  res.socket?.uncork();
  res.end();
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function fileEntry(path: string): Entry {
  const body = readFileSync(path);
  // @tet/static's ETag: the content's SHA-384, base64url, 32 characters.
  const etag = `"${createHash('sha384').update(body).digest('base64url').slice(0, 32)}"`;
  const lastModified = statSync(path).mtime.toUTCString();
  const headers = {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    etag,
    'last-modified': lastModified,
    'cache-control': CACHE_CONTROL,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'content-length': body.length,
  };
  return { status: 200, headers, body, etag, notModified: { etag, 'cache-control': CACHE_CONTROL } };
}

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const entries = new Map<string, Entry>();
  for (const path of files(fixture.assets)) entries.set(`/static/${relative(fixture.assets, path).split(sep).join('/')}`, fileEntry(path));
  // The Tet-only scenarios get ceilings too: a ready-made redirect and the page pre-rendered.
  const location = `/static/${TOKEN}/${FILES.small}`;
  entries.set(`/static/${OLD_TOKEN}/${FILES.small}`, {
    status: 301,
    headers: { 'cache-control': 'public, max-age=300', location, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(movedBody(location)) },
    body: movedBody(location),
    etag: undefined,
    notModified: undefined,
  });
  const server = createServer((req, res) => {
    const entry = entries.get(req.url ?? '/');
    if (entry === undefined) {
      res.writeHead(404, { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8', 'content-length': NOT_FOUND.length });
      endWithText(res, NOT_FOUND);
    } else if (entry.etag !== undefined && req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, entry.notModified);
      res.end();
    } else {
      res.writeHead(entry.status, entry.headers);
      if (typeof entry.body === 'string') endWithText(res, entry.body);
      else res.end(entry.body);
    }
  });
  await listen(server);
  const page = expectedPage(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, fixture.pageAssets);
  entries.set('/page', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) }, body: page, etag: undefined, notModified: undefined });
  return { server, notes: [] };
}
