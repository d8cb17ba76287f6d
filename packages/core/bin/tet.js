#!/usr/bin/env node
// The `tet` command. This file is committed as plain JavaScript so that it exists when npm
// links package bins, which in a fresh clone happens before `prepare` has built dist/: a bin
// pointing into dist/ was not linked, and `npx tet` then fetched whatever the public registry
// has under that name. The command itself is the compiled src/cli.ts, through the package's
// `#cli` import: the bundle (dist/cli.js), or dist/src/cli.js under the `tet-unbundled`
// condition the tests run with, so the CLI and the application share one @tet/core.
try {
  await import('#cli');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/[\\/]dist[\\/](src[\\/])?cli\.js/.test(String(error.message))) throw error;
  console.error("tet: @tet/core is not built yet (dist/cli.js is missing). In a checkout of Tet, run 'npm install' or 'npm run build' at its root.");
  process.exitCode = 1;
}
