// `tet serve --reload`: a supervisor that runs the application in a child process and starts
// a new child when the built JS or the settings file changes. ES modules cannot be unloaded,
// so a fresh process is the only reload that never serves a stale module.
import { type ChildProcess, fork } from 'node:child_process';
import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { ServePlan } from './plan.js';
import { displayUrl, type ServeMessage } from './run-app.js';
import { childExecArgv } from './child-flags.js';

const WATCHED = /\.(?:js|mjs|cjs|json|ini)$/;
const IGNORED = /(?:^|[\\/])(?:node_modules|\.git)(?:[\\/]|$)/;
const SETTLE_MS = 150;

/**
 * Watches the application's package (its .js, .json and .ini files; not node_modules) and the
 * settings file, and restarts the child on each change; a child that fails to start is
 * reported, and the next change tries again. The port stays the one the first child got.
 * @example
 * await superviseReload(plan, cliPath, ['development.ini', '--reload'])
 */
export async function superviseReload(plan: ServePlan, cli: string, args: string[]): Promise<void> {
  let child: ChildProcess | undefined;
  let port: number | undefined = plan.port === 0 ? undefined : plan.port;
  let pending = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TET_SERVE_ROLE: 'child' };
    if (port !== undefined) env.TET_SERVE_PORT = String(port);
    const started = fork(cli, ['serve', ...args], { env, stdio: 'inherit', execArgv: childExecArgv() });
    child = started;
    let listening = false;
    started.on('message', (message: ServeMessage) => {
      if (message?.type !== 'tet:listening') return;
      listening = true;
      const first = port === undefined || !announced;
      port = message.port;
      if (first) console.log(`tet serve: serving ${plan.source} on ${displayUrl(plan.host, port)} with --reload; Ctrl-C stops it`);
      else console.log('tet serve: reloaded; serving again');
      announced = true;
    });
    started.on('exit', (code, signal) => {
      if (child === started) child = undefined;
      if (stopping) return;
      if (pending) {
        pending = false;
        start();
      } else if (!listening) console.error(`tet serve: the application failed to start (exit ${code ?? signal}); fix the error above and save, tet serve is watching`);
      else if (code !== 0) console.error(`tet serve: the application stopped (exit ${code ?? signal}); fix the error above and save, tet serve is watching`);
    });
  };
  let announced = false;

  const restart = (why: string) => {
    console.log(`tet serve: ${why} changed; restarting`);
    if (child === undefined) start();
    else {
      pending = true;
      stopChild(child);
    }
  };

  const watcher = watch([plan.packageRoot, ...(plan.configFile === undefined ? [] : [plan.configFile])], {
    ignoreInitial: true,
    ignored: (path, stats) => IGNORED.test(path) || (stats?.isFile() === true && !WATCHED.test(path) && path !== plan.configFile),
  });
  watcher.on('all', (_event, path) => {
    if (!WATCHED.test(path) && path !== plan.configFile) return;
    clearTimeout(timer);
    timer = setTimeout(() => restart(relative(process.cwd(), path).split(sep).join('/') || path), SETTLE_MS);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  start();

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void watcher.close();
    if (child === undefined) process.exit(0);
    child.once('exit', () => process.exit(0));
    stopChild(child);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

// Ask for a graceful stop; cut it short if the child ignores it.
function stopChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  timer.unref();
  child.once('exit', () => clearTimeout(timer));
}
