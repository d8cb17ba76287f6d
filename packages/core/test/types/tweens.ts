// Compiled by `tsc -b` in every test run, never executed: tweens are typed from their factory.
import { type Configurator, type Handler, INGRESS, MAIN, type Registry, type Request, Response, type TweenFactory } from '../../src/index.js';
import type { Equal, Expect } from './equal.js';

export function typedTweens(config: Configurator): void {
  // The factory's parameters and the handler's request are inferred.
  config.addTween('timing', (handler, registry) => {
    type Check = Expect<Equal<typeof handler, Handler>> | Expect<Equal<typeof registry, Registry>>;
    const checked: Check = true;
    void checked;
    return async (request) => {
      type RequestCheck = Expect<Equal<typeof request, Request>>;
      const fine: RequestCheck = true;
      void fine;
      const response = await handler(request);
      return response.setHeader('server-timing', 'app');
    };
  });
  // A named function names itself; a synchronous handler is a handler too.
  const poweredBy: TweenFactory = (handler) => (request) => handler(request);
  config.addTween(poweredBy, { under: INGRESS, over: MAIN });
  config.addTween('shortCircuit', () => () => new Response('maintenance', { status: 503 }), { over: ['csrf', MAIN] });
  // @ts-expect-error a factory returns a handler, not a Response
  config.addTween('wrong', () => new Response('x'));
  // @ts-expect-error a handler answers with a Response, not a string
  config.addTween('text', () => () => 'hello');
  // @ts-expect-error a handler takes a request, not a Response
  config.addTween('backwards', (handler: (response: Response) => Response) => handler);
  // @ts-expect-error the options are under and over only
  config.addTween('misspelt', poweredBy, { undr: INGRESS });
  // @ts-expect-error a name is a string
  config.addTween(42, poweredBy);
}

// What MAIN and INGRESS are: names in the chain, usable wherever a tween name is.
type Names = Expect<Equal<typeof MAIN, 'MAIN'>>;
export const names: Names = true;
