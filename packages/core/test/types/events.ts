// Compiled by `tsc -b` in every test run, never executed: subscribers get their event's type.
import { ApplicationCreated, type App, BeforeRender, type Configurator, ContextFound, NewRequest, NewResponse, type Registry, type Request, type Response } from '../../src/index.js';
import type { Equal, Expect } from './equal.js';

/** An event class of the application's own, sent with `registry.notify`. */
class OrderPlaced {
  readonly orderId: string;
  constructor(orderId: string) {
    this.orderId = orderId;
  }
}

/** A subclass: its subscribers, and its base class's, receive it. */
class BigOrderPlaced extends OrderPlaced {
  readonly total = 1_000_000;
}

export function typedSubscribers(config: Configurator, registry: Registry): void {
  config.addSubscriber((event) => {
    type Check = Expect<Equal<typeof event, NewRequest>> | Expect<Equal<typeof event.request, Request>>;
    const checked: Check = true;
    void checked;
  }, NewRequest);
  config.addSubscriber((event) => {
    type Check = Expect<Equal<typeof event.response, Response>>;
    const checked: Check = true;
    void checked;
  }, NewResponse);
  config.addSubscriber((event) => {
    type Check = Expect<Equal<typeof event.globals, Record<string, unknown>>> | Expect<Equal<typeof event.rendering, unknown>>;
    const checked: Check = true;
    event.globals.year = checked ? 2026 : 0;
    event.rendering = { replaced: true }; // subscribers may replace the value
  }, BeforeRender);
  config.addSubscriber((event) => {
    type Check = Expect<Equal<typeof event.app, App>>;
    const checked: Check = true;
    void checked;
  }, ApplicationCreated);
  config.addSubscriber(async (event) => {
    await Promise.resolve(event.request.matchedRouteName);
  }, ContextFound);
  config.addSubscriber((event) => {
    type Check = Expect<Equal<typeof event.orderId, string>>;
    const checked: Check = true;
    void checked;
  }, OrderPlaced);
  // A subscriber of the base class may be given the subclass.
  config.addSubscriber((event: OrderPlaced) => void event.orderId, BigOrderPlaced);

  // @ts-expect-error a NewRequest has no response
  config.addSubscriber((event) => event.response, NewRequest);
  // @ts-expect-error a subscriber of NewResponse does not receive NewRequest events
  config.addSubscriber((event: NewResponse) => void event.response, NewRequest);
  // @ts-expect-error a subscriber of the subclass does not receive every OrderPlaced
  config.addSubscriber((event: BigOrderPlaced) => void event.total, OrderPlaced);
  // @ts-expect-error the event type is a class, not its name
  config.addSubscriber(() => {}, 'NewRequest');

  // notify() is synchronous unless a subscriber is async.
  const sent = registry.notify(new OrderPlaced('o-1'));
  type Sent = Expect<Equal<typeof sent, void | Promise<void>>>;
  const fine: Sent = true;
  void fine;
}
