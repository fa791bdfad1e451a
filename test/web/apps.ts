/**
 * The same small app on Express, Fastify and Hono, each mounted through its adapter (`req.auth`,
 * `request.auth`, `c.get('auth')`, and the adapter's own guards), and a {@link Driver} per framework that uses
 * its own test tool: a real listening server and fetch for Express, `inject` for Fastify, `app.request()` for
 * Hono. The route handlers are shared, so each framework runs exactly the same scenarios.
 */
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import * as ex from '../../src/web/adapters/express.js';
import * as fa from '../../src/web/adapters/fastify.js';
import * as ho from '../../src/web/adapters/hono.js';
import type { AccessQuery, ActionResult, AuthContext, WebAuth } from '../../src/web/index.js';
import { ACCOUNT_ROUTES } from './account-routes.js';
import { nextDriver } from './drivers/next.js';
import { readResponse, replyOf, type Driver } from './helpers.js';
import { SESSION_ROUTES } from './session-routes.js';
import { reactRouterDriver } from './drivers/react-router.js';
import { sveltekitDriver } from './drivers/sveltekit.js';

/** A route's guard. */
export type Guard =
  | { kind: 'user'; json?: boolean }
  | { kind: 'apikey'; json?: boolean }
  | { kind: 'role'; roles: string[] }
  | { kind: 'access'; query: AccessQuery }
  | { kind: 'limit' }
  | { kind: 'recent'; maxAge: number };

/** One route of the test app: its guard and its handler. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly guard?: Guard;
  readonly handle: (
    auth: AuthContext,
    body: Record<string, unknown>,
    query: URLSearchParams,
  ) => Promise<{ status: number; json: unknown }>;
}

/** An action's result as the test app's JSON answer. */
export function answer<T>(
  result: ActionResult<T>,
  value: (v: T) => unknown,
): { status: number; json: unknown } {
  return result.ok
    ? { status: 200, json: { ok: true, value: value(result.value), messages: result.messages } }
    : {
        status: result.failure.status,
        json: {
          ok: false,
          code: result.failure.code,
          messages: result.failure.messages,
          message: result.failure.message,
        },
      };
}

const whoami = (a: AuthContext) => ({
  session: a.session.kind,
  userId: a.user?.userId ?? null,
  role: a.user?.role ?? null,
  via: a.user?.via ?? null,
  clientIp: a.clientIp,
});

/** A route that answers with who is asking. */
const echo = (a: AuthContext) => Promise.resolve({ status: 200, json: whoami(a) });

/** Viewing a collection of user 1's with the given visibility. */
const viewCollection = (targetVisibility: 'private' | 'public'): Guard => ({
  kind: 'access',
  query: { action: 'view', targetName: 'collection', targetOwner: 1, targetVisibility },
});

/** The routes every framework mounts. */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/whoami',
    handle: echo,
  },
  ...(['POST', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({
    method,
    path: '/whoami',
    handle: echo,
  })),
  {
    method: 'GET',
    path: '/login',
    handle: async (a) => answer(await a.ensureSession(), (s) => s.kind),
  },
  {
    method: 'POST',
    path: '/login',
    handle: async (a, body) =>
      answer(await a.login(body['email'], body['password']), (s) => s.userId),
  },
  { method: 'POST', path: '/logout', handle: async (a) => answer(await a.logout(), () => null) },
  {
    method: 'POST',
    path: '/signup',
    handle: async (a, body) =>
      answer(
        await a.signup({
          fullName: body['fullName'],
          email: body['email'],
          password: body['password'],
        }),
        (v) => v,
      ),
  },
  {
    method: 'GET',
    path: '/verify-email',
    handle: async (a, _b, q) => answer(await a.verifyEmail(q.get('token') ?? ''), (v) => v.email),
  },
  {
    method: 'POST',
    path: '/keys',
    handle: async (a, body) =>
      answer(
        await a.issueApiKey({
          ...(typeof body['subject'] === 'string' ? { subject: body['subject'] } : {}),
          ...(typeof body['audience'] === 'string' ? { audience: body['audience'] } : {}),
          ...(typeof body['bindToIp'] === 'boolean' ? { bindToIp: body['bindToIp'] } : {}),
          ...(typeof body['expiresDays'] === 'number' ? { expiresDays: body['expiresDays'] } : {}),
        }),
        (k) => ({ token: k.token, subject: k.info.subject }),
      ),
  },
  {
    method: 'POST',
    path: '/keys/revoke',
    handle: async (a, body) => answer(await a.revokeApiKey(body['token']), () => null),
  },
  {
    method: 'GET',
    path: '/api/data',
    guard: { kind: 'user' },
    handle: echo,
  },
  {
    method: 'POST',
    path: '/api/data',
    guard: { kind: 'user' },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/other/data',
    guard: { kind: 'user' },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/api/key-only',
    guard: { kind: 'apikey' },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/api/key-only-json',
    guard: { kind: 'apikey', json: true },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/api/admin',
    guard: { kind: 'role', roles: ['superuser'] },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/api/others-private',
    guard: viewCollection('private'),
    handle: echo,
  },
  {
    method: 'GET',
    path: '/admin',
    guard: { kind: 'role', roles: ['superuser', 'staff'] },
    handle: echo,
  },
  {
    method: 'GET',
    path: '/others-private',
    guard: viewCollection('private'),
    handle: echo,
  },
  {
    method: 'GET',
    path: '/public',
    guard: viewCollection('public'),
    handle: echo,
  },
  {
    method: 'GET',
    path: '/limited',
    guard: { kind: 'limit' },
    handle: echo,
  },
  ...SESSION_ROUTES,
  ...ACCOUNT_ROUTES,
];

