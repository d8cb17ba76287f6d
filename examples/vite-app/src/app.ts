// vite-app: a Vite front end served by Tet. `vite build` writes build/ (with its manifest);
// Tet serves it under /vite/ and renders the entry's tags; with tet.vite.dev_server set, the
// tags point at `vite` (the dev server) instead. See docs/frontend.md, "Vite builds".
import { applicationFactory } from '@tet/core';
import { tetTemplating } from '@tet/templating';
import { tetVite } from '@tet/vite';

export const main = applicationFactory((config) => {
  config.include(tetTemplating);
  config.include(tetVite);
  // Where the build is (default build/, where vite.config.ts writes it), and the release archive
  // `tet assets build` keeps earlier builds in, when there is a shared one (docs/deploying.md).
  const { 'vite_app.build': build, 'vite_app.archive': archive } = config.registry.settings;
  config.addViteBuild({
    name: 'vite',
    path: typeof build === 'string' && build !== '' ? build : 'vite-app:build',
    ...(typeof archive === 'string' && archive !== '' ? { archive } : {}),
  });
  config.addRoute('home', '/');
  // The entry's CSS and modules also go out as 103 Early Hints before the view runs.
  config.addView(() => ({ title: 'Tet + Vite' }), { routeName: 'home', requestMethod: 'GET', renderer: 'vite-app:templates/index.eta', viteEarlyHints: ['frontend/main.ts'] });
});
