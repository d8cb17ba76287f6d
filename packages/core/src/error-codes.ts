// The closed set of error codes. Each package lists its own codes, with a one-line meaning,
// in an object like `coreErrorCodes` and adds them to `TetErrorCodes` by augmentation, so a
// misspelt code fails to compile and the docs test checks docs/errors.md against the lists.

/** @tet/core's error codes and what each means; docs/errors.md explains each one. */
export const coreErrorCodes = {
  TET_ERR_INTERNAL: 'a TetError without a specific code: a bug in Tet',
  TET_ERR_CONFIG: 'a generic configuration error, e.g. commit() during a commit',
  TET_ERR_CONFIG_CONFLICT: 'two configuration actions share a discriminator',
  TET_ERR_CONFIG_EXECUTION: 'a configuration action threw during commit()',
  TET_ERR_DIRECTIVE_UNKNOWN: 'a directive was called that no include added',
  TET_ERR_DIRECTIVE_CONFLICT: 'addDirective() for a name that has another function, or a built-in',
  TET_ERR_INCLUDE: 'config.include() got neither a function nor a module with includeme/default',
  TET_ERR_ROUTE_NAME: 'addRoute() without a non-empty name',
  TET_ERR_ROUTE_PATTERN: 'a route pattern the router cannot take',
  TET_ERR_ROUTE_REGEX: "a '{name:regex}' route parameter whose regular expression is invalid, empty or spans a '/'",
  TET_ERR_ROUTE_UNKNOWN: 'a route name nobody added (addView routeName, request.routeUrl)',
  TET_ERR_ROUTE_PARAMS: 'routeUrl()/routePath() without a value for a pattern parameter',
  TET_ERR_VIEW_OPTIONS: 'addView()/addExceptionView() with invalid options, or an option nothing reads',
  TET_ERR_PREDICATE: 'addViewPredicate()/addRoutePredicate() with a bad name or factory, or a name already taken',
  TET_ERR_ROUTE_OPTIONS: 'addRoute() with an option that is no route predicate',
  TET_ERR_SUBSCRIBER: 'addSubscriber() without a function and an event class, or addRendererGlobals() without an object',
  TET_ERR_TWEEN: 'addTween() without a named factory, a factory returning no handler, or under/over naming nobody or forming a cycle',
  TET_ERR_VIEW_DERIVER: 'addViewDeriver() without a named function, or under/over naming nobody or forming a cycle',
  TET_ERR_RENDERER_UNKNOWN: 'a view names a renderer nobody registered',
  TET_ERR_RENDERER_OPTIONS: 'addRenderer() without a name or a factory',
  TET_ERR_REQUEST_METHOD: 'addRequestMethod() with an invalid name, function or clash',
  TET_ERR_COOKIE: 'response.setCookie() with an invalid name, value or option',
  TET_ERR_METHOD_UNKNOWN: 'requestMethod names a method outside http.METHODS (a typo such as GETT)',
  TET_ERR_SERVER_LIMIT: 'a tet.server.* or tet.view_timeout setting that is not a whole number in range',
  TET_ERR_CLOSE_TIMEOUT: 'app.close() with a timeout that is not a number of milliseconds, 0 or more',
  TET_ERR_ASSET_SPEC: 'an asset spec whose package cannot be found',
  TET_ERR_FORM_SETTINGS: 'a tet.form.* limit setting that is not a whole number',
  TET_ERR_FORM_UNREAD: 'request.params read before await request.form() on a form request',
  TET_ERR_SESSION_SECRET: 'a session factory without secrets, or with one shorter than 32 characters',
  TET_ERR_SESSION_TOO_LARGE: 'a cookie session that no longer fits in a 4 KB cookie',
  TET_ERR_SESSION_FACTORY: 'request.session read, or setSessionFactory() called, without a usable session factory',
  TET_ERR_CSRF_OPTIONS: 'setDefaultCsrfOptions() with options of the wrong type',
  TET_ERR_SECURITY_POLICY: 'setSecurityPolicy() with an incomplete policy, remember()/forget() without one, or a bad default permission',
  TET_ERR_SETTINGS_FILE: 'tet serve cannot read or parse a settings file, or it lacks [app:main]',
  TET_ERR_SETTINGS_VALUE: 'a setting (file or environment) with a value Tet cannot use',
  TET_ERR_SETTINGS_ENV: 'an environment variable that could override two keys',
  TET_ERR_SERVE_USAGE: 'tet serve with an unknown option or a combination it cannot run',
  TET_ERR_SERVE_APP: "tet serve cannot find or load the application's main",
  TET_ERR_SERVE_LISTEN: 'tet serve cannot listen on the host and port it was given',
} as const;

type CoreErrorCodes = { readonly [K in keyof typeof coreErrorCodes]: string };

/**
 * Every Tet error code, with its meaning as the value type's documentation. A package adds its
 * own codes by module augmentation from a module file:
 * @example
 * export const staticErrorCodes = { TET_ERR_STATIC_PATH: 'the path is not a directory' } as const;
 * declare module '@tet/core' { interface TetErrorCodes extends Record<keyof typeof staticErrorCodes, string> {} }
 */
export interface TetErrorCodes extends CoreErrorCodes {}

/** A code from {@link TetErrorCodes}: a misspelt one does not compile. */
export type TetErrorCode = keyof TetErrorCodes & string;
