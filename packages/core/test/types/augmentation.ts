// Compiled by `tsc -b` in every test run, never executed: a wrong line here breaks the build.
import { type App, applicationFactory, type Configurator, Response, type Request } from '../../src/index.js';
import type { Equal, Expect } from './equal.js';

declare module '../../src/index.js' {
  interface Directives {
    addWidget(name: string, size?: number): void;
  }
  interface Request {
    currentUser: { name: string };
    can(permission: string): boolean;
  }
  interface Registry {
    widgets?: Map<string, number>;
  }
}

export function typedDirectives(config: Configurator): void {
  // The implementation's parameters are inferred from the augmented signature.
  config.addDirective('addWidget', (c, name, size = 1) => {
    type Check = Expect<Equal<typeof name, string>> | Expect<Equal<typeof c, Configurator>>;
    const checked: Check = true;
    void checked;
    c.registry.widgets = new Map([[name, size]]);
  });
  config.addWidget('button');
  config.addWidget('slider', 3);
  // @ts-expect-error the argument types come from the augmentation
  config.addWidget(42);
  // @ts-expect-error a misspelt directive does not exist
  config.addWidgit('button');
  // @ts-expect-error an implementation with the wrong signature is rejected
  config.addDirective('addWidget', (_c: Configurator, _name: number) => {});
  // @ts-expect-error only declared directives can be added
  config.addDirective('addUndeclared', () => {});
  const widgets: Map<string, number> | undefined = config.registry.widgets;
  void widgets;
}

export function typedRequestMethods(config: Configurator): void {
  config.addRequestMethod('currentUser', () => ({ name: 'ada' }), { reify: true });
  config.addRequestMethod('can', (request, permission) => {
    type Check = Expect<Equal<typeof permission, string>> | Expect<Equal<typeof request, Request>>;
    const checked: Check = true;
    return checked && permission === 'read';
  });
  // @ts-expect-error a property must be registered with { reify: true }: as a method it does not fit
  config.addRequestMethod('currentUser', (_request: Request, _extra: string) => ({ name: 'x' }));
  // @ts-expect-error the reified value must have the declared type
  config.addRequestMethod('currentUser', () => 'not a user', { reify: true });
  // @ts-expect-error a method returns what the augmentation says
  config.addRequestMethod('can', () => 'yes');
  config.addView((request) => new Response(`${request.currentUser.name} ${request.can('read')}`), { routeName: 'home' });
}

export const main = applicationFactory((config) => {
  config.addRoute('home', '/');
});
type MainReturns = Expect<Equal<ReturnType<typeof main>, App | Promise<App>>>;
export const mainReturns: MainReturns = true;

export async function usesAwait(): Promise<void> {
  const app = await main({ 'tet.debug': true });
  type Awaited = Expect<Equal<typeof app, App>>;
  const awaited: Awaited = true;
  void awaited;
  // @ts-expect-error main() may return a Promise, so it must be awaited before use
  main().listen(0);
}
