// Tags @tet/static renders (import maps, module tags) as @tet/core's Markup, which @tet/templating
// prints as it is, and the escaping they use: one definition, in core.

import { escapeHtml } from '@tet/core';

/** HTML built by Tet from values it escaped itself: core's {@link Markup}, under @tet/static's name. */
export { Markup as StaticMarkup } from '@tet/core';

/** Escapes text for an HTML attribute value. */
export function attribute(value: string): string {
  return escapeHtml(value);
}

/** JSON safe inside a `<script>` element: no `</script>` or `<!--` can end or change it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
