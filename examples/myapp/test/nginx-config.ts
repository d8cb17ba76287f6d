// The nginx configuration docs/static.md recommends, with what a test needs around it.

/**
 * nginx as a caching proxy in front of myapp instances on `upstreams` (ports on 127.0.0.1):
 * pages proxied and never cached; `/static/` (token views) and `/assets/` (content-hashed
 * views) cached by status, and retried on the next instance on a 503.
 */
export function nginxConfig(work: string, port: number, upstreams: readonly number[], random = false): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  # --- as in docs/static.md from here ---
  proxy_cache_path ${work}/cache levels=1:2 keys_zone=assets:10m max_size=256m inactive=7d use_temp_path=off;
  upstream myapp {
    ${random ? 'random;  # the test: round-robin would send every page to the same instance\n    ' : ''}${upstreams.map((upstream) => `server 127.0.0.1:${upstream} max_fails=0;`).join('\n    ')}
  }
  server {
    listen 127.0.0.1:${port};
    proxy_set_header Host $http_host;
    location / {
      proxy_pass http://myapp;
    }
    location ~ ^/(static|assets)/ {
      proxy_pass http://myapp;
      proxy_cache assets;
      proxy_next_upstream error timeout http_503;
      proxy_next_upstream_tries 3;
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_valid 200 206 365d;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}
