import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FileIndex } from '../src/file-index.js';

const KIB = 1024;
const index = suite<{ root: string }>('file index memory budget');

index.before((context) => {
  context.root = mkdtempSync(join(tmpdir(), 'tet-index-'));
  // Twenty small files and three of 300 KiB, mixed over folders so the walk meets them in no
  // particular order.
  for (const folder of ['a', 'm', 'z']) mkdirSync(join(context.root, folder));
  for (let i = 0; i < 20; i++) writeFileSync(join(context.root, ['a', 'm', 'z', '.'][i % 4]!, `small-${i}.css`), Buffer.alloc(KIB, i));
  for (const folder of ['a', 'm', '.']) writeFileSync(join(context.root, folder, 'large.bin'), Buffer.alloc(300 * KIB, 7));
});
index.after((context) => rmSync(context.root, { recursive: true, force: true }));

index('small files get the memory budget before big ones, whatever the walk order', async (context) => {
  // Room for all the small files and one big one, less a byte: no big one fits after them.
  const memory = { maxFileSize: 4 * KIB * KIB, remaining: 20 * KIB + 300 * KIB - 1 };
  const built = await FileIndex.build(context.root, memory);
  const entries = [...built.entries()];
  assert.is(entries.length, 23);
  for (const entry of entries.filter((e) => e.relativePath.includes('small-'))) assert.ok(entry.body !== undefined, `${entry.relativePath} is in memory`);
  for (const entry of entries.filter((e) => e.relativePath.endsWith('large.bin'))) {
    assert.is(entry.body, undefined, `${entry.relativePath} did not fit`);
    assert.is(entry.size, 300 * KIB);
  }
  assert.is(memory.remaining, 300 * KIB - 1);
});

index('files over maxFileSize stream, and files that fit the budget are kept', async (context) => {
  const memory = { maxFileSize: 512 * KIB, remaining: 64 * KIB * KIB };
  const built = await FileIndex.build(context.root, memory);
  assert.ok(built.get('a/large.bin')?.body?.equals(Buffer.alloc(300 * KIB, 7)));
  const streamed = await FileIndex.build(context.root, { maxFileSize: 100 * KIB, remaining: 64 * KIB * KIB });
  assert.is(streamed.get('a/large.bin')?.body, undefined);
  assert.is(streamed.get('a/large.bin')?.etag, built.get('a/large.bin')?.etag, 'the same content ETag either way');
});

index.run();
