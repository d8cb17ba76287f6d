import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, Session } from '../src/index.js';
import { SessionCrypto } from '../src/session-crypto.js';

const NEW = 'n'.repeat(32) + '-newest-secret';
const OLD = 'o'.repeat(32) + '-older-secret';

const Crypto = suite('SessionCrypto');

Crypto('seals and opens; the sealed value reveals nothing of the payload', () => {
  const crypto = new SessionCrypto([NEW]);
  const sealed = crypto.seal('{"user":"ada"}');
  assert.not.match(sealed, 'ada');
  assert.match(sealed, /^[\w-]+\.[\w-]{43}$/);
  assert.equal(crypto.open(sealed), { payload: '{"user":"ada"}', rotated: false });
  assert.is.not(crypto.seal('x'), crypto.seal('x'), 'a fresh IV each time');
});

Crypto('a tampered, truncated or foreign value opens to undefined, never throws', () => {
  const crypto = new SessionCrypto([NEW]);
  const sealed = crypto.seal('{"admin":false}');
  const [body, signature] = sealed.split('.') as [string, string];
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  for (const bad of [
    flip(sealed, 5),
    `${flip(body, body.length - 3)}.${signature}`,
    `${body}.${flip(signature, 2)}`,
    sealed.slice(0, -1),
    body,
    '',
    '.',
    'a.b',
    `${body}.${signature}.x`,
    '%%%.%%%',
    new SessionCrypto([OLD]).seal('{}'),
  ]) {
    assert.is(crypto.open(bad), undefined, bad);
  }
});

Crypto('rotation: the newest secret seals, older ones are still read (and say so), removed ones are not', () => {
  const before = new SessionCrypto([OLD]);
  const rotated = new SessionCrypto([NEW, OLD]);
  const after = new SessionCrypto([NEW]);
  const old = before.seal('{"n":1}');
  assert.equal(rotated.open(old), { payload: '{"n":1}', rotated: true });
  const fresh = rotated.seal('{"n":2}');
  assert.equal(after.open(fresh), { payload: '{"n":2}', rotated: false });
  assert.is(before.open(fresh), undefined);
  assert.is(after.open(old), undefined, 'a removed secret no longer opens its cookies');
});

Crypto('short or missing secrets are a ConfigurationError', () => {
  for (const secrets of [[], ['short'], [NEW, 'tiny']] as string[][]) {
    try {
      new SessionCrypto(secrets);
      assert.unreachable('should throw');
    } catch (error) {
      assert.instance(error, ConfigurationError);
      assert.is((error as ConfigurationError).code, 'TET_ERR_SESSION_SECRET');
      assert.match((error as Error).message, secrets.length === 0 ? 'at least one secret' : 'at least 32 characters');
    }
  }
});

const Sessions = suite('Session');

Sessions('get, set, delete and change tracking', () => {
  const session = new Session({ a: 1 }, { isNew: false });
  assert.is(session.state.changed, false);
  assert.is(session.get('a'), 1);
  assert.is(session.get('toString'), undefined, 'no prototype keys');
  session.delete('missing');
  assert.is(session.state.changed, false, 'deleting a missing key changes nothing');
  session.set('b', [1]);
  assert.is(session.state.changed, true);
  session.delete('a');
  assert.equal(session.keys(), ['b']);
  assert.is(session.has('a'), false);
});

Sessions('flash queues, popFlash empties, peekFlash does not', () => {
  const session = new Session();
  session.flash('saved');
  session.flash('saved', '', false);
  session.flash('oops', 'error');
  assert.equal(session.peekFlash(), ['saved']);
  assert.equal(session.popFlash(), ['saved']);
  assert.equal(session.popFlash(), []);
  assert.equal(session.popFlash('error'), ['oops']);
});

Sessions('CSRF tokens: made once, replaced by newCsrfToken, checked in constant time', () => {
  const session = new Session();
  const token = session.getCsrfToken();
  assert.match(token, /^[0-9a-f]{40}$/);
  assert.is(session.getCsrfToken(), token);
  assert.ok(session.checkCsrfToken(token));
  assert.not.ok(session.checkCsrfToken(`${token}0`));
  assert.not.ok(session.checkCsrfToken(undefined));
  const next = session.newCsrfToken();
  assert.is.not(next, token);
  assert.not.ok(session.checkCsrfToken(token));
});

Sessions('invalidate empties the session and marks it for dropping', () => {
  const session = new Session({ user: 'ada' }, { isNew: false });
  session.invalidate();
  assert.equal(session.keys(), []);
  assert.equal({ changed: session.state.changed, invalidated: session.state.invalidated }, { changed: true, invalidated: true });
});

Crypto.run();
Sessions.run();
