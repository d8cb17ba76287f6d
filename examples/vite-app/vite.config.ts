// Vite's side of the integration (docs/frontend.md, "Vite builds"): a manifest, the entries as
// inputs (no index.html: Tet renders the page), and a relative base so the build works under
// any prefix Tet serves it at, or from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Rollup resolves inputs from the working directory: name them from this file's folder.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  base: './',
  // `npx vite`: the dev server Tet's development.ini names; asset URLs in modules and CSS point at it.
  server: { port: 5173, strictPort: true, origin: 'http://localhost:5173' },
  build: {
    manifest: true,
    outDir: 'build',
    // Every asset a file of its own (none inlined as a data: URL), so a template can name it: request.viteUrl().
    assetsInlineLimit: 0,
    rollupOptions: { input: [here('frontend/main.ts'), here('frontend/admin.ts')] },
  },
});
