// @tet/templating's error codes, added to @tet/core's closed set (see core's error-codes.ts).

/** @tet/templating's error codes and what each means; docs/errors.md explains each one. */
export const templatingErrorCodes = {
  TET_ERR_TEMPLATE_NOT_FOUND: 'a template file does not exist',
  TET_ERR_TEMPLATE_PATH: 'include()/layout() names a template outside its package, or cannot resolve',
  TET_ERR_TEMPLATE_SYNTAX: 'a template cannot be compiled',
  TET_ERR_TEMPLATE_AWAIT: 'a partial that awaits was included with include(), not includeAsync()',
  TET_ERR_TEMPLATE_RENDER: 'a template threw while rendering',
  TET_ERR_TEMPLATE_VALUE: 'a view rendered by a template returned something other than an object',
} as const;

declare module '@tet/core' {
  interface TetErrorCodes extends Record<keyof typeof templatingErrorCodes, string> {}
}
