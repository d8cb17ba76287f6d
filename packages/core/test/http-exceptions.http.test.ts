import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tet from '../src/index.js';
import { applicationFactory, type HTTPException, HTTPClientError, HTTPRedirection, HTTPServerError, HTTPSuccessful } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer, withTimeout } from '../src/testing.js';

// Every class Pyramid's httpexceptions has, with the status and title it must send.
const TABLE: [string, number, string][] = [
  ['HTTPOk', 200, 'OK'],
  ['HTTPCreated', 201, 'Created'],
  ['HTTPAccepted', 202, 'Accepted'],
  ['HTTPNonAuthoritativeInformation', 203, 'Non-Authoritative Information'],
  ['HTTPNoContent', 204, 'No Content'],
  ['HTTPResetContent', 205, 'Reset Content'],
  ['HTTPPartialContent', 206, 'Partial Content'],
  ['HTTPMultipleChoices', 300, 'Multiple Choices'],
  ['HTTPMovedPermanently', 301, 'Moved Permanently'],
  ['HTTPFound', 302, 'Found'],
  ['HTTPSeeOther', 303, 'See Other'],
  ['HTTPNotModified', 304, 'Not Modified'],
  ['HTTPUseProxy', 305, 'Use Proxy'],
  ['HTTPTemporaryRedirect', 307, 'Temporary Redirect'],
  ['HTTPPermanentRedirect', 308, 'Permanent Redirect'],
  ['HTTPBadRequest', 400, 'Bad Request'],
  ['HTTPUnauthorized', 401, 'Unauthorized'],
  ['HTTPPaymentRequired', 402, 'Payment Required'],
  ['HTTPForbidden', 403, 'Forbidden'],
  ['HTTPNotFound', 404, 'Not Found'],
  ['HTTPMethodNotAllowed', 405, 'Method Not Allowed'],
  ['HTTPNotAcceptable', 406, 'Not Acceptable'],
  ['HTTPProxyAuthenticationRequired', 407, 'Proxy Authentication Required'],
  ['HTTPRequestTimeout', 408, 'Request Timeout'],
  ['HTTPConflict', 409, 'Conflict'],
  ['HTTPGone', 410, 'Gone'],
  ['HTTPLengthRequired', 411, 'Length Required'],
  ['HTTPPreconditionFailed', 412, 'Precondition Failed'],
  ['HTTPRequestEntityTooLarge', 413, 'Request Entity Too Large'],
  ['HTTPRequestURITooLong', 414, 'Request-URI Too Long'],
  ['HTTPUnsupportedMediaType', 415, 'Unsupported Media Type'],
  ['HTTPRequestRangeNotSatisfiable', 416, 'Requested Range Not Satisfiable'],
  ['HTTPExpectationFailed', 417, 'Expectation Failed'],
  ['HTTPUnprocessableEntity', 422, 'Unprocessable Entity'],
  ['HTTPLocked', 423, 'Locked'],
  ['HTTPFailedDependency', 424, 'Failed Dependency'],
  ['HTTPPreconditionRequired', 428, 'Precondition Required'],
  ['HTTPTooManyRequests', 429, 'Too Many Requests'],
  ['HTTPRequestHeaderFieldsTooLarge', 431, 'Request Header Fields Too Large'],
  ['HTTPUnavailableForLegalReasons', 451, 'Unavailable For Legal Reasons'],
  ['HTTPInternalServerError', 500, 'Internal Server Error'],
  ['HTTPNotImplemented', 501, 'Not Implemented'],
  ['HTTPBadGateway', 502, 'Bad Gateway'],
  ['HTTPServiceUnavailable', 503, 'Service Unavailable'],
  ['HTTPGatewayTimeout', 504, 'Gateway Timeout'],
  ['HTTPVersionNotSupported', 505, 'HTTP Version Not Supported'],
  ['HTTPInsufficientStorage', 507, 'Insufficient Storage'],
];

const classes = tet as unknown as Record<string, typeof HTTPException & (new (detail?: string) => HTTPException)>;

function makeApp() {
  return applicationFactory((config) => {
    config.addRoute('raise', '/raise/:name');
    config.addView(
      (request) => {
        const type = classes[request.matchdict['name']!]!;
        // A redirect's argument is its Location.
        throw new type(type.prototype instanceof HTTPRedirection ? '/target' : 'Some detail.');
      },
      { routeName: 'raise' },
    );
    config.addRoute('evil', '/evil');
    config.addView(
      (request) => {
        throw new tet.HTTPBadRequest(`Bad value <script>alert("${request.query.get('q') ?? ''}")</script> & more`);
      },
      { routeName: 'evil' },
    );
    config.addRoute('go', '/go');
    config.addView((request) => new tet.HTTPFound(`/next?<script>${request.query.get('to') ?? ''}`), { routeName: 'go' });
    config.addRoute('own-body', '/own-body');
    config.addView(() => new tet.HTTPConflict('x', { body: 'my own body' }), { routeName: 'own-body' });
  });
}

const exceptions = suite<{ server: TestServer }>('HTTPException bodies and statuses');
exceptions.before(async (context) => {
  context.server = await startTestServer(makeApp()());
});
exceptions.after(async (context) => context.server.close());

