// Graceful shutdown of the servers `app.listen()` started: stop accepting, let requests in
// flight finish (answered with `Connection: close`), close idle keep-alive connections at once,
// and cut whatever is left at a deadline. Rolling deploys depend on no request being reset.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { ConfigurationError } from './errors.js';
import type { Logger } from './registry.js';
import { cutStalled, sweepInterval } from './stalled-connections.js';

/** Options for {@link App.close}. */
export interface CloseOptions {
  /** Milliseconds requests in flight get before their connections are cut (default 10 000). */
  timeout?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// The latest response of each connection, on the connection itself: one property write per
// request (a WeakMap keyed by the socket cost more, in the allocation profile of a 304).
const LATEST = Symbol('tet.latestResponse');
interface TrackedSocket extends Socket {
  [LATEST]?: ServerResponse;
}

/** The servers one application listens with, their connections, and each connection's latest response. */
export class ServerLifecycle {
  private readonly servers = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  private closed: Promise<void> | undefined = undefined;
  private sweeping: NodeJS.Timeout | undefined = undefined;

  /** True from the moment `close()` is called. */
  get closing(): boolean {
    return this.closed !== undefined;
  }

  /** Wraps the request listener: it records each connection's response, and marks answers given while closing. */
  listener(handler: (req: IncomingMessage, res: ServerResponse) => void): RequestListener {
    return (req, res) => {
      (req.socket as TrackedSocket)[LATEST] = res;
      if (this.closed !== undefined) res.setHeader('connection', 'close');
      handler(req, res);
    };
  }

  /** Starts tracking a server's connections; one whose answer stops moving for `idleTimeout` ms is cut. */
  adopt(server: Server, idleTimeout: number): void {
    this.servers.add(server);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.once('close', () => {
      this.servers.delete(server);
      if (this.servers.size === 0 && this.sweeping !== undefined) {
        clearInterval(this.sweeping);
        this.sweeping = undefined;
      }
    });
    this.sweeping ??= setInterval(() => cutStalled(this.sockets, isBusy, idleTimeout, Date.now()), sweepInterval(idleTimeout)).unref();
  }

  close(options: CloseOptions, logger: Logger): Promise<void> {
    this.closed ??= this.drain(checkTimeout(options.timeout), logger);
    return this.closed;
  }

  private async drain(timeout: number, logger: Logger): Promise<void> {
    const servers = [...this.servers];
    // net.Server's close, not http.Server's: the latter also destroys every connection whose
    // response has *ended*, even when its last bytes still wait in the socket's buffer (a
    // large file to a slow client), which would cut the end off an answer in flight.
    const stopped = servers.map((server) => new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve())));
    for (const socket of this.sockets) this.release(socket);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), timeout);
    });
    const outcome = await Promise.race([Promise.all(stopped), deadline]);
    clearTimeout(timer);
    if (outcome === 'deadline') {
      const left = this.sockets.size;
      for (const socket of this.sockets) socket.destroy();
      logger.warn(`app.close(): ${left} connection${left === 1 ? '' : 's'} still open after ${timeout} ms ${left === 1 ? 'was' : 'were'} closed`);
      await Promise.all(stopped);
    }
  }

  /** Closes a connection now if it is idle, or as soon as its answer has been sent. */
  private release(socket: Socket): void {
    const res = (socket as TrackedSocket)[LATEST];
    if (res === undefined || res.writableFinished) {
      // Idle: no request yet, or its answer is sent. A connection that has sent part of its
      // first request is let finish it; the listener above answers it with `Connection: close`.
      if (res !== undefined || socket.bytesRead === 0) closeSoon(socket);
      return;
    }
    // In flight: Node closes the connection after an answer that says `Connection: close`;
    // one whose head is already out (a stream) is closed once its last byte is written.
    if (!res.headersSent) res.setHeader('connection', 'close');
    else res.once('finish', () => closeSoon(socket));
  }
}

// A connection is busy while its latest answer is unfinished or bytes wait to be written.
function isBusy(socket: Socket): boolean {
  const res = (socket as TrackedSocket)[LATEST];
  return socket.writableLength > 0 || (res !== undefined && !res.writableFinished);
}

// FIN once everything written has left, then close without waiting for the peer's FIN: a
// client that never answers one must not hold the shutdown until the deadline.
function closeSoon(socket: Socket): void {
  socket.end(() => socket.destroy());
}

function checkTimeout(timeout: unknown): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new ConfigurationError(`app.close({ timeout: ${String(timeout)} }): the timeout must be a number of milliseconds, 0 or more, e.g. { timeout: 5000 }`, 'TET_ERR_CLOSE_TIMEOUT');
  }
  return timeout;
}
