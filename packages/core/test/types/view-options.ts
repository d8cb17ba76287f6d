// Compiled by `tsc -b`, never executed: view options are typed by augmentation.
import { type Configurator, type DerivedView, Response, type ViewDeriver } from '../../src/index.js';
import type { Equal, Expect } from './equal.js';

declare module '../../src/index.js' {
  interface ViewOptions {
    audience?: 'staff' | 'public';
  }
}

export function augmentedViewOptions(config: Configurator): void {
  config.addView(() => new Response('x'), { routeName: 'home', audience: 'staff' });
  // @ts-expect-error an augmented option keeps its type
  config.addView(() => new Response('x'), { routeName: 'home', audience: 'everyone' });
  // @ts-expect-error an option nobody declared does not exist
  config.addView(() => new Response('x'), { routeName: 'home', audiance: 'staff' });
  // Exception views accept the augmented options as well.
  config.addExceptionView(() => new Response('x'), { context: Error, audience: 'public' });
}

export function typedDerivers(config: Configurator): void {
  const deriver: ViewDeriver = (view, info) => {
    type Check = Expect<Equal<typeof view, DerivedView>> | Expect<Equal<typeof info.options.audience, 'staff' | 'public' | undefined>>;
    const checked: Check = true;
    void checked;
    return view;
  };
  config.addViewDeriver(deriver, { options: ['audience'] });
  // @ts-expect-error only declared view options can be listed
  config.addViewDeriver(deriver, { options: ['audiance'] });
  // @ts-expect-error a deriver must return a view that answers a Response
  config.addViewDeriver(() => () => 'not a response');
}
