/// <reference lib="dom" />
// Signing in and out in a real browser (headless Chromium from Debian, driven by
// playwright-core): the session cookie, the CSRF token in the forms, the protected page.
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer, withTimeout, CHROMIUM_ARGS } from '@tet/core/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../src/app.js';
import { fromEnvironment } from '../src/settings.js';

const CHROMIUM = '/usr/bin/chromium';

interface Context {
  browser: Browser;
  server: TestServer;
  page: Page;
}

const signin = suite<Context>('myapp sign-in in Chromium');
const step = existsSync(CHROMIUM) ? signin : signin.skip;
if (!existsSync(CHROMIUM)) console.log(`SKIPPED: the browser sign-in test needs Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it).`);

signin.before(async (context) => {
  if (!existsSync(CHROMIUM)) return;
  context.server = await startTestServer(main(fromEnvironment({ RELEASE: 'signin-1' }).settings));
  context.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  context.page = await context.browser.newPage();
  context.page.setDefaultTimeout(10_000);
});

signin.after(async (context) => {
  await context.browser?.close();
  await context.server?.close();
});

step('signs in, sees the protected page and its flash message, signs out, and is sent to sign in again', ({ server, page }) =>
  withTimeout(async () => {
    await page.goto(`${server.base}/account`);
    assert.is(new URL(page.url()).pathname + new URL(page.url()).search, '/login?next=%2Faccount', 'anonymous: redirected to sign in');
    await page.fill('input[name=user]', 'ada');
    await page.fill('input[name=password]', 'lovelace');
    await Promise.all([page.waitForURL(`${server.base}/account`), page.click('button')]);
    assert.is(await page.textContent('[data-account]'), 'Signed in as Ada Lovelace.');
    assert.is(await page.textContent('.flash'), 'Signed in as Ada Lovelace.');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'session');
    assert.equal([session?.httpOnly, session?.sameSite], [true, 'Lax'], JSON.stringify(cookies));
    assert.is(await page.evaluate(() => document.cookie), '', 'the session cookie is HttpOnly');

    // The same page in a reload still knows the user; the flash message is gone.
    await page.reload();
    assert.is(await page.$('.flash'), null);

    // A forged POST (no CSRF token) from the page's own origin is refused.
    const forged = await page.evaluate(async () => {
      const res = await fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
      return { status: res.status, text: await res.text() };
    });
    assert.is(forged.status, 400);
    assert.match(forged.text, 'Bad CSRF Token');
    assert.is(await page.textContent('[data-account]'), 'Signed in as Ada Lovelace.', 'still signed in');

    await Promise.all([page.waitForURL(`${server.base}/login`), page.click('button:has-text("Sign out")')]);
    assert.is(await page.textContent('.flash'), 'You are signed out.');

    const after = await page.goto(`${server.base}/account`);
    assert.ok(page.url().startsWith(`${server.base}/login?next=`), page.url());
    assert.is(after?.status(), 200, 'the sign-in page, reached through a redirect');
    assert.is(after?.request().redirectedFrom()?.url(), `${server.base}/account`);
  }, 30_000),
);

signin.run();
