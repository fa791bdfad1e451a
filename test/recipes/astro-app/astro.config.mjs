// The Astro recipe's test app (test/recipes/astro.test.ts builds it into .tmp/astro-app): on-demand rendering with
// @astrojs/node in middleware mode, so that the test serves it from its own loopback server.
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import process from 'node:process';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  outDir: process.env.ASTRO_OUT_DIR,
  cacheDir: process.env.ASTRO_CACHE_DIR,
  vite: { cacheDir: `${process.env.ASTRO_CACHE_DIR}/vite` },
  // Astro's own origin check refuses every cross-origin POST, even one with an API key, and knows nothing of the
  // app's public origin behind a proxy: the web core's CSRF rule decides instead (docs/recipes.md).
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
});
