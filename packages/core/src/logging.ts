// Request logs and the framework's error log through pino, when `tet.logging.level` is set:
// JSON lines (`tet.logging.format = json`, the default) or readable lines (`pretty`).
// Without the setting the handler is returned untouched: no cost on the serving path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger as Pino } from 'pino';
import type { Registry } from './registry.js';
import { consoleLogger, type Logger } from './registry.js';

type Handler<A extends unknown[]> = (req: IncomingMessage, res: ServerResponse, ...rest: A) => void;

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * Wraps a request handler so each answered request is logged (request id, method, path, status,
 * duration in ms, body bytes as declared by Content-Length; none for a stream without one), and routes `registry.logger` through the same pino logger,
 * unless the application replaced it. Returns `handler` itself when `tet.logging.level` is unset.
 * @example
 * const handler = withRequestLogging(registry, app.handler)
 */
export function withRequestLogging<A extends unknown[]>(registry: Registry, handler: Handler<A>): Handler<A> {
  const level = registry.settings['tet.logging.level'];
  if (level === undefined || level === '') return handler;
  const log = makePino(String(level), String(registry.settings['tet.logging.format'] ?? 'json'));
  if (registry.logger === consoleLogger) registry.logger = pinoLogger(log);
  if (!log.isLevelEnabled('info')) return handler;
  const prefix = process.pid.toString(36);
  let counter = 0;
  return (req, res, ...rest) => {
    const start = performance.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SAFE_ID.test(given) ? given : `${prefix}-${(++counter).toString(36)}`;
    // writeResponse passes its headers to writeHead() directly, where getHeader() cannot see them.
    let declared: unknown;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      const headers = typeof args[1] === 'object' ? args[1] : args[2];
      if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) declared = (headers as Record<string, unknown>)['content-length'];
      return (writeHead as (...all: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    res.once('close', () => {
      const length = res.getHeader('content-length') ?? declared;
      const status = res.statusCode;
      const entry: Record<string, unknown> = { id, method: req.method, path: req.url, status, ms: Math.round((performance.now() - start) * 100) / 100 };
      if (req.method === 'HEAD' || status === 204 || status === 304) entry.bytes = 0;
      else if (length !== undefined) entry.bytes = Number(length);
      if (!res.writableFinished) entry.aborted = true;
      log.info(entry, 'request');
    });
    handler(req, res, ...rest);
  };
}

/** A Tet {@link Logger} that writes through pino: errors keep their stack as `err`. */
export function pinoLogger(log: Pino): Logger {
  return {
    error: (message, error) => (error === undefined ? log.error(message) : log.error({ err: error }, message)),
    warn: (message) => log.warn(message),
    info: (message) => log.info(message),
  };
}

function makePino(level: string, format: string): Pino {
  // pino is loaded only by applications that log (it is CommonJS: require keeps this synchronous).
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;
  const options = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') return pino(options, { write: (line: string) => process.stdout.write(pretty(line)) });
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

/** One pino JSON line as a readable one: `12:00:01.234 INFO  GET /x 200 1234 B 0.81 ms #id`. */
export function pretty(line: string): string {
  const entry = JSON.parse(line) as Record<string, unknown>;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5);
  if (entry.msg === 'request') {
    const bytes = entry.bytes === undefined ? '' : ` ${entry.bytes} B`;
    return `${time} ${level} ${entry.method} ${entry.path} ${entry.status}${bytes} ${entry.ms} ms #${entry.id}${entry.aborted === true ? ' (aborted)' : ''}\n`;
  }
  const err = entry.err as { stack?: string } | undefined;
  return `${time} ${level} ${entry.msg}${err?.stack === undefined ? '' : `\n  ${err.stack.replaceAll('\n', '\n  ')}`}\n`;
}
