/**
 * The SvelteKit driver of the shared scenarios: a real SvelteKit 2 production build (test/web/drivers/sveltekit-app,
 * built once and cached by the stamp of its sources) run through the build's own `Server.respond`, so every
 * request goes through SvelteKit's hooks, routing, `event.cookies`, `getClientAddress` and error handling. The
 * build is generic: its hook and its one catch-all endpoint call what the driver gives each request as
 * `platform` (the adapter's hook in `sequence()`, and the shared route table behind the adapter's guards).
 */
import type { Handle, RequestEvent, Server as KitServer, SSRManifest } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sk from '../../../src/web/adapters/sveltekit.js';
import type { WebAuth } from '../../../src/web/index.js';
import { cachedBuild, ROOT } from '../../frameworks/cached-build.js';
import type { AppOptions, Guard } from '../apps.js';
import { ROUTES } from '../apps.js';
import { readResponse, type Driver } from '../helpers.js';

const APP_DIR = join(ROOT, 'test/web/drivers/sveltekit-app');
const OUT_DIR = join(ROOT, '.tmp/sveltekit-driver');

/** What the build's hook and endpoint call (`event.platform`). */
interface DriverPlatform {
  handle: Handle;
  endpoint(event: RequestEvent): Promise<Response>;
}

let server: Promise<KitServer> | undefined;

/** The built app's `Server`, made once per test file (the build is made once per change of its sources). */
function kitServer(): Promise<KitServer> {
  server ??= (async () => {
    cachedBuild({
      name: 'sveltekit-driver',
      appDir: APP_DIR,
      packages: ['@sveltejs/kit', '@sveltejs/vite-plugin-svelte', 'svelte', 'vite'],
      outDir: OUT_DIR,
      command: [process.execPath, join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
      env: { SVELTEKIT_DRIVER_OUT: OUT_DIR },
    });
    const output = join(OUT_DIR, 'output/server');
    const { Server } = (await import(pathToFileURL(join(output, 'index.js')).href)) as {
      Server: new (manifest: SSRManifest) => KitServer;
    };
    const { manifest } = (await import(pathToFileURL(join(output, 'manifest.js')).href)) as {
      manifest: SSRManifest;
    };
    const kit = new Server(manifest);
    await kit.init({ env: {} });
    return kit;
  })();
  return server;
}

/** The adapter's guard for a route's `guard`. */
function guardOf(g: Guard): (event: RequestEvent) => Promise<unknown> {
  switch (g.kind) {
    case 'user':
      return (e) => sk.requireUser(e, g.json === undefined ? {} : { json: g.json });
    case 'apikey':
      return (e) => sk.requireApiKey(e, g.json === undefined ? {} : { json: g.json });
    case 'role':
      return (e) => sk.requireRole(e, g.roles);
    case 'access':
      return (e) => sk.requireAccess(e, g.query);
    case 'limit':
      return (e) => sk.limitRequests(e);
    case 'recent':
      return (e) => sk.requireRecentAuth(e, g.maxAge);
  }
}

/** The shared routes as one endpoint: the route of the method and path, behind its guard. */
export async function endpoint(event: RequestEvent): Promise<Response> {
  const route = ROUTES.find(
    (r) => r.method === event.request.method && r.path === event.url.pathname,
  );
  if (route === undefined) return new Response('Not found', { status: 404 });
  if (route.guard !== undefined) await guardOf(route.guard)(event);
  const body =
    event.request.headers.get('content-type') === 'application/json'
      ? ((await event.request.json()) as Record<string, unknown>)
      : {};
  const { status, json } = await route.handle(sk.getAuth(event), body, event.url.searchParams);
  return Response.json(json, { status });
}

/** A header the second hook of the sequence sets: the adapter's hook composes with `sequence()`. */
const after: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const auth = (event.locals as Partial<sk.AuthLocals>).auth;
  response.headers.set('x-sequence', auth?.session.kind ?? 'no hook');
  return response;
};

/** SvelteKit 2 with the hook, driven through the production build's `Server.respond`. */
export function sveltekitDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  return sveltekitDriverWith(
    sk.authnzerver(auth, {
      anonymous: options.anonymous ?? false,
      ...(options.jsonApi === true ? { json: (e) => e.url.pathname.startsWith('/api/') } : {}),
    }),
  );
}

/**
 * The driver over a given hook (in `sequence()` before a second one), with the client address SvelteKit gives and
 * the endpoint behind it (default: the shared routes).
 */
export async function sveltekitDriverWith(
  hook: Handle,
  clientAddress = '127.0.0.1',
  route: (event: RequestEvent) => Promise<Response> = endpoint,
): Promise<Driver> {
  const kit = await kitServer();
  const platform: DriverPlatform = { handle: sequence(hook, after), endpoint: route };
  return {
    async send(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const request = new Request(`http://app.test${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const response = await kit.respond(request, {
        getClientAddress: () => clientAddress,
        platform,
      });
      return readResponse(response);
    },
    close: () => Promise.resolve(),
  };
}
