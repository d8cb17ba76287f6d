// Markup that @tet/templating prints as it is: any object with `__html__()` (MarkupSafe's
// protocol) is safe HTML there, so @tet/static needs no dependency on the template engine.

/** HTML built by Tet from values it escaped itself. */
export class StaticMarkup {
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

const SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML attribute value. */
export function attribute(value: string): string {
  return value.replace(SPECIAL, (char) => ENTITIES[char]!);
}

/** JSON safe inside a `<script>` element: no `</script>` or `<!--` can end or change it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
