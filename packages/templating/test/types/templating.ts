// Compiled by `tsc -b`, never executed: a wrong line here breaks the build.
import { Configurator, type RendererFactory, type Settings } from '@tet/core';
import { includeme, literal, type Markup, type TemplateError, type TemplateErrorDetails, templateRenderer, TemplateSyntaxError, tetTemplating } from '../../src/index.js';

export function setup(): void {
  const config = new Configurator({ settings: { 'tet.reload_templates': true } });
  config.include(tetTemplating);
  config.include({ includeme });
  const factory: RendererFactory = templateRenderer;
  config.addRenderer('.html', factory);
}

export const settings: Settings[] = [{ 'tet.reload_templates': 'true' }, { 'tet.reload_templates': false }];
// @ts-expect-error the setting is a boolean or a string such as 'true'
export const wrong: Settings = { 'tet.reload_templates': 1 };

export const safe: Markup = literal('<b>');
export const details: TemplateErrorDetails = { file: '/x.eta', line: 1 };
export const syntax: TemplateError = new TemplateSyntaxError('unclosed', details);
// @ts-expect-error a TemplateError's location is read-only
syntax.line = 2;
