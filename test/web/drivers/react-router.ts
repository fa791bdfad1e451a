/**
 * The React Router driver of the shared scenarios: React Router 7's own server request handler
 * (`createRequestHandler`) over a server build made in memory, with middleware on (`future.v8_middleware`): a
 * root route whose `middleware` is the adapter's, and one resource route per path of the shared table, whose
 * `loader` answers GET and whose `action` answers the other methods, behind the adapter's guards. Every request
 * goes through React Router's routing, middleware pipeline, router context and handling of thrown responses.
 * The socket's address is given as a custom server does, in the load context (`clientAddressContext`).
 */
import {
  createRequestHandler,
  RouterContextProvider,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type ServerBuild,
} from 'react-router';
import * as rr from '../../../src/web/adapters/react-router.js';
import type { WebAuth } from '../../../src/web/index.js';
import type { AppOptions, Guard, Route } from '../apps.js';
import { ROUTES } from '../apps.js';
import { readResponse, type Driver } from '../helpers.js';

type Args = LoaderFunctionArgs | ActionFunctionArgs;

/** A route module as a build holds it (a resource route has no `default` component, whatever the type says). */
export type Module = NonNullable<ServerBuild['routes'][string]>['module'];

/** The adapter's guard for a route's `guard`. */
function guardOf(g: Guard): (args: Args) => Promise<unknown> {
  switch (g.kind) {
    case 'user':
      return (a) => rr.requireUser(a, g.json === undefined ? {} : { json: g.json });
    case 'apikey':
      return (a) => rr.requireApiKey(a, g.json === undefined ? {} : { json: g.json });
    case 'role':
      return (a) => rr.requireRole(a, g.roles);
    case 'access':
      return (a) => rr.requireAccess(a, g.query);
    case 'limit':
      return (a) => rr.limitRequests(a);
    case 'recent':
      return (a) => rr.requireRecentAuth(a, g.maxAge);
  }
}

/** A loader or action answering the routes of one path, by method. */
function handlerOf(routes: readonly Route[]) {
  return async (args: Args): Promise<Response> => {
    const route = routes.find((r) => r.method === args.request.method);
    if (route === undefined) return new Response('Method not allowed', { status: 405 });
    if (route.guard !== undefined) await guardOf(route.guard)(args);
    const body =
      args.request.headers.get('content-type') === 'application/json'
        ? ((await args.request.json()) as Record<string, unknown>)
        : {};
    const { status, json } = await route.handle(
      rr.getAuth(args.context),
      body,
      new URL(args.request.url).searchParams,
    );
    return Response.json(json, { status });
  };
}

/** The server build: the root with the middleware, and a resource route per path. */
function buildOf(auth: WebAuth, options: AppOptions): ServerBuild {
  const middleware = rr.authnzerver(auth, {
    anonymous: options.anonymous ?? false,
    ...(options.jsonApi === true
      ? { json: (r: Request) => new URL(r.url).pathname.startsWith('/api/') }
      : {}),
  });
  const byPath = new Map<string, Route[]>();
  for (const route of ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return serverBuild(
    { middleware: [middleware] } as Module,
    [...byPath].map(([path, list]) => {
      const handler = handlerOf(list);
      return { path: path.slice(1), module: { loader: handler, action: handler } as Module };
    }),
  );
}

/**
 * A server build of resource routes (no document is ever rendered) under a root route, as `react-router build`
 * writes one, with middleware on.
 */
export function serverBuild(
  root: Module,
  children: readonly { readonly path: string; readonly module: Module }[],
): ServerBuild {
  const routes: ServerBuild['routes'] = { root: { id: 'root', path: '', module: root } };
  children.forEach((child, n) => {
    const id = `routes/r${String(n)}`;
    routes[id] = { id, parentId: 'root', path: child.path, module: child.module };
  });
  return {
    entry: {
      module: {
        default: () => new Response('no documents in this app', { status: 500 }),
      },
    },
    routes,
    assets: {
      entry: { module: '/entry.js', imports: [] },
      routes: {},
      url: '/manifest.js',
      version: '1',
    },
    publicPath: '/',
    assetsBuildDirectory: 'build/client',
    future: { v8_middleware: true } as ServerBuild['future'],
    ssr: true,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still a required field of ServerBuild in 7.18
    isSpaMode: false,
    prerender: [],
    routeDiscovery: { mode: 'lazy', manifestPath: '/__manifest' },
  };
}

/** Sends one request through `createRequestHandler`, with the socket's address in the load context (or none). */
export async function sendThrough(
  build: ServerBuild,
  request: Request,
  clientAddress: string | null = '127.0.0.1',
): Promise<Response> {
  const handle = createRequestHandler(build, 'production');
  // As a custom server does in `getLoadContext`: the socket's peer address for the adapter.
  const context = new RouterContextProvider(
    clientAddress === null ? undefined : new Map([[rr.clientAddressContext, clientAddress]]),
  );
  // (The type is the load context of an app without `Future.v8_middleware` declared; this one has it at run time.)
  return handle(request, context as unknown as AppLoadContext);
}

/** React Router 7 with the middleware, driven through its own `createRequestHandler`. */
export function reactRouterDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const build = buildOf(auth, options);
  return Promise.resolve({
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
      return readResponse(await sendThrough(build, request));
    },
    close: () => Promise.resolve(),
  });
}
