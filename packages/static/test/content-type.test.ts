// A file's Content-Type: mime's standard table, its other (vnd.*, x-*) table read on the first
// name the standard one lacks, charset=utf-8 on text.
import mime from 'mime';
import otherTypes from 'mime/types/other.js';
import standardTypes from 'mime/types/standard.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { contentTypeFor } from '../src/content-type.js';

const types = suite('contentTypeFor');

types('standard types, with charset=utf-8 on text', () => {
  assert.is(contentTypeFor('css/site.css'), 'text/css; charset=utf-8');
  assert.is(contentTypeFor('app.mjs'), 'text/javascript; charset=utf-8');
  assert.is(contentTypeFor('data.json'), 'application/json; charset=utf-8');
  assert.is(contentTypeFor('logo.SVG'), 'image/svg+xml; charset=utf-8');
  assert.is(contentTypeFor('font.woff2'), 'font/woff2');
});

types("mime's other types are there too (.ico, .eot, .tar)", () => {
  assert.is(contentTypeFor('favicon.ico'), 'image/vnd.microsoft.icon');
  assert.is(contentTypeFor('fonts/old.eot'), 'application/vnd.ms-fontobject');
  assert.is(contentTypeFor('dist/app.tar'), 'application/x-tar');
});

types('an unknown or missing extension is application/octet-stream', () => {
  assert.is(contentTypeFor('blob.nosuchext'), 'application/octet-stream');
  assert.is(contentTypeFor('LICENSE'), 'application/octet-stream');
});

types('agrees with the full mime table on every extension of both tables', () => {
  const tables: Record<string, string[]>[] = [standardTypes, otherTypes];
  const extensions = tables.flatMap((table) => Object.values(table).flat()).map((ext) => ext.replace(/^\*/, ''));
  assert.ok(extensions.length > 1000, `${extensions.length} extensions`);
  for (const ext of extensions) {
    const full = mime.getType(ext) ?? 'application/octet-stream';
    assert.is(contentTypeFor(`f.${ext}`).split(';')[0], full, ext);
  }
});

types.run();
