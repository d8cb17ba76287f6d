// A benchmark server's own process: `node server-process.js <server> <fixture-dir>`. It tells
// its parent (over the IPC channel) its port once listening, answers memory queries, and exits
// when told or when the parent goes away, so no server outlives a crashed harness.
import type { AddressInfo } from 'node:net';
import { openFixture } from './fixture.js';
import { isServerName, startServer } from './servers/index.js';

/** Messages between the harness and a server process. */
export type ToServer = { type: 'memory'; gc: boolean } | { type: 'cpu' };
export type FromServer = { type: 'ready'; port: number; notes: string[] } | { type: 'memory'; rss: number; heapUsed: number } | { type: 'cpu'; micros: number } | { type: 'failed'; message: string };

function send(message: FromServer): void {
  process.send?.(message);
}

const [name = '', fixtureDir = ''] = process.argv.slice(2);
// A normal exit writes the --cpu-prof profile, which a signal death would not.
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));

try {
  if (!isServerName(name)) throw new Error(`unknown server '${name}'`);
  const { server, notes } = await startServer(name, openFixture(fixtureDir));
  process.on('message', (message: ToServer) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
      return;
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    if (message.gc && gc !== undefined) {
      gc(); // twice: the first pass can leave finalised objects for the second
      gc();
    }
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: 'memory', rss, heapUsed });
  });
  send({ type: 'ready', port: (server.address() as AddressInfo).port, notes });
} catch (error) {
  send({ type: 'failed', message: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}
