/**
 * The ecosystem app's entry on the Vercel edge runtime (`edge-runtime`): a fetch event listener that runs the app
 * with the configuration in the request's body and answers with the report. The runner bundles it with esbuild
 * and the conditions Next.js uses for edge code (`edge-light`, `worker`, `browser`).
 */
/* global addEventListener */
import { handle } from './app.js';

addEventListener('fetch', (event) => {
  event.respondWith(handle(event.request));
});
