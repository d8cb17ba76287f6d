#!/usr/bin/env node
// The `tet` command. This file is committed as plain JavaScript so that it exists when npm
// links package bins, which in a fresh clone happens before `prepare` has built dist/: a bin
// pointing into dist/ was not linked, and `npx tet` then fetched whatever the public registry
// has under that name. The command itself is the compiled src/cli.ts.
try {
  await import('../dist/src/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/src/cli.js')) throw error;
  console.error("tet: @tet/core is not built yet (dist/src/cli.js is missing). In a checkout of Tet, run 'npm install' or 'npx tsc -b' at its root.");
  process.exitCode = 1;
}
