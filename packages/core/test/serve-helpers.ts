// Real `tet serve` processes for the serve tests: a throwaway application folder, the CLI
// spawned with piped output, and waits that are always bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The children run what users run: the bin and the bundles (dist/*.js), never dist/src.
export const CLI = fileURLToPath(new URL('../../bin/tet.js', import.meta.url));
export const CORE = pathToFileURL(fileURLToPath(new URL('../index.js', import.meta.url))).href;
export const STATIC = pathToFileURL(fileURLToPath(new URL('../../../static/dist/index.js', import.meta.url))).href;

/**
 * An application module as a string: routes `/` (text), `/pid`, `/token` (the cache-breaker),
 * `/slow?ms=` and `/boom` (throws), plus a static view when `withStatic`.
 */
export function appSource(greeting = 'hello', withStatic = true): string {
  return `import { applicationFactory, Response } from '${CORE}';
${withStatic ? `import { tetStatic } from '${STATIC}';` : ''}
export const main = applicationFactory((config) => {
  ${withStatic ? "config.include(tetStatic); config.addStaticViewWithBreaker({ name: 'static/{breaker}', path: 'static' });" : ''}
  config.addRoute('home', '/');
  config.addView(() => new Response(${JSON.stringify(greeting)} + ' ' + (config.registry.settings['myapp.greeting'] ?? ''), { contentType: 'text/plain' }), { routeName: 'home' });
  config.addRoute('pid', '/pid');
  config.addView(() => new Response(String(process.pid)), { routeName: 'pid' });
  config.addRoute('token', '/token');
  config.addView((request) => new Response(process.pid + ' ' + (request.registry.cachebreaker ?? '-')), { routeName: 'token' });
  config.addRoute('settings', '/settings');
  config.addView((request) => request.registry.settings, { routeName: 'settings', renderer: 'json' });
  config.addRoute('slow', '/slow');
  config.addView((request) => new Promise((resolve) => setTimeout(() => resolve(new Response('slow done')), Number(request.query.get('ms') ?? 200))), { routeName: 'slow' });
  config.addRoute('boom', '/boom');
  config.addView(() => { throw new Error('boom'); }, { routeName: 'boom' });
});
`;
}

/** A temporary application folder. */
export interface AppFolder {
  readonly dir: string;
  write(path: string, text: string): void;
  remove(): void;
}

export function makeAppFolder(files: Record<string, string> = {}): AppFolder {
  const dir = mkdtempSync(join(tmpdir(), 'tet-serve-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('package.json', JSON.stringify({ name: 'serve-fixture', type: 'module', exports: './app.js' }));
  write('app.js', appSource());
  write('static/site.css', 'body { color: red }\n');
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running `tet serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  output(): string;
  /** A position in the combined output, for `waitFor(pattern, ms, mark)`. */
  mark(): number;
  errors(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr, or rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<RegExpMatchArray>;
  /** The base URL printed by tet serve (`http://127.0.0.1:port`). */
  base(ms?: number): Promise<string>;
  /** Sends a signal and resolves with the exit code (or signal), killing it after `ms`. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | string>;
  exited(ms?: number): Promise<number | string>;
  /** SIGKILL to the whole process group: for cleanup after a failure. */
  kill(): void;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function startServe(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ServeProcess {
  // Its own process group, so cleanup can end the supervisor and everything it started.
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  let all = ''; // both streams, in arrival order, for waitFor
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    all += chunk.toString();
  });
  const done = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const exited = (ms = 10_000) => Promise.race([done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`tet serve did not exit within ${ms} ms\n${out}\n${err}`)), ms).unref())]);
  const waitFor = (pattern: RegExp, ms = 10_000, from = 0) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = all.slice(from).match(pattern);
        if (match !== null) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(match);
        }
      };
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`no ${pattern} within ${ms} ms; output:\n${out}\nerrors:\n${err}`));
      }, ms);
      check();
    });
  return {
    child,
    output: () => out,
    mark: () => all.length,
    errors: () => err,
    waitFor,
    base: async (ms) => `http://127.0.0.1:${(await waitFor(/on http:\/\/localhost:(\d+)\//, ms))[1]}`,
    stop: (signal = 'SIGTERM', ms = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited(ms).catch((error: Error) => {
        killGroup(child);
        throw error;
      });
    },
    kill: () => killGroup(child),
    exited,
  };
}

/** A GET (on a fresh connection unless given an agent); resolves with status and body, rejects on error or after `ms`. */
export function get(url: string, ms = 5000, agent: Agent | false = false): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: ms }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${ms} ms`)));
    req.on('error', reject);
    req.end();
  });
}
