import { createRequire } from 'node:module';
import standard, { Mime } from 'mime/lite';

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

// mime's other table (its vnd.* and x-* types: .ico, .eot, .tar, .xlsx...) took most of
// @tet/static's start-up, about 5 ms, for names most sites never serve: it is built the first
// time a name is not in the standard table. mime refuses two tables that map an extension
// differently, so a standard answer is what the full table answers.
let other: Mime | undefined;
function otherTypes(): Mime {
  other ??= new Mime((createRequire(import.meta.url)('mime/types/other.js') as { default: ConstructorParameters<typeof Mime>[0] }).default);
  return other;
}

/**
 * The `Content-Type` for a file name, from **mime**, with `charset=utf-8` for text types.
 * @example
 * contentTypeFor('style.css') // 'text/css; charset=utf-8'
 */
export function contentTypeFor(fileName: string): string {
  const type = standard.getType(fileName) ?? otherTypes().getType(fileName) ?? 'application/octet-stream';
  return type.startsWith('text/') || TEXTUAL.has(type) ? `${type}; charset=utf-8` : type;
}
