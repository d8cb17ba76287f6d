// @tet/static's error codes, added to @tet/core's closed set (see core's error-codes.ts).

/** @tet/static's error codes and what each means; docs/errors.md explains each one. */
export const staticErrorCodes = {
  TET_ERR_STATIC_TOKEN: 'setCachebreaker() got an empty or missing token',
  TET_ERR_STATIC_NAME: "a breaker view's name lacks '{breaker}' or has it twice",
  TET_ERR_STATIC_OPTIONS: 'addStaticView()/addStaticViewWithBreaker() with invalid options',
  TET_ERR_STATIC_PATH: "a static view's path is not a directory",
  TET_ERR_STATIC_URL: 'staticUrl()/staticPath() for a file no static view serves',
  TET_ERR_STATIC_MANIFEST: 'an asset manifest that is not valid JSON or not a Tet manifest',
  TET_ERR_STATIC_PIN: 'pin()/pinAll() naming a file or folder no static view serves, or an invalid name',
  TET_ERR_STATIC_FILE: 'a file or folder in a static folder cannot be read at start-up',
  TET_ERR_STATIC_EARLY_HINTS: 'the earlyHints view option is not a list of asset specs of stylesheets, modules, fonts or images',
  TET_ERR_STATIC_ARCHIVE: 'the release archive is missing, or a release record in it is invalid',
} as const;

declare module '@tet/core' {
  interface TetErrorCodes extends Record<keyof typeof staticErrorCodes, string> {}
}
