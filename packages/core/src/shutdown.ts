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

// Which response a connection is writing is Node's own record, `socket._httpMessage` (set when
// a response is given the socket, cleared once it has finished; node:_http_server reads it the
// same way to close idle connections). Keeping each connection's latest response on the socket
// instead kept the one before alive until the next request: twice the survivors per young-
// generation collection, which made V8 triple its young generation and each pause (0.2 → 0.6
// ms on a 404 under load, docs/benchmarks.md). A request leaves only numbers: how many the
// connection has had, and which of them each response answers (pipelined requests queue their
// responses behind the one being written).
const REQUESTS = Symbol('tet.requests');
const SEQUENCE = Symbol('tet.sequence');
interface TrackedSocket extends Socket {
  _httpMessage?: ServerResponse | null;
  [REQUESTS]?: number;
}
interface TrackedResponse extends ServerResponse {
  [SEQUENCE]?: number;
}

/** The response a connection is writing, or null when it has none. */
function currentResponse(socket: Socket): TrackedResponse | null {
  return (socket as TrackedSocket)._httpMessage ?? null;
}

/** The servers one application listens with and their connections. */
export class ServerLifecycle {
  private readonly servers = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  private closed: Promise<void> | undefined = undefined;
  private sweeping: NodeJS.Timeout | undefined = undefined;

  /** True from the moment `close()` is called. */
  get closing(): boolean {
    return this.closed !== undefined;
  }

  /** Wraps the request listener: it numbers each connection's requests, and marks answers given while closing. */
  listener(handler: (req: IncomingMessage, res: ServerResponse) => void): RequestListener {
    return (req, res) => {
      const socket = req.socket as TrackedSocket;
      const sequence = (socket[REQUESTS] ?? 0) + 1;
      socket[REQUESTS] = sequence;
      (res as TrackedResponse)[SEQUENCE] = sequence;
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

  /** Closes a connection now if it is idle, or as soon as its answers have been sent. */
  private release(socket: Socket): void {
    const res = currentResponse(socket);
    if (res === null || res.writableFinished) {
      // Idle: no request yet, or its answers are sent. A connection that has sent part of its
      // first request is let finish it; the listener above answers it with `Connection: close`.
      if ((socket as TrackedSocket)[REQUESTS] !== undefined || socket.bytesRead === 0) closeSoon(socket);
      return;
    }
    closeAfterLast(socket, res);
  }
}

// In flight: the connection's last answer, if its head is not out yet, says `Connection:
// close`, and Node closes the connection after it. Otherwise (a stream under way, or answers
// pipelined behind this one, which Node gives the socket in turn) each is let finish, and the
// connection is closed once the last has been written.
function closeAfterLast(socket: Socket, res: TrackedResponse): void {
  if (res[SEQUENCE] === (socket as TrackedSocket)[REQUESTS] && !res.headersSent) {
    res.setHeader('connection', 'close');
    return;
  }
  res.once('finish', () => {
    const next = currentResponse(socket);
    if (next !== null && next !== res) closeAfterLast(socket, next);
    else closeSoon(socket);
  });
}

// A connection is busy while its answer is unfinished or bytes wait to be written.
function isBusy(socket: Socket): boolean {
  const res = currentResponse(socket);
  return socket.writableLength > 0 || (res !== null && !res.writableFinished);
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
