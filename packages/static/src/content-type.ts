import mime from 'mime';

// Textual types that are not text/*: they get `charset=utf-8` too.
const TEXTUAL = new Set([
  'application/javascript',
  'application/json',
  'application/xml',
  'application/manifest+json',
  'application/ld+json',
  'image/svg+xml',
  'application/rss+xml',
  'application/atom+xml',
]);

/**
 * The `Content-Type` for a file name, from **mime**, with `charset=utf-8` for text types.
 * @example
 * contentTypeFor('style.css') // 'text/css; charset=utf-8'
 */
export function contentTypeFor(fileName: string): string {
  const type = mime.getType(fileName) ?? 'application/octet-stream';
  return type.startsWith('text/') || TEXTUAL.has(type) ? `${type}; charset=utf-8` : type;
}
