// Safe HTML values (MarkupSafe's `__html__` protocol) and HTML escaping: what @tet/templating's
// `$` interpolation, @tet/static's tags and the HTML bodies of HTTP exceptions all use.

/**
 * HTML that templates print as it is, unescaped. Make one with {@link literal}. Any object
 * with an `__html__()` method (MarkupSafe's protocol) is treated the same way.
 * @example
 * const bold = new Markup('<b>bold</b>')
 */
export class Markup {
  readonly html: string;

  constructor(html: string) {
    this.html = html;
  }

  __html__(): string {
    return this.html;
  }

  toString(): string {
    return this.html;
  }
}

/**
 * Marks a string as safe HTML, so `$value` prints it without escaping. Only use it on
 * markup you built or trust: user input marked safe is an XSS hole.
 * @example
 * return { intro: literal('<em>Welcome</em>') } // `$intro` prints <em>Welcome</em>
 */
export function literal(html: unknown): Markup {
  if (html instanceof Markup) return html;
  return new Markup(html === undefined || html === null ? '' : String(html));
}

const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const entity = (char: string): string => ENTITIES[char]!;

/**
 * What a `$` interpolation prints: `undefined` and `null` as nothing, safe values
 * ({@link Markup}, or anything with `__html__()`) as they are, everything else as
 * HTML-escaped text (quotes too, so it is safe inside attribute values).
 * @example
 * escapeHtml('<a href="x">') // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(value: unknown): string {
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, entity) : value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' || typeof value === 'function') {
    const html = (value as { __html__?: unknown }).__html__;
    if (typeof html === 'function') return String(html.call(value));
  }
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, entity) : text;
}
