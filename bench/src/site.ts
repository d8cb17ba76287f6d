// What every server of the benchmark serves, in one place, so no server gets an easier job:
// the token, the caching policy, and the templated page with its ten asset URLs.

/** The fixture's own package name: Tet resolves `bench-site:assets/...` specs against it. */
export const SITE_PACKAGE = 'bench-site';

/** Tet's cache-breaker token; all-digit, so the older one below gets a 301. */
export const TOKEN = '1700000000000';
export const OLD_TOKEN = '1600000000000';

/** One year, with `immutable`: what every server is told to send for assets. */
export const CACHE_SECONDS = 31_536_000;

/** Seals (Tet) or signs (Fastify) the form scenario's session cookie. */
export const SESSION_SECRET = 'bench-session-secret-0123456789abcdef';
export const PAGE_TITLE = 'Tet benchmark page';

/** The three sized files, relative to the served `assets` folder. */
export const FILES = {
  small: 'css/style.css',
  medium: 'js/app.js',
  large: 'media/blob.bin',
} as const;

export type SizedFile = keyof typeof FILES;

export const SIZES: Record<SizedFile, number> = {
  small: 1024,
  medium: 100 * 1024,
  large: 1024 * 1024,
};

/** A file no server has. */
export const MISSING = 'css/missing.css';

/**
 * The ten assets the templated page links: the three sized files and seven of the tree.
 * @example
 * pageAssets(['tree/d0/e0/f0000.txt', ...]) // ['css/style.css', 'js/app.js', ...]
 */
export function pageAssets(treeFiles: readonly string[]): string[] {
  return [FILES.small, FILES.medium, FILES.large, ...treeFiles.slice(0, 7)];
}

/**
 * The page every templating server must produce, byte for byte, for a given origin
 * (`http://127.0.0.1:1234`): the smoke test and the benchmark's pre-flight compare against it.
 */
export function expectedPage(origin: string, assets: readonly string[]): string {
  return pageText(PAGE_TITLE, (asset) => `${origin}/static/${TOKEN}/${asset}`, assets);
}

/**
 * The page's shape, filled by `title` and `url`. The templates are written from the same
 * function (with template expressions in place of values), so they cannot drift apart.
 */
export function pageText(title: string, url: (asset: string) => string, assets: readonly string[]): string {
  const [css, js, bin, ...tree] = assets;
  const lines = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${title}</title>`,
    `<link rel="stylesheet" href="${url(css!)}">`,
    `<script src="${url(js!)}" defer></script>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p>Download the <a href="${url(bin!)}">data file</a> or read the notes:</p>`,
    '<ul>',
    ...tree.map((file, i) => `<li><a href="${url(file)}">Note ${i + 1}</a></li>`),
    '</ul>',
    '</body>',
    '</html>',
    '',
  ];
  return lines.join('\n');
}
