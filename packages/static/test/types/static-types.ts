// Compiled by `tsc -b` in every test run, never executed: including tetStatic makes its
// directives and request methods typed, with no casts.
import { applicationFactory, Response } from '@tet/core';
import { tetStatic } from '../../src/index.js';

export const main = applicationFactory((config) => {
  config.include(tetStatic);
  config.setCachebreaker(String(config.registry.settings['myapp.release'] ?? 'dev'));
  config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'myapp:static', cacheMaxAge: 31536000 });
  config.addStaticView({ name: 'downloads', path: '/srv/downloads' });
  const token: string | undefined = config.registry.cachebreaker;
  void token;
  // @ts-expect-error path is required
  config.addStaticViewWithBreaker({ name: 'static/{breaker}' });
  // @ts-expect-error cacheMaxAge is a number of seconds
  config.addStaticView({ name: 'x', path: 'y', cacheMaxAge: '1 year' });
  // @ts-expect-error the token is a string
  config.setCachebreaker(42);
  config.addRoute('home', '/');
  config.addView(
    (request) => {
      const url: string = request.staticUrl('myapp:static/style.css');
      const path: string = request.staticPath('myapp:static/style.css');
      // @ts-expect-error staticUrl takes a spec string
      request.staticUrl();
      return new Response(`${url} ${path}`);
    },
    { routeName: 'home' },
  );
  config.pin('lit', 'myapp:static/vendor/lit.js');
  config.pinAll('myapp:static/controllers', { under: 'controllers' });
  // @ts-expect-error pinAll's options name the prefix with `under`
  config.pinAll('myapp:static/controllers', { prefix: 'controllers' });
  config.addRoute('modules', '/modules');
  config.addView(
    (request) => {
      const html: string = request.importMap().__html__() + request.moduleTags('myapp:static/app.js').__html__();
      // @ts-expect-error moduleTags takes the entry's spec
      request.moduleTags();
      return new Response(html);
    },
    { routeName: 'modules' },
  );
});
