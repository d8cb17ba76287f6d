// Environment overrides, as Pyramid's PYRAMID_* variables: the environment wins over the file.
import { ConfigurationError } from '../errors.js';
import type { Settings } from '../settings.js';
import { checkSetting, envNameOf, KNOWN_SETTINGS } from './setting-rules.js';

/** Variables tet serve uses between its own processes; never settings. */
export const INTERNAL_PREFIX = 'TET_SERVE_';

/**
 * Applies environment overrides to `settings` (in place) and returns the keys it set.
 * A variable overrides the key whose {@link envNameOf} it is: for `TET_*`, a key of the file or
 * one Tet knows (`TET_MAX_BODY_SIZE` → `tet.max_body_size`), else `tet.` plus the rest with
 * underscores as dots (`TET_MYPKG_COLOR` → `tet.mypkg.color`); for any other dotted key, only
 * a key the file declares (`MYAPP_RELEASE` → `myapp.release`), so `HOME` or `PATH` never leak in.
 * @example
 * applyEnvironment(settings, { TET_STATIC_RELOAD: 'true' }) // settings['tet.static.reload'] === 'true'
 */
export function applyEnvironment(settings: Settings, env: NodeJS.ProcessEnv): string[] {
  const byEnvName = new Map<string, Set<string>>();
  for (const key of [...Object.keys(KNOWN_SETTINGS), ...Object.keys(settings)]) {
    if (!key.includes('.')) continue;
    const name = envNameOf(key);
    const keys = byEnvName.get(name) ?? new Set<string>();
    keys.add(key);
    byEnvName.set(name, keys);
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith(INTERNAL_PREFIX)) continue;
    const candidates = byEnvName.get(name);
    let key: string | undefined;
    if (candidates !== undefined && candidates.size > 1) {
      throw new ConfigurationError(
        `environment variable ${name}: it could override ${[...candidates].join(' or ')}. Rename one of the keys so their names differ by more than '.' and '_'.`,
        'TET_ERR_SETTINGS_ENV',
      );
    }
    if (candidates !== undefined) key = [...candidates][0];
    else if (name.startsWith('TET_') && name.length > 4) key = `tet.${name.slice(4).toLowerCase().replaceAll('_', '.')}`;
    if (key === undefined) continue;
    checkSetting(key, value, `environment variable ${name}`);
    settings[key] = value;
    applied.push(key);
  }
  return applied;
}
