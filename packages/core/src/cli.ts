#!/usr/bin/env node
// The `tet` command. Subcommands live in the packages that own them and are imported on
// demand from the project the command runs in, so `tet assets` works when @tet/static is installed.
import { importFromProject, PackageNotInstalledError } from './project-import.js';

type Command = (args: string[]) => Promise<number>;

const USAGE = `Usage: tet <command> [options]

Commands:
  new <folder>        create a new Tet application in an empty folder
  serve [file]        serve the application (development.ini, app.js; --reload, --workers N)
  routes [file]       list the routes, their patterns, methods and views
  views [file]        list the views, and each static view's prefix, folder and token
  assets manifest     write a static folder's asset manifest and release ledger (@tet/static)
  assets build        the manifest, plus the release archive for rolling deploys (@tet/static)
  assets verify       check every asset through a CDN after a deploy (@tet/static)
  help                this text`;

const commands: Record<string, Command> = {
  assets: async (args) => {
    let cli: { runAssetsCommand(args: string[]): Promise<number> };
    try {
      cli = await importFromProject('@tet/static/cli');
    } catch (error) {
      if (error instanceof PackageNotInstalledError) {
        console.error("tet assets: @tet/static is not installed here. Run 'npm install @tet/static' first.");
        return 2;
      }
      console.error('tet assets: @tet/static is installed but failed to load:', error);
      return 1;
    }
    return cli.runAssetsCommand(args);
  },
  serve: async (args) => {
    const { runServeCommand } = await import('./serve/command.js');
    return runServeCommand(args);
  },
  routes: async (args) => introspect('routes', args),
  views: async (args) => introspect('views', args),
  new: async (args) => {
    const { runNewCommand } = await import('./scaffold.js');
    return runNewCommand(args);
  },
};

async function introspect(what: 'routes' | 'views', args: string[]): Promise<number> {
  const { runIntrospectCommand } = await import('./serve/introspect-command.js');
  const { reportFailure } = await import('./serve/command.js');
  try {
    // Exit at once: an application may hold timers or watchers that would keep it running.
    process.exit(await runIntrospectCommand(what, args));
  } catch (error) {
    reportFailure(error);
    return 1;
  }
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
  console.log(USAGE);
} else {
  const command = commands[name];
  if (command === undefined) {
    console.error(`tet: unknown command '${name}'.\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.exitCode = await command(args);
  }
}
