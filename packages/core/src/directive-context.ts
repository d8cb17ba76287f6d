// What a built-in directive's body asks of the configurator that called it. view-directives.ts
// and security-directives.ts take this narrow side of Configurator (which implements it), so
// configurator.ts imports them and they never import it back.
import type { ActionInfo } from './errors.js';
import type { Registry } from './registry.js';

/**
 * The configurator as a directive body sees it: the registry, the include's route prefix,
 * where the directive was called, and recording an action.
 * @example
 * function addWidget(config: DirectiveContext, name: string): void {
 *   config.action(`widget:${name}`, () => config.registry.settings[`widget.${name}`] = true)
 * }
 */
export interface DirectiveContext {
  readonly registry: Registry;
  /** The route prefix of the include the call was made in ('' at the top). */
  readonly routePrefix: string;
  /** Where the directive call in progress was made: the user's line. */
  readonly actionInfo: ActionInfo;
  /** Records an action, run at commit (see Configurator.action). */
  action(discriminator: string | null, execute?: () => void | Promise<void>, options?: { order?: number }): void;
}
