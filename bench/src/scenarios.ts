// The measured scenarios: for each, which servers take part, the request each is sent, and
// the answer each must give. The same checks gate the benchmark (pre-flight) and the smoke
// test, so a server that answers wrongly is never timed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawRequest } from '@tet/core/testing';
import type { Fixture } from './fixture.js';
import type { LoadRequest } from './loadgen.js';
import type { ServerName } from './servers/index.js';
import { expectedPage, FILES, MISSING, OLD_TOKEN, type SizedFile, TOKEN } from './site.js';

/** What a scenario needs to know about the running servers. */
export interface ScenarioContext {
  readonly fixture: Fixture;
  /** Each server's ETag for the 1 KB file, read before the 304 scenario. */
  readonly etags: Partial<Record<ServerName, string>>;
  /** Each server's session cookie and CSRF token, read before the form scenario. */
  readonly forms?: Partial<Record<ServerName, FormSession>>;
}

/** A session a server started (`GET /form`): its cookie and its CSRF token. */
export interface FormSession {
  readonly cookie: string;
  readonly token: string;
}

/** What a correct answer looks like. */
export interface Expectation {
  readonly status: number;
  /** The exact body, when it is known (files, the page). */
  readonly body?: Buffer;
  /** A header that must have this value. */
  readonly header?: readonly [name: string, value: string];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly servers: readonly ServerName[];
  request(server: ServerName, context: ScenarioContext): LoadRequest;
  expect(server: ServerName, context: ScenarioContext, origin: string): Expectation;
}

const ALL: readonly ServerName[] = ['tet', 'sirv', 'fastify', 'express', 'raw'];

/** Where a server serves an asset: Tet's URLs carry the token, the others' do not. */
export function assetPath(server: ServerName, asset: string): string {
  return server === 'tet' ? `/static/${TOKEN}/${asset}` : `/static/${asset}`;
}

function get(path: string, headers: Record<string, string> = {}): LoadRequest {
  return { path, headers };
}

function fileScenario(id: string, title: string, file: SizedFile): Scenario {
  return {
    id,
    title,
    servers: ALL,
    request: (server) => get(assetPath(server, FILES[file])),
    expect: (_server, { fixture }) => ({ status: 200, body: readFileSync(join(fixture.assets, FILES[file])) }),
  };
}

export const SCENARIOS: readonly Scenario[] = [
  fileScenario('small', '1 KB 200', 'small'),
  fileScenario('medium', '100 KB 200', 'medium'),
  fileScenario('large', '1 MB 200', 'large'),
  {
    id: 'not-modified',
    title: 'conditional GET 304',
    servers: ALL,
    request(server, { etags }) {
      const etag = etags[server];
      if (etag === undefined) throw new Error(`no ETag known for ${server}: run readEtags() first`);
      return get(assetPath(server, FILES.small), { 'if-none-match': etag });
    },
    expect: () => ({ status: 304, body: Buffer.alloc(0) }),
  },
  {
    id: 'not-found',
    title: '404',
    servers: ALL,
    request: (server) => get(assetPath(server, MISSING)),
    expect: () => ({ status: 404 }),
  },
  {
    id: 'old-token',
    title: 'old token 301 (Tet only)',
    servers: ['tet', 'raw'],
    request: () => get(`/static/${OLD_TOKEN}/${FILES.small}`),
    expect: () => ({ status: 301, header: ['location', `/static/${TOKEN}/${FILES.small}`] }),
  },
  {
    id: 'page',
    title: 'templated page (10 staticUrl)',
    servers: ['tet', 'fastify', 'raw'],
    request: () => get('/page'),
    expect: (_server, { fixture }, origin) => ({ status: 200, body: Buffer.from(expectedPage(origin, fixture.pageAssets)) }),
  },
  {
    id: 'form-post',
    title: 'form POST, session + CSRF',
    servers: ['tet', 'fastify'],
    request(server, { forms }) {
      const session = forms?.[server];
      if (session === undefined) throw new Error(`no form session known for ${server}: run readFormSession() first`);
      return {
        path: '/form',
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `csrf_token=${session.token}&name=ada&comment=${FORM_COMMENT}`,
      };
    },
    expect: () => ({ status: 200, body: Buffer.from('thanks ada') }),
  },
];

