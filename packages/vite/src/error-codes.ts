// @tet/vite's error codes, added to @tet/core's closed set (see core's error-codes.ts).

/** @tet/vite's error codes and what each means; docs/errors.md explains each one. */
export const viteErrorCodes = {
  TET_ERR_VITE_OPTIONS: 'addViteBuild() with invalid options, or a viteEarlyHints view option that is not a list of entries',
  TET_ERR_VITE_MANIFEST: "a Vite build's manifest is missing, is not a Vite manifest, or names files the build folder lacks",
  TET_ERR_VITE_DEV_SERVER: 'the tet.vite.dev_server setting or devServer option is not an http(s) URL',
  TET_ERR_VITE_ENTRY: 'request.viteTags() for an entry the manifest lacks, or for a build nobody added',
} as const;

declare module '@tet/core' {
  interface TetErrorCodes extends Record<keyof typeof viteErrorCodes, string> {}
}