/** An adapter's guards: each a function (Express, Hono) or a decorator of the app (Fastify). */
export interface Guards<G> {
  requireUser(options?: { json?: boolean }): G;
  requireApiKey(options?: { json?: boolean }): G;
  requireRole(...roles: string[]): G;
  requireAccess(query: AccessQuery): G;
  limitRequests(): G;
  requireRecentAuth(maxAgeSeconds: number): G;
}

/** The adapter's guard for a route's `guard`. */
export function guardOf<G>(guards: Guards<G>, g: Guard): G {
  switch (g.kind) {
    case 'user':
      return guards.requireUser(g.json === undefined ? undefined : { json: g.json });
    case 'apikey':
      return guards.requireApiKey(g.json === undefined ? undefined : { json: g.json });
    case 'role':
      return guards.requireRole(...g.roles);
    case 'access':
      return guards.requireAccess(g.query);
    case 'limit':
      return guards.limitRequests();
    case 'recent':
      return guards.requireRecentAuth(g.maxAge);
  }
}

/** What a fetch-style driver sends: the method, the headers, and the body, when there is one, as JSON. */
function jsonRequest(
  method: string,
  init: { headers?: Record<string, string>; body?: unknown },
): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body === undefined) return { method, headers };
  headers['content-type'] = 'application/json';
  return { method, headers, body: JSON.stringify(init.body) };
}

/** Options the adapters take. */
export interface AppOptions {
  readonly anonymous?: boolean;
  /** The middleware's `json` option: refusals under `/api/` as JSON, whatever the request accepts. */
  readonly jsonApi?: boolean;
}

/** Express 5 behind a real listening server, driven by fetch. */
export async function expressDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const app = express();
  app.use(express.json());
  app.use(
    ex.authnzerver(auth, {
      anonymous: options.anonymous ?? false,
      ...(options.jsonApi === true ? { json: (req) => req.path.startsWith('/api/') } : {}),
    }),
  );
  for (const route of ROUTES) {
    const handler: express.RequestHandler = (req, res, next) => {
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      route
        .handle(req.auth, (req.body ?? {}) as Record<string, unknown>, query)
        .then(({ status, json }) => {
          res.status(status).json(json);
        }, next);
    };
    const chain = route.guard === undefined ? [handler] : [guardOf(ex, route.guard), handler];
    app[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
      route.path,
      ...chain,
    );
  }
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    async send(method, path, init = {}) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        ...jsonRequest(method, init),
        redirect: 'manual',
      });
      return readResponse(response);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fastify 5 with the plugin, driven by `inject`. */
export async function fastifyDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const app = Fastify();
  await app.register(fa.authnzerverPlugin, {
    auth,
    anonymous: options.anonymous ?? false,
    ...(options.jsonApi === true ? { json: (request) => request.url.startsWith('/api/') } : {}),
  });
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      ...(route.guard === undefined ? {} : { preHandler: guardOf(app, route.guard) }),
      handler: async (request, reply) => {
        const query = new URLSearchParams(request.url.split('?')[1] ?? '');
        const { status, json } = await route.handle(
          request.auth,
          (request.body ?? {}) as Record<string, unknown>,
          query,
        );
        return reply.code(status).send(json);
      },
    });
  }
  await app.ready();
  return {
    async send(method, path, init = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url: path,
        headers: { host: 'app.test', ...init.headers },
        remoteAddress: '127.0.0.1',
        ...(init.body === undefined ? {} : { payload: init.body as object }),
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined)
          headers.append(name, typeof value === 'string' ? value : String(value));
      }
      return replyOf(response.statusCode, headers, response.body);
    },
    close: () => app.close(),
  };
}

/** Hono 4 with the middleware, driven by `app.request()` (with @hono/node-server's `env.incoming` shape). */
export function honoDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const app = new Hono<ho.AuthEnv>();
  app.use(
    ho.authnzerver(auth, {
      anonymous: options.anonymous ?? false,
      ...(options.jsonApi === true ? { json: (c) => c.req.path.startsWith('/api/') } : {}),
    }),
  );
  for (const route of ROUTES) {
    const handler = async (c: import('hono').Context<ho.AuthEnv>) => {
      const body =
        c.req.header('content-type') === 'application/json'
          ? await c.req.json<Record<string, unknown>>()
          : {};
      const { status, json } = await route.handle(
        c.get('auth'),
        body,
        new URL(c.req.url).searchParams,
      );
      return c.json(json, status as 200);
    };
    const chain = route.guard === undefined ? [handler] : [guardOf(ho, route.guard), handler];
    app.on(route.method, route.path, ...(chain as [typeof handler]));
  }
  const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
  return Promise.resolve({
    async send(method, path, init = {}) {
      const response = await app.request(`http://app.test${path}`, jsonRequest(method, init), env);
      return readResponse(response);
    },
    close: () => Promise.resolve(),
  });
}

/** The frameworks, for `describe.each`. */
export const FRAMEWORKS = [
  ['express', expressDriver],
  ['fastify', fastifyDriver],
  ['hono', honoDriver],
  ['next', nextDriver],
  ['sveltekit', sveltekitDriver],
  ['react-router', reactRouterDriver],
] as const;
