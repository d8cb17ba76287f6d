// @tet/templating: Eta templates with `$` interpolation, as view renderers for `.eta` files.
import type { Configurator } from '@tet/core';
import './error-codes.js';
import { templateRenderer } from './renderer.js';

declare module '@tet/core' {
  interface Settings {
    /** Compile a template file again on the next render after it changed (for development). */
    'tet.reload_templates'?: boolean | string;
  }
}

// Setup

/**
 * Makes `.eta` files (asset specs or absolute paths) usable as view renderers.
 * @example
 * config.include(tetTemplating)
 * config.addView(() => ({ title: 'Home' }), { routeName: 'home', renderer: 'myapp:templates/index.eta' })
 */
export function tetTemplating(config: Configurator): void {
  config.addRenderer('.eta', templateRenderer);
}

export { tetTemplating as includeme };
export { templateRenderer } from './renderer.js';

// Escaping and safe HTML
export { escapeHtml, literal, Markup } from './markup.js';

// Errors
export { TemplateError, TemplateSyntaxError, type TemplateErrorDetails } from './errors.js';
