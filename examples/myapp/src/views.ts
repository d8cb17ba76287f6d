import { type Request, viewConfig } from '@tet/core';

/** The home page: its template links the cache-broken stylesheet, script and logo. */
export function homeView(request: Request) {
  return { title: 'Hello from Tet', release: request.registry.cachebreaker ?? '' };
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
