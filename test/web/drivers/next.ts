/**
 * The shared test app on Next.js: each route a route handler made by `authnzerver/next`'s `withAuth` (with its
 * guards), called in process with a real `NextRequest`, as Next's server calls it. The peer's address, which
 * Next does not expose, is given by the adapter's `remoteAddress` option (as a custom server would).
 */
import { NextRequest } from 'next/server.js';
import { generateFernetKey } from '../../../src/crypto/fernet.js';
import * as nx from '../../../src/web/adapters/next.js';
import type { WebAuth } from '../../../src/web/index.js';
import { guardOf, ROUTES, type AppOptions } from '../apps.js';
import { readResponse, type Driver } from '../helpers.js';

type Handler = (request: NextRequest, context: { params: Promise<object> }) => Promise<Response>;

/** Next.js 16 route handlers through `withAuth`, driven in process with `NextRequest`. */
export function nextDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const next = nx.createNextAuth(auth, {
    stateSecret: generateFernetKey(),
    anonymous: options.anonymous ?? false,
    remoteAddress: () => '127.0.0.1',
    ...(options.jsonApi === true
      ? { json: (request: NextRequest) => request.nextUrl.pathname.startsWith('/api/') }
      : {}),
  });
  const handlers = new Map<string, Handler>();
  for (const route of ROUTES) {
    const handler = next.withAuth<{ params: Promise<object> }>(
      async (request, { auth: context }) => {
        const body =
          request.headers.get('content-type') === 'application/json'
            ? ((await request.json()) as Record<string, unknown>)
            : {};
        const { status, json } = await route.handle(context, body, request.nextUrl.searchParams);
        return Response.json(json, { status });
      },
      route.guard === undefined ? {} : { guard: guardOf(nx, route.guard) },
    );
    handlers.set(`${route.method} ${route.path}`, handler);
  }
  return Promise.resolve({
    async send(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const request = new NextRequest(`http://app.test${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const handler = handlers.get(`${method} ${request.nextUrl.pathname}`);
      if (handler === undefined) return readResponse(new Response('not found', { status: 404 }));
      return readResponse(await handler(request, { params: Promise.resolve({}) }));
    },
    close: () => Promise.resolve(),
  });
}
