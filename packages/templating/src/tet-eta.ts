// Eta, with what include() and layout() return marked as safe HTML.
//
// A partial escapes its own output, so what `include()` returns is markup: printed through
// `$` or `<%= %>` it must not be escaped a second time (Eta returns a plain string, which
// would be). The same holds for a layout's `body`, the page's finished HTML. Eta's generated
// code calls `this.render`/`this.renderAsync` for includes and passes `body: __eta.res` to
// the layout; those calls are pointed at the methods below.
import { Eta, type EtaConfig } from 'eta';
import { literal, type Markup } from './markup.js';

// [Eta's code, Tet's replacement]. Each must be found: an Eta upgrade that changes its
// generated code then fails every template at once (and the tests), instead of quietly
// escaping partials twice.
type Meta = Parameters<Eta['render']>[2];

const REWRITES: readonly (readonly [string, string])[] = [
  ['=> this.render(__eta_t,', '=> this.renderPartial(__eta_t,'],
  ['=> this.renderAsync(__eta_t,', '=> this.renderPartialAsync(__eta_t,'],
  ['body: __eta.res,', 'body: this.markup(__eta.res),'],
];

/**
 * The Eta class Tet's engine uses: `include()`, `includeAsync()` and a layout's `body` are
 * {@link Markup}, so `${include('./part')}` prints the partial's HTML as it is.
 * @example
 * const eta = new TetEta({ escapeFunction: escapeHtml }); eta.renderString('${include("@part")}', {})
 */
export class TetEta extends Eta {
  constructor(config?: Partial<EtaConfig>) {
    super(config);
    // Eta's methods are instance fields, so they are wrapped here rather than overridden.
    const compileToString = this.compileToString.bind(this);
    this.compileToString = (template, options) => {
      let code = compileToString(template, options);
      for (const [from, to] of REWRITES) {
        if (!code.includes(from)) throw new Error(`@tet/templating does not know this version of Eta: its generated code has no '${from}'`);
        code = code.replace(from, to);
      }
      return code;
    };
  }

  /** What `include()` calls: the partial's HTML, marked safe. */
  renderPartial(name: string, data: object, meta?: Meta): Markup {
    return literal(this.render(name, data, meta));
  }

  /** What `includeAsync()` calls, and an async template's layout. */
  async renderPartialAsync(name: string, data: object, meta?: Meta): Promise<Markup> {
    return literal(await this.renderAsync(name, data, meta));
  }

  /** A layout's `body`: the page's rendered HTML. */
  markup(html: string): Markup {
    return literal(html);
  }
}
