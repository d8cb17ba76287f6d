/**
 * The generated bodies of HTTP exceptions, in the format the request's `Accept` prefers, as
 * `pyramid.httpexceptions` chooses them: `text/html` or `application/json` when the client asks
 * for one, `text/plain` otherwise. One difference, on purpose: a bare `*∕*` (fetch, curl, most
 * HTTP libraries) gets text, not Pyramid's HTML page: those clients read the body as text, and
 * browsers name `text/html` anyway.
 */

/** The formats an exception's body can take. */
export type ExceptionFormat = 'text/html' | 'application/json' | 'text/plain';

const OFFERS = ['text/html', 'application/json'] as const;

/**
 * Which format an `Accept` header prefers: the offer with the highest q, by its most specific
 * matching range (`text/html` over `text/*`), ties going to HTML as in Pyramid; `text/plain`
 * when neither is acceptable, when there is no header, and for ranges that only `*∕*` covers.
 */
export function exceptionFormat(accept: string | undefined): ExceptionFormat {
  if (accept === undefined || accept === '') return 'text/plain';
  let best: ExceptionFormat = 'text/plain';
  let bestQ = 0;
  for (const offer of OFFERS) {
    const q = qualityOf(accept, offer);
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return best;
}

// The q of the most specific range naming `offer` exactly or by its type (`text/*`); 0 if none does.
function qualityOf(accept: string, offer: string): number {
  const typeRange = `${offer.slice(0, offer.indexOf('/'))}/*`;
  let q = 0;
  let specificity = 0;
  for (const part of accept.split(',')) {
    const [rawRange, ...params] = part.split(';');
    const range = rawRange!.trim().toLowerCase();
    const rank = range === offer ? 2 : range === typeRange ? 1 : 0;
    if (rank === 0 || rank < specificity) continue;
    const qParam = params.map((param) => param.trim()).find((param) => param.toLowerCase().startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    const rangeQ = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
    // The most specific range decides; among equally specific ones, the best q.
    q = rank > specificity ? rangeQ : Math.max(q, rangeQ);
    specificity = rank;
  }
  return q;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * The generated body for a status in a format. The detail may carry request input (a path, a
 * redirect's Location), so HTML escapes it and JSON encodes it; text/plain is never rendered.
 */
export function exceptionBody(format: ExceptionFormat, status: number, title: string, detail: string | undefined): string {
  if (format === 'application/json') return JSON.stringify({ message: detail ?? title, code: status, title });
  if (format === 'text/html') {
    const heading = escapeHtml(`${status} ${title}`);
    const paragraph = detail === undefined ? '' : `\n<p>${escapeHtml(detail)}</p>`;
    return `<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>${heading}</title></head>\n<body>\n<h1>${heading}</h1>${paragraph}\n</body>\n</html>\n`;
  }
  return detail === undefined ? `${status} ${title}\n` : `${status} ${title}\n\n${detail}\n`;
}

/** The content-type header for a format. */
export function exceptionContentType(format: ExceptionFormat): string {
  return format === 'application/json' ? 'application/json' : `${format}; charset=utf-8`;
}
