// Renderer globals reach templates: addRendererGlobals defaults, BeforeRender overrides, the view's own names on top.
import { BeforeRender } from '@tet/core';
import { rawRequest, type TestApp, withTimeout } from '@tet/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { APP, startApp } from './helpers.js';

const globals = suite<{ app: TestApp }>('templates and renderer globals over HTTP');

globals.before(async (context) => {
  context.app = await startApp((config) => {
    config.addRendererGlobals({ site: 'Tet', greeting: 'hello', title: 'default title' });
    config.addSubscriber((event) => {
      if (event.request.query.get('shout') === '1') event.globals.greeting = 'HELLO';
    }, BeforeRender);
    config.addRoute('home', '/');
    config.addView((request) => (request.query.has('title') ? { title: request.query.get('title') } : {}), { routeName: 'home', renderer: `${APP}:templates/globals.eta` });
  });
});
globals.after(async (context) => context.app.close());

globals('a template sees the globals, a BeforeRender subscriber overrides them, the view value wins over both', (context) =>
  withTimeout(async () => {
    const base = context.app.base;
    assert.is((await rawRequest(base, '/')).text, '<p>Tet|hello|default title</p>\n');
    assert.is((await rawRequest(base, '/?shout=1')).text, '<p>Tet|HELLO|default title</p>\n');
    assert.is((await rawRequest(base, '/?title=%3Cmine%3E')).text, '<p>Tet|hello|&lt;mine&gt;</p>\n');
  }),
);

globals.run();
