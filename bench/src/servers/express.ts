// Express with serve-static mounted at /static: ETag and Last-Modified on (their defaults),
// one-year immutable Cache-Control, no directory index; misses fall through to Express's 404.
import { createServer, type Server } from 'node:http';
import express from 'express';
import serveStatic from 'serve-static';
import type { Fixture } from '../fixture.js';
import { CACHE_SECONDS } from '../site.js';
import { listen } from './listen.js';

export async function start(fixture: Fixture): Promise<{ server: Server; notes: string[] }> {
  const app = express();
  app.disable('x-powered-by');
  app.use('/static', serveStatic(fixture.assets, { etag: true, lastModified: true, maxAge: CACHE_SECONDS * 1000, immutable: true, index: false }));
  return { server: await listen(createServer(app)), notes: [] };
}
