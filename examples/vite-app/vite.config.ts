// Vite's side of the integration (docs/frontend.md, "Vite builds"): a manifest, the entries as
// inputs (no index.html: Tet renders the page), and a relative base so the build works under
// any prefix Tet serves it at, or from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Rollup resolves inputs from the working directory: name them from this file's folder.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  base: './',
  build: {
    manifest: true,
    outDir: 'build',
    rollupOptions: { input: [here('frontend/main.ts'), here('frontend/admin.ts')] },
  },
});
