// Compiled by `tsc -b`, never executed: class-based views and @viewConfig are typed.
import { type Configurator, type Request, Response, viewConfig } from '../../src/index.js';

class Views {
  readonly request: Request;
  constructor(request: Request) {
    this.request = request;
  }
  call(): Response {
    return new Response('call');
  }
  show(): object {
    return {};
  }
  withArgument(_x: string): Response {
    return new Response('x');
  }
}

class NoCall {
  readonly path: string;
  constructor(request: Request) {
    this.path = request.path;
  }
  show(): Response {
    return new Response('show');
  }
}

export function classViews(config: Configurator): void {
  config.addView(Views, { routeName: 'a' });
  config.addView(Views, { routeName: 'a', attr: 'show', renderer: 'json' });
  // @ts-expect-error attr must name a method of the class
  config.addView(Views, { routeName: 'a', attr: 'missing' });
  // @ts-expect-error a method that needs arguments cannot answer a request
  config.addView(Views, { routeName: 'a', attr: 'withArgument' });
  config.addView(NoCall, { routeName: 'a', attr: 'show' });
  // @ts-expect-error without attr the class needs a call() method
  config.addView(NoCall, { routeName: 'a' });
}

export class Decorated {
  readonly request: Request;
  constructor(request: Request) {
    this.request = request;
  }
  @viewConfig({ routeName: 'x', renderer: 'json' })
  show(): object {
    return {};
  }
  // @ts-expect-error viewConfig takes addView's options: routeName is required
  @viewConfig({ renderer: 'json' })
  other(): object {
    return {};
  }
}
