// Compiled by `tsc -b` in every test run, never executed: @tet/templating's codes join core's set.
import type { TetErrorCode } from '@tet/core';
import { TemplateError } from '../../src/index.js';

export function isMissingTemplate(error: TemplateError): boolean {
  const code: TetErrorCode = 'TET_ERR_TEMPLATE_NOT_FOUND';
  return error.code === code || error.code === 'TET_ERR_TEMPLATE_AWAIT';
}

// @ts-expect-error a misspelt templating code does not compile
export const misspelt = new TemplateError('x', { code: 'TET_ERR_TEMPLATE_NOTFOUND' });
