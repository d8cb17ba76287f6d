// A static view's release archive, opened when the view's commit action runs.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Configurator, ConfigurationError, resolveAssetSpec } from '@tet/core';
import { ARCHIVE_NAME } from './archive.js';
import { ReleaseArchive } from './archive-source.js';
import { type EarlierReleases, earlierReleases } from './earlier-releases.js';
import type { MemoryPolicy } from './file-reader.js';
import type { Representations } from './representations.js';

/** What a view tells openArchive about itself. */
export interface ArchiveSetup {
  readonly directive: string;
  readonly options: { readonly name: string; readonly archive?: string | undefined };
  readonly root: string;
  readonly kind: 'plain' | 'token' | 'content';
  /** The view's current token ('' for views without one). */
  readonly token: string;
  readonly memory: MemoryPolicy;
  readonly current: (relativePath: string) => Representations | undefined;
}

/**
 * Opens the view's archive: the `archive` option (which must exist), else `.tet-archive` in the
 * folder when there is one; undefined without one, or for a plain view (its URLs carry no
 * release). A token view whose own token is not in the archive says so at start-up: other
 * instances could not answer this release's URLs.
 */
export async function openArchive(config: Configurator, setup: ArchiveSetup): Promise<EarlierReleases | undefined> {
  if (setup.kind === 'plain') return undefined;
  const given = setup.options.archive;
  const dir = given === undefined ? join(setup.root, ARCHIVE_NAME) : resolveAssetSpec(given, config.registry);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    if (given === undefined) return undefined;
    throw new ConfigurationError(
      `${setup.directive}({ name: '${setup.options.name}', archive: '${given}' }): ${dir} is not a directory. ` +
        `Create it with 'npx tet assets build <folder> --archive ${given}', or leave out the archive option.`,
      'TET_ERR_STATIC_ARCHIVE',
    );
  }
  const archive = new ReleaseArchive(dir, setup.memory);
  if (setup.kind === 'token' && (await archive.own(setup.token)) === undefined) {
    config.registry.logger.warn(
      `tet.static: '${setup.options.name}' serves token ${setup.token}, which the release archive ${dir} does not hold, so other instances cannot answer ` +
        `this release's URLs during a rolling deploy. Build the release with 'npx tet assets build <folder> --token <release>' and start it with ` +
        `setCachebreaker(<release>) (the per-start default token cannot be archived), or use setCachebreaker({ from: 'content' }).`,
    );
  }
  return earlierReleases(archive, setup.current);
}
