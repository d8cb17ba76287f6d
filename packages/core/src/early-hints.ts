import type { Request } from './request.js';

/**
 * Sends `103 Early Hints` with these `Link` values now, before the final response, through
 * Node's `res.writeEarlyHints`, so the browser can fetch a page's assets while the view runs.
 * Nothing is sent (false) once the response has started, to an HTTP/1.0 client (RFC 9110
 * forbids 1xx to it), or where the server has no `writeEarlyHints` (`app.inject`).
 * @example
 * sendEarlyHints(request, ['</static/1/style.css>; rel=preload; as=style'])
 */
export function sendEarlyHints(request: Request, links: readonly string[]): boolean {
  const res = request.nodeResponse;
  const req = request.raw;
  if (res === undefined || links.length === 0 || res.headersSent || typeof res.writeEarlyHints !== 'function') return false;
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor === 0)) return false;
  res.writeEarlyHints({ link: [...links] });
  return true;
}
