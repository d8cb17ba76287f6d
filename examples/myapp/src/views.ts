import { type Request, viewConfig } from '@tet/core';

/**
 * The home page: its template links the cache-broken stylesheet, script and logo. The
 * `myapp.home_delay_ms` setting makes it wait first, a stand-in for a database query, to show
 * what 103 Early Hints buy (docs/benchmarks.md).
 */
export function homeView(request: Request) {
  const page = { title: 'Hello from Tet', release: request.registry.cachebreaker ?? '' };
  const delay = Number(request.registry.settings['myapp.home_delay_ms'] ?? 0);
  return delay > 0 ? new Promise<typeof page>((resolve) => setTimeout(() => resolve(page), delay)) : page;
}

/**
 * A class-based view, added by `config.scan(views)` in app.ts from its decorator: the class is
 * made per request with the request, and the decorated method answers.
 */
export class StatusViews {
  readonly request: Request;
  constructor(request: Request) {
    this.request = request;
  }

  /** A JSON route: what is running. */
  @viewConfig({ routeName: 'status', requestMethod: 'GET', renderer: 'json' })
  status() {
    return {
      app: 'myapp',
      release: this.request.registry.cachebreaker ?? null,
      stylesheet: this.request.staticUrl('myapp:static/style.css'),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
}
