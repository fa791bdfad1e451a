import { reactRouter } from '@react-router/dev/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// In this repository, `authnzerver` is the sources next door (an app installs the package from npm instead and
// needs none of these aliases).
export default defineConfig({
  plugins: [reactRouter()],
  resolve: {
    alias: [
      { find: /^authnzerver$/, replacement: repo('src/index.ts') },
      { find: /^authnzerver\/web$/, replacement: repo('src/web/index.ts') },
      {
        find: /^authnzerver\/react-router$/,
        replacement: repo('src/web/adapters/react-router.ts'),
      },
      { find: /^#platform$/, replacement: repo('src/platform/node.ts') },
    ],
  },
  logLevel: 'warn',
});
