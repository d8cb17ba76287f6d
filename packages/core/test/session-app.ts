// A small application that uses the session in every way the session tests look at.
import { type App, Configurator, HTTPSeeOther, Response, type SessionFactory, type Settings } from '../src/index.js';
import { memoryLogger } from '../src/testing.js';

export const NEW = 'n'.repeat(32) + '-the-newest-secret';
export const OLD = 'o'.repeat(32) + '-an-older-secret';

/** An application whose views use the session in every way the tests look at. */
export async function sessionApp(factory: SessionFactory, settings: Settings = {}): Promise<App> {
  const config = new Configurator({ settings });
  config.setSessionFactory(factory);
  config.addRoute('show', '/show');
  config.addView(
    (request) => Response.json({ data: Object.fromEntries(request.session.keys().map((k) => [k, request.session.get(k)])), isNew: request.session.isNew, rejected: request.session.rejected ?? null }),
    { routeName: 'show' },
  );
  config.addRoute('untouched', '/untouched');
  config.addView(() => new Response('no session here'), { routeName: 'untouched' });
  config.addRoute('set', '/set');
  config.addView(
    (request) => {
      for (const [key, value] of request.query) request.session.set(key, value);
      return new Response('set');
    },
    { routeName: 'set' },
  );
  config.addRoute('flash', '/flash');
  config.addView(
    (request) => {
      request.session.flash(request.query.get('m') ?? 'saved');
      return new HTTPSeeOther('/messages');
    },
    { routeName: 'flash' },
  );
  config.addRoute('messages', '/messages');
  config.addView((request) => Response.json(request.session.popFlash()), { routeName: 'messages' });
  config.addRoute('invalidate', '/invalidate');
  config.addView(
    (request) => {
      request.session.invalidate();
      return new Response('bye');
    },
    { routeName: 'invalidate' },
  );
  config.addRoute('big', '/big');
  config.addView(
    (request) => {
      request.session.set('big', 'x'.repeat(5000));
      return new Response('big');
    },
    { routeName: 'big' },
  );
  const app = await config.makeApp();
  app.registry.logger = memoryLogger();
  return app;
}

/** The `name=value` of the first Set-Cookie for `name`, or undefined. */
export function cookieFrom(setCookie: string | string[] | number | undefined, name = 'session'): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [String(setCookie)];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1, line.indexOf(';'));
}
