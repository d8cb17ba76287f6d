import { dirname } from 'node:path';
import type { App } from './app.js';
import { captureCallSite } from './call-site.js';
import { Configurator } from './configurator.js';
import type { Settings } from './settings.js';

/** Configures an application: receives the Configurator, may be async. */
export type Configure = (config: Configurator) => void | Promise<void>;

/**
 * Turns a configure function into `main(settings)`, as Pyramid's `main(global_config, **settings)`:
 * each call makes a Configurator, runs `configure`, commits, and returns the `App`
 * (a Promise when configuration is asynchronous; `await` works either way).
 * @example
 * export const main = applicationFactory((config) => {
 *   config.addRoute('home', '/')
 *   config.addView(() => new Response('Hello'), { routeName: 'home' })
 * })
 * const app = await main({ 'tet.debug': true })
 */
export function applicationFactory(configure: Configure): (settings?: Settings) => App | Promise<App> {
  // The application's package is where applicationFactory is called, not where main() is.
  const packageDir = dirname(captureCallSite().file);
  return (settings = {}) => {
    const config = new Configurator({ settings, package: packageDir });
    const configured = configure(config);
    if (configured !== undefined && typeof (configured as Promise<void>).then === 'function') {
      return (configured as Promise<void>).then(() => config.makeApp());
    }
    return config.makeApp();
  };
}
