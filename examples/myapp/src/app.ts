// myapp: the canonical Tet application. `main(settings)` configures it; server.ts runs it.
import { applicationFactory } from '@tet/core';
import { tetStatic } from '@tet/static';
import { tetTemplating } from '@tet/templating';
import { auth } from './auth.js';
import { extensions } from './extensions.js';
import * as views from './views.js';

export const main = applicationFactory((config) => {
  config.include(tetStatic);
  config.include(tetTemplating);

  // One token for every process of a deploy when a release is given; else one per start.
  const release = config.registry.settings['myapp.release'];
  if (typeof release === 'string' && release !== '') config.setCachebreaker(release);
  // Where `npx tet assets build` keeps earlier releases: a shared directory when one is set,
  // else each folder's own .tet-archive (see docs/deploying.md).
  const archive = config.registry.settings['myapp.archive'];
  const archiveOf = (folder: string) => (typeof archive === 'string' && archive !== '' ? { archive: `${archive}/${folder}` } : {});
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'myapp:static', cacheMaxAge: 31536000, ...archiveOf('static') });
  // A content-hashed view: each file's URL carries a hash of its bytes.
  config.addStaticView({ name: 'assets', path: 'myapp:assets', cacheBust: 'content', ...archiveOf('assets') });

  config.addRoute('home', '/');
  // The stylesheet and the script go out as 103 Early Hints before the view runs (docs/frontend.md).
  config.addView(views.homeView, { routeName: 'home', requestMethod: 'GET', renderer: 'myapp:templates/index.eta', earlyHints: ['myapp:static/style.css', 'myapp:static/app.js'] });
  config.include(auth); // sign-in, sessions, CSRF, a protected page: src/auth.ts
  config.addRoute('status', '/api/status');
  config.scan(views); // the @viewConfig decorators in views.ts (StatusViews)
  config.include(extensions); // a security-headers tween and renderer globals: src/extensions.ts
});
