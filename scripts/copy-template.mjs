// prepack for @tet/core: `tet new` copies examples/myapp; a published package carries that
// copy in template/ because the repository's examples folder is not published.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const example = fileURLToPath(new URL('../examples/myapp/', import.meta.url));
const target = fileURLToPath(new URL('../packages/core/template/', import.meta.url));
rmSync(target, { recursive: true, force: true });
for (const part of ['src', 'static', 'assets', 'templates', 'development.ini', 'production.ini', 'test/app.http.test.ts']) cpSync(example + part, target + part, { recursive: true });
console.log(`copied the application template to ${target}`);
