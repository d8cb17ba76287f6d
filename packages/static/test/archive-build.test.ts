import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withTimeout } from '@tet/core/testing';
import { readRelease } from '../src/archive.js';
import { archiveRelease } from '../src/archive-build.js';
import { ReleaseArchive } from '../src/archive-source.js';
import { runAssetsCommand } from '../src/cli.js';
import { sha384 } from '../src/content-hash.js';

interface Context {
  dir: string;
  root: string;
  archive: string;
}

const objectsIn = (archive: string) => readdirSync(join(archive, 'objects')).flatMap((fan) => readdirSync(join(archive, 'objects', fan)));
const hex = (text: string) => sha384(text).toString('hex');

const build = suite<Context>('archiveRelease');
build.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-archive-'));
  context.root = join(context.dir, 'static');
  context.archive = join(context.dir, 'archive');
  mkdirSync(join(context.root, 'css'), { recursive: true });
  writeFileSync(join(context.root, 'app.js'), 'console.log("same")\n');
  writeFileSync(join(context.root, 'css', 'a.css'), 'a { color: red }\n');
});
build.after.each((context) => rmSync(context.dir, { recursive: true, force: true }));

build('stores each file once by content hash, and per release its token and path → hash', (context) =>
  withTimeout(async () => {
    const first = await archiveRelease(context.root, context.archive, { token: 'v1' });
    assert.is(first.stored, 2);
    writeFileSync(join(context.root, 'css', 'a.css'), 'a { color: blue }\n');
    const second = await archiveRelease(context.root, context.archive, { token: 'v2' });
    assert.is(second.stored, 1, 'app.js did not change: its bytes are not stored again');
    assert.equal(second.kept, ['v2', 'v1']);
    const v1 = (await readRelease(join(context.archive, 'releases', 'v1.json')))!;
    assert.is(v1.token, 'v1');
    assert.is(v1.files['css/a.css']!.sha384, hex('a { color: red }\n'));
    assert.is(readFileSync(join(context.archive, 'objects', hex('a { color: red }\n').slice(0, 2), hex('a { color: red }\n')), 'utf8'), 'a { color: red }\n');
    assert.is(objectsIn(context.archive).length, 3);
  }),
);

build('keeps the newest N releases with their bytes, moves the rest to the ledger and deletes their objects', (context) =>
  withTimeout(async () => {
    for (const [i, colour] of ['red', 'green', 'blue'].entries()) {
      writeFileSync(join(context.root, 'css', 'a.css'), `a { color: ${colour} }\n`);
      await archiveRelease(context.root, context.archive, { token: `v${i + 1}`, keep: 2, now: new Date(Date.UTC(2026, 0, i + 1)) });
    }
    assert.equal(readdirSync(join(context.archive, 'releases')).sort(), ['v2.json', 'v3.json']);
    assert.equal(readdirSync(join(context.archive, 'ledger')), ['v1.json']);
    assert.not.ok(objectsIn(context.archive).includes(hex('a { color: red }\n')), "v1's own bytes are gone");
    assert.ok(objectsIn(context.archive).includes(hex('console.log("same")\n')), 'bytes a kept release shares stay');
  }),
);

build('prunes by age too, but never the release it builds; the ledger is bounded', (context) =>
  withTimeout(async () => {
    const day = 86_400_000;
    await archiveRelease(context.root, context.archive, { token: 'old', now: new Date(Date.UTC(2026, 0, 1)) });
    writeFileSync(join(context.root, 'app.js'), 'console.log("new")\n');
    await archiveRelease(context.root, context.archive, { token: 'mid', now: new Date(Date.UTC(2026, 0, 9)) });
    const result = await archiveRelease(context.root, context.archive, { token: 'new', maxAgeMs: 7 * day, ledgerKeep: 1, now: new Date(Date.UTC(2026, 0, 10)) });
    assert.equal(result.kept, ['new', 'mid']);
    assert.equal(result.pruned, ['old']);
    const alone = await archiveRelease(context.root, context.archive, { token: 'later', maxAgeMs: 1, ledgerKeep: 1, now: new Date(Date.UTC(2027, 0, 1)) });
    assert.equal(alone.kept, ['later']);
    assert.equal(readdirSync(join(context.archive, 'ledger')).length, 1, 'ledgerKeep 1');
  }),
);

build('refuses a token that is not URL-safe, and a keep below 1', (context) =>
  withTimeout(async () => {
    for (const options of [{ token: 'a/b' }, { keep: 0 }]) {
      try {
        await archiveRelease(context.root, context.archive, options);
        assert.unreachable();
      } catch (error) {
        assert.match((error as { code: string }).code, /^TET_ERR_STATIC_(TOKEN|ARCHIVE)$/);
      }
    }
    assert.not.ok(existsSync(join(context.archive, 'releases')));
  }),
);

build('tet assets build writes the manifest and the archive in the folder; bad flags exit 2', (context) =>
  withTimeout(async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    assert.is(await runAssetsCommand(['build', context.root, '--token', 'r1'], io, context.dir), 0);
    assert.match(lines[0]!, /^release r1: 2 files \(2 new objects\)/);
    assert.ok(existsSync(join(context.root, '.tet-assets.json')));
    assert.ok(existsSync(join(context.root, '.tet-archive', 'releases', 'r1.json')));
    assert.is(await runAssetsCommand(['build', context.root, '--max-age', 'soon'], io, context.dir), 2);
    assert.match(lines.at(-1)!, '--max-age takes an age such as 7d');
  }),
);

const reader = suite<Context>('ReleaseArchive');
reader.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'tet-archive-'));
  context.root = join(context.dir, 'static');
  context.archive = join(context.dir, 'archive');
  mkdirSync(context.root, { recursive: true });
  writeFileSync(join(context.root, 'a.css'), 'a {}\n');
});
reader.after.each((context) => rmSync(context.dir, { recursive: true, force: true }));

reader('finds a release added after it was made, once a remembered miss expires', (context) =>
  withTimeout(async () => {
    await archiveRelease(context.root, context.archive, { token: 'one' });
    const archive = new ReleaseArchive(context.archive, { maxFileSize: 1024, remaining: 1024 });
    assert.is((await archive.release('one'))?.archived, true);
    assert.is(await archive.release('two'), undefined);
    writeFileSync(join(context.root, 'a.css'), 'b {}\n');
    await archiveRelease(context.root, context.archive, { token: 'two' });
    assert.is(await archive.release('two'), undefined, 'a miss is remembered for a second');
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const two = await archive.release('two');
    assert.is(two?.record.files['a.css']?.sha384, hex('b {}\n'));
    const files = await archive.file(two!, 'a.css');
    assert.is(files?.entry.body?.toString(), 'b {}\n');
  }),
);

reader('a corrupt record in a shared archive is a miss, not a crash', (context) =>
  withTimeout(async () => {
    mkdirSync(join(context.archive, 'releases'), { recursive: true });
    writeFileSync(join(context.archive, 'releases', 'bad.json'), '{ nope');
    const archive = new ReleaseArchive(context.archive, { maxFileSize: 1024, remaining: 1024 });
    assert.is(await archive.release('bad'), undefined);
    try {
      await readRelease(join(context.archive, 'releases', 'bad.json'));
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code: string }).code, 'TET_ERR_STATIC_ARCHIVE');
    }
  }),
);

build.run();
reader.run();
