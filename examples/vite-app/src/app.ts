// vite-app: a Vite front end served by Tet. `vite build` writes build/ (with its manifest);
// Tet serves it under /vite/ and renders the entry's tags; with tet.vite.dev_server set, the
// tags point at `vite` (the dev server) instead. See docs/frontend.md, "Vite builds".
import { applicationFactory } from '@tet/core';
import { tetTemplating } from '@tet/templating';
import { tetVite } from '@tet/vite';

export const main = applicationFactory((config) => {
  config.include(tetTemplating);
  config.include(tetVite);
  const build = config.registry.settings['vite_app.build'];
  config.addViteBuild({ name: 'vite', path: typeof build === 'string' && build !== '' ? build : 'vite-app:build' });
  config.addRoute('home', '/');
  config.addView(() => ({ title: 'Tet + Vite' }), { routeName: 'home', requestMethod: 'GET', renderer: 'vite-app:templates/index.eta' });
});
