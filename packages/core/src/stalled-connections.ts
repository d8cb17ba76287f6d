// A connection whose answer has stopped moving (a client that stopped reading, a view that
// never answers) is cut after `tet.server.idle_timeout`. Node's `server.timeout` would do it
// with a timer on every socket that each read and write refreshes: half a microsecond of a
// ten-microsecond 404 on the benchmark machine (docs/benchmarks.md). A sweep four times per
// limit costs requests nothing: it compares each busy connection's byte counts with what the
// sweep before saw.
import type { Socket } from 'node:net';

const PROGRESS = Symbol('tet.progress');
interface Watched extends Socket {
  [PROGRESS]?: { readonly bytes: number; readonly since: number } | undefined;
}

/** How often to sweep so that a stall is cut within a quarter of the limit after it. */
export function sweepInterval(idleTimeout: number): number {
  return Math.max(10, Math.min(1000, Math.floor(idleTimeout / 4)));
}

/**
 * Destroys each busy connection that has moved no byte either way for `idleTimeout` ms (as
 * seen by sweeps at `now`); an idle one (between requests) is the keep-alive timeout's. Returns
 * how many were cut.
 * @example
 * setInterval(() => cutStalled(sockets, isBusy, 60_000, Date.now()), sweepInterval(60_000)).unref()
 */
export function cutStalled(sockets: Iterable<Socket>, isBusy: (socket: Socket) => boolean, idleTimeout: number, now: number): number {
  let cut = 0;
  for (const socket of sockets as Iterable<Watched>) {
    if (!isBusy(socket)) {
      socket[PROGRESS] = undefined;
      continue;
    }
    const bytes = socket.bytesRead + socket.bytesWritten;
    const seen = socket[PROGRESS];
    if (seen === undefined || seen.bytes !== bytes) socket[PROGRESS] = { bytes, since: now };
    else if (now - seen.since >= idleTimeout) {
      socket.destroy();
      cut++;
    }
  }
  return cut;
}
