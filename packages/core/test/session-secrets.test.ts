import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, sessionSecrets } from '../src/index.js';
import { thrown } from '../src/testing.js';

const NEW = 'n'.repeat(40);
const OLD = 'o'.repeat(32);

const secrets = suite('sessionSecrets');

secrets('reads a setting as space-separated secrets, newest first', () => {
  assert.equal(sessionSecrets({ 'myapp.session_secret': ` ${NEW}\n  ${OLD} ` }, 'myapp.session_secret'), [NEW, OLD]);
  assert.equal(sessionSecrets({ 'myapp.session_secret': [NEW] }, 'myapp.session_secret'), [NEW]);
});

secrets('a missing or empty setting names the setting and the variable tet serve reads it from', () => {
  for (const settings of [{}, { 'myapp.session_secret': '' }, { 'myapp.session_secret': '   ' }]) {
    const error = thrown(() => sessionSecrets(settings, 'myapp.session_secret'));
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).code, 'TET_ERR_SESSION_SECRET');
    assert.match(error.message, "Setting 'myapp.session_secret': there is none");
    assert.match(error.message, "'myapp.session_secret = <secret>' under [app:main]");
    assert.match(error.message, 'MYAPP_SESSION_SECRET=<secret>');
  }
});

secrets('a short secret is refused by its position and length, never shown', () => {
  const error = thrown(() => sessionSecrets({ 'shop.secret': `${NEW} tiny-secret` }, 'shop.secret'));
  assert.is((error as ConfigurationError).code, 'TET_ERR_SESSION_SECRET');
  assert.match(error.message, "Setting 'shop.secret': secret #2 is 11 characters: use a random string of at least 32 characters");
  assert.match(error.message, 'SHOP_SECRET=<secret>');
  assert.not.match(error.message, 'tiny-secret');
});

secrets.run();
