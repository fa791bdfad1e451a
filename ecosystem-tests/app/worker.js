/**
 * The ecosystem app's entry on workerd (Cloudflare Workers): a module worker whose fetch handler runs the app
 * with the configuration in the request's body and answers with the report. The runner bundles it with esbuild
 * and the conditions wrangler uses (`workerd`, `worker`, `browser`).
 */
import { handle } from './app.js';

export default {
  fetch(request) {
    return handle(request);
  },
};