// A comment field of about 200 bytes, with characters to decode, as a small form posts.
const FORM_COMMENT = encodeURIComponent('Hello, this is a comment with accents (é, ü) & symbols; '.repeat(3));

/**
 * Starts a session on a server (`GET /form`): the cookie it set and the CSRF token it gave.
 * @example
 * const session = await readFormSession('tet', base) // { cookie: 'session=...', token: '...' }
 */
export async function readFormSession(server: ServerName, base: string): Promise<FormSession> {
  const response = await rawRequest(base, '/form');
  const line = response.headers['set-cookie']?.[0];
  if (response.status !== 200 || line === undefined || response.text === '') throw new Error(`${server}: GET /form gave ${response.status} without a session cookie and a token`);
  return { cookie: line.slice(0, line.indexOf(';')), token: response.text };
}

/** What a server's answer carried, beyond what Node adds to every response. */
export interface AnswerShape {
  readonly status: number;
  /** Header names, sorted, without those every answer has (Date, Connection, Keep-Alive, the length). */
  readonly headers: readonly string[];
  readonly bodyBytes: number;
}

const ON_EVERY_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/**
 * Sends a scenario's request once and describes the answer, so a report can show what each
 * server sends for the same request (a 304 with or without its validators, a 404's body).
 * @example
 * const shape = await answerShape(notModified, 'sirv', 'http://127.0.0.1:1234', context) // { status: 304, headers: [], bodyBytes: 0 }
 */
export async function answerShape(scenario: Scenario, server: ServerName, base: string, context: ScenarioContext): Promise<AnswerShape> {
  const request = scenario.request(server, context);
  const response = await rawRequest(base, request.path, { method: request.method, headers: request.headers, body: request.body });
  const headers = Object.keys(response.headers)
    .filter((name) => !ON_EVERY_ANSWER.has(name))
    .sort();
  return { status: response.status, headers, bodyBytes: response.body.length };
}

/** Reads each server's ETag for the 1 KB file (each computes its own kind of tag). */
export async function readEtag(server: ServerName, base: string): Promise<string> {
  const response = await rawRequest(base, assetPath(server, FILES.small));
  const etag = response.headers.etag;
  if (response.status !== 200 || typeof etag !== 'string') throw new Error(`${server}: GET ${assetPath(server, FILES.small)} gave ${response.status} without an ETag`);
  return etag;
}

/**
 * Sends a scenario's request once and says what is wrong with the answer, or undefined.
 * @example
 * const problem = await checkScenario(scenario, 'tet', 'http://127.0.0.1:1234', context)
 */
export async function checkScenario(scenario: Scenario, server: ServerName, base: string, context: ScenarioContext): Promise<string | undefined> {
  const request = scenario.request(server, context);
  const expected = scenario.expect(server, context, base);
  const response = await rawRequest(base, request.path, { method: request.method, headers: request.headers, body: request.body });
  const where = `${server} ${scenario.title}: ${request.method ?? 'GET'} ${request.path}`;
  if (response.status !== expected.status) return `${where} answered ${response.status}, expected ${expected.status}`;
  if (expected.body !== undefined && !response.body.equals(expected.body)) {
    return `${where} sent ${response.body.length} bytes that differ from the expected ${expected.body.length}`;
  }
  if (expected.header !== undefined) {
    const [name, value] = expected.header;
    if (response.headers[name] !== value) return `${where} sent ${name}: ${String(response.headers[name])}, expected ${value}`;
  }
  return undefined;
}
