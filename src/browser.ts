/**
 * What a browser gets for `import 'authnzerver'` (the `browser` condition of the package's `exports`): an error,
 * at once. The client holds the server's shared Fernet secret, with which anyone can forge any request
 * (log in as anyone, make API keys): it belongs on a server, never in a page. Call authnzerver from your
 * backend (Node.js, Bun, Deno, Cloudflare Workers, edge functions), and let the browser talk to your backend.
 */
throw new Error(
  'authnzerver cannot run in a browser: its client needs the shared AUTHNZERVER_SECRET, and a secret sent to ' +
    'a browser is public (anyone could forge any authnzerver request with it). Call authnzerver from your ' +
    'server (Node.js, Bun, Deno, Cloudflare Workers or an edge function) instead. If your bundler chose the ' +
    '"browser" build for server code, set its target to your server runtime (e.g. esbuild --platform=node).',
);

export {};
