// Safe HTML values and escaping are @tet/core's (one definition for templates, static tags and
// error pages); the template engine and this package's API use them from here.
export { escapeHtml, literal, Markup } from '@tet/core';