exceptions('every Pyramid HTTP exception class sends its status and title, under the right base class', (context) =>
  withTimeout(async () => {
    for (const [name, status, title] of TABLE) {
      const type = classes[name];
      assert.ok(type !== undefined, `${name} is exported`);
      assert.is(type.status, status, name);
      assert.is(type.title, title, name);
      const base = status < 300 ? HTTPSuccessful : status < 400 ? (status === 304 ? tet.HTTPException : HTTPRedirection) : status < 500 ? HTTPClientError : HTTPServerError;
      assert.ok(type.prototype instanceof base, `${name} extends ${base.name}`);
      const res = await rawRequest(context.server.base, `/raise/${name}`, { headers: { accept: 'application/json' } });
      assert.is(res.status, status, name);
      if (status === 204 || status === 205 || status === 304) {
        assert.is(res.text, '', `${name} has no body`);
        continue;
      }
      if (type.prototype instanceof HTTPRedirection) assert.is(res.headers.location, '/target', name);
      assert.equal(JSON.parse(res.text), { message: type.prototype instanceof HTTPRedirection ? 'The resource is at /target' : 'Some detail.', code: status, title }, name);
    }
  }, 20_000),
);

exceptions('the body follows Accept: HTML, JSON or text, with q-values; */* and none give text', (context) =>
  withTimeout(async () => {
    const formatOf = async (accept: string | undefined) => {
      const res = await rawRequest(context.server.base, '/raise/HTTPNotFound', accept === undefined ? {} : { headers: { accept } });
      assert.is(res.status, 404);
      assert.ok(String(res.headers.vary).includes('Accept'), 'caches keep the formats apart');
      return String(res.headers['content-type']);
    };
    assert.is(await formatOf('text/html'), 'text/html; charset=utf-8');
    assert.is(await formatOf('application/json'), 'application/json');
    assert.is(await formatOf('text/plain'), 'text/plain; charset=utf-8');
    assert.is(await formatOf(undefined), 'text/plain; charset=utf-8');
    assert.is(await formatOf('*/*'), 'text/plain; charset=utf-8', 'fetch and curl read text');
    assert.is(await formatOf('image/png'), 'text/plain; charset=utf-8', 'nothing acceptable falls back to text');
    assert.is(await formatOf('text/html;q=0.5, application/json'), 'application/json');
    assert.is(await formatOf('text/html;q=0.9, application/json;q=0.8'), 'text/html; charset=utf-8');
    assert.is(await formatOf('application/json, text/html'), 'text/html; charset=utf-8', 'ties go to HTML, as Pyramid');
    assert.is(await formatOf('text/*, application/json;q=0.5'), 'text/html; charset=utf-8');
    assert.is(await formatOf('text/html;q=0, text/*, application/json;q=0.3'), 'application/json', 'the exact range beats text/*');
    assert.is(await formatOf('TEXT/HTML; Q=0.2, application/json; q=0.1'), 'text/html; charset=utf-8', 'case-insensitive');
    assert.is(await formatOf('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), 'text/html; charset=utf-8', "a browser's Accept");
    const html = await rawRequest(context.server.base, '/raise/HTTPNotFound', { headers: { accept: 'text/html' } });
    assert.ok(html.text.startsWith('<!DOCTYPE html>'), html.text);
    assert.ok(html.text.includes('<title>404 Not Found</title>') && html.text.includes('<p>Some detail.</p>'), html.text);
    const text = await rawRequest(context.server.base, '/raise/HTTPNotFound');
    assert.is(text.text, '404 Not Found\n\nSome detail.\n');
    const own = await rawRequest(context.server.base, '/own-body', { headers: { accept: 'text/html' } });
    assert.equal([own.status, own.text, own.headers['content-type']], [409, 'my own body', 'text/plain; charset=utf-8'], 'a given body is sent as it is');
  }),
);

exceptions('details and URLs with <script> are escaped in HTML and encoded in JSON', (context) =>
  withTimeout(async () => {
    const path = '/evil?q=%3Cscript%3Ex%3C/script%3E';
    const html = await rawRequest(context.server.base, path, { headers: { accept: 'text/html' } });
    assert.is(html.status, 400);
    assert.not.ok(html.text.includes('<script>'), html.text);
    assert.ok(html.text.includes('<p>Bad value &lt;script&gt;alert(&quot;&lt;script&gt;x&lt;/script&gt;&quot;)&lt;/script&gt; &amp; more</p>'), html.text);
    const json = await rawRequest(context.server.base, path, { headers: { accept: 'application/json' } });
    assert.is(JSON.parse(json.text).message, 'Bad value <script>alert("<script>x</script>")</script> & more');
    const unknown = await rawRequest(context.server.base, '/<script>alert(1)</script>', { headers: { accept: 'text/html' } });
    assert.is(unknown.status, 404);
    assert.not.ok(unknown.text.includes('<script>'), unknown.text);
    const redirect = await rawRequest(context.server.base, '/go?to=%3C/script%3E%3Cscript%3E', { headers: { accept: 'text/html' } });
    assert.is(redirect.status, 302);
    assert.is(redirect.headers.location, '/next?%3Cscript%3E%3C/script%3E%3Cscript%3E', 'write-response encodes the Location');
    assert.not.ok(redirect.text.includes('<script>'), redirect.text);
    assert.ok(redirect.text.includes('The resource is at /next?&lt;script&gt;&lt;/script&gt;&lt;script&gt;'), redirect.text);
  }),
);

exceptions('without a request (a plain toResponse(), the static response()) the body stays text', () => {
  assert.is(new tet.HTTPTooManyRequests('slow down').toResponse().body, '429 Too Many Requests\n\nslow down\n');
  assert.is(tet.HTTPUnavailableForLegalReasons.response().body, '451 Unavailable For Legal Reasons\n');
  assert.is(tet.HTTPNoContent.response().body, null);
  assert.is(tet.HTTPPermanentRedirect.response('/x').headers['location'], '/x');
});

exceptions.run();
