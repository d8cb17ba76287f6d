// Runs myapp with app.listen(), for those who want their own server script: `node dist/src/server.js`.
// `npm start` runs `tet serve development.ini` instead (docs/serving.md), which does all of this and more.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from './app.js';
import { fromEnvironment } from './settings.js';

const { settings, listen } = fromEnvironment(process.env);
const app = await main(settings);
let server: Server;
try {
  server = await app.listen(listen.port, listen.host);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`myapp: port ${listen.port} is in use on ${listen.host}; stop the other server or set PORT=...`);
    process.exit(1);
  }
  throw error;
}

const { port } = server.address() as AddressInfo;
const shown = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(listen.host) ? 'localhost' : listen.host;
console.log(`myapp: serving on http://${shown}:${port}/ (release ${app.registry.cachebreaker}); Ctrl-C stops it`);

// Ctrl-C or a process manager's TERM: stop taking connections, let requests in flight
// finish (two seconds at most, then they are cut), and exit 0. See docs/operations.md.
async function shutdown(signal: string): Promise<void> {
  console.log(`myapp: ${signal}, shutting down`);
  await app.close({ timeout: 2000 });
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
