// sirv in production mode (it indexes the folder at start-up and precomputes headers), with
// ETags and the same one-year immutable caching as Tet. sirv has no mount option, so the
// `/static` prefix is stripped here, as one does when mounting it on plain node:http.
import { createServer, type Server } from 'node:http';
import sirv from 'sirv';
import type { Fixture } from '../fixture.js';
import { CACHE_SECONDS } from '../site.js';
import { listen } from './listen.js';

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const serve = sirv(fixture.assets, { dev: false, etag: true, maxAge: CACHE_SECONDS, immutable: true });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/static/')) {
      req.url = url.slice('/static'.length);
      serve(req, res); // no `next`: sirv answers a miss with its own 404
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  return { server: await listen(server), notes: [] };
}
