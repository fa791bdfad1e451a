import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// In this repository, `authnzerver` is the sources next door (an app installs the package from npm instead and
// needs none of these aliases). adapter-node bundles them into the build.
export default defineConfig({
  plugins: [sveltekit()],
  resolve: {
    alias: [
      { find: /^authnzerver$/, replacement: repo('src/index.ts') },
      { find: /^authnzerver\/web$/, replacement: repo('src/web/index.ts') },
      { find: /^authnzerver\/sveltekit$/, replacement: repo('src/web/adapters/sveltekit.ts') },
      { find: /^#platform$/, replacement: repo('src/platform/node.ts') },
    ],
  },
  logLevel: 'warn',
});
