import type { Request } from '@tet/core';

/** The home page: its template links the cache-broken stylesheet, script and logo. */
export function homeView(request: Request) {
  return { title: 'Hello from Tet', release: request.registry.cachebreaker ?? '' };
}

/** A JSON route: what is running. */
export function statusView(request: Request) {
  return {
    app: 'myapp',
    release: request.registry.cachebreaker ?? null,
    stylesheet: request.staticUrl('myapp:static/style.css'),
    uptimeSeconds: Math.round(process.uptime()),
  };
}
