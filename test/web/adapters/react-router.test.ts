/**
 * What authnzerver/react-router does beyond the shared scenarios (which run it through React Router's
 * `createRequestHandler` in test/web/drivers/react-router.ts), through the same handler: the client IP from
 * `clientAddressContext` (and `0.0.0.0` without it: React Router's servers give no socket); the guards' redirect
 * with `?next=`; an app without middleware, with `authenticate()` in its loaders and actions and the headers it
 * returns (cookies, caching rule); options checked; without the middleware, `getAuth` says so.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import * as rr from '../../../src/web/adapters/react-router.js';
import type { WebAuth } from '../../../src/web/index.js';
import { sendThrough, serverBuild, type Module } from '../drivers/react-router.js';
import { adapterHarness, APP, PASSWORD, readResponse, type Driver } from '../helpers.js';

type Args = LoaderFunctionArgs | ActionFunctionArgs;

/** A driver over a build of the given routes (with the middleware at the root, unless `middleware` is false). */
function driverOf(
  auth: WebAuth,
  routes: Record<string, (args: Args) => Promise<Response>>,
  {
    middleware = true,
    clientAddress = '127.0.0.1',
  }: { middleware?: boolean; clientAddress?: string | null } = {},
): Driver {
  const build = serverBuild(
    (middleware ? { middleware: [rr.authnzerver(auth)] } : {}) as Module,
    Object.entries(routes).map(([path, handler]) => ({
      path,
      module: { loader: handler, action: handler } as Module,
    })),
  );
  return {
    async send(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const request = new Request(`${APP}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      return readResponse(await sendThrough(build, request, clientAddress));
    },
    close: () => Promise.resolve(),
  };
}

describe('authnzerver/react-router', () => {
  let make: ((auth: WebAuth) => Driver) | undefined;
  const h = adapterHarness((auth) => Promise.resolve((make as (auth: WebAuth) => Driver)(auth)));

  const whoami = (args: Args) =>
    Promise.resolve(Response.json({ clientIp: rr.getAuth(args.context).clientIp }));

  it('takes the client IP from clientAddressContext; without it (React Router serve), 0.0.0.0', async () => {
    make = (auth) => driverOf(auth, { whoami }, { clientAddress: '203.0.113.9' });
    const { env } = await h.start();
    const given = await (await h.swap(env.auth)).send('GET', '/whoami');
    expect(given.json()['clientIp']).toBe('203.0.113.9');
    make = (auth) => driverOf(auth, { whoami }, { clientAddress: null });
    const none = await (await h.swap(env.auth)).send('GET', '/whoami');
    expect(none.json()['clientIp']).toBe('0.0.0.0');
  });

  it('a guard with redirectTo throws the redirect, back with ?next=', async () => {
    make = (auth) =>
      driverOf(auth, {
        account: async (args) => {
          const user = await rr.requireUser(args, { redirectTo: '/login' });
          return new Response(user.email);
        },
      });
    const { d } = await h.start();
    const away = await d.send('GET', '/account?tab=keys');
    expect(away.status).toBe(302);
    expect(away.headers.get('location')).toBe('/login?next=%2Faccount%3Ftab%3Dkeys');
    expect(away.headers.get('vary')).toMatch(/Cookie/);
  });

  it('without middleware: authenticate() in a loader or action, and its headers (cookies, caching rule)', async () => {
    const handlerFor =
      (auth: WebAuth) =>
      async (args: Args): Promise<Response> => {
        const result = await rr.authenticate(auth, args.request);
        if (!result.ok) return result.response;
        if (args.request.method === 'POST') {
          const body = (await args.request.json()) as { email: string; password: string };
          const login = await result.auth.login(body.email, body.password);
          const status = login.ok ? 200 : login.failure.status;
          // React Router merges a loader's or action's `Set-Cookie` into the response by itself.
          return Response.json({ ok: login.ok }, { status, headers: result.headers() });
        }
        await rr.requireUser({ request: args.request, auth: result.auth });
        const payload = data({ email: result.auth.user?.email }, { headers: result.headers() });
        return Response.json(payload.data, { headers: payload.init?.headers ?? {} });
      };
    make = (auth) =>
      driverOf(auth, { login: handlerFor(auth), me: handlerFor(auth) }, { middleware: false });
    const { env, d, jar } = await h.start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const refused = await d.send('GET', '/me');
    expect(refused.status).toBe(401);
    expect(refused.text).toBe('Please log in.');
    const crossSite = await d.send('POST', '/login', {
      headers: { origin: 'https://evil.example', cookie: `${jar.name}=x` },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(crossSite.status).toBe(403);
    const login = await d.send('POST', '/login', {
      headers: { origin: APP },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.cookies.map((c) => c.name)).toEqual([jar.name]);
    expect(login.headers.get('cache-control')).toBe('private, no-store');
    jar.take(login);
    const me = await d.send('GET', '/me', { headers: jar.header() });
    expect(me.json()).toEqual({ email: 'ada@example.com' });
    expect(me.headers.get('cache-control')).toBe('private, no-store');
    expect(me.headers.get('vary')).toMatch(/Cookie/);
  });

  it('without the middleware, getAuth says so; options are checked with "did you mean"', async () => {
    make = (auth) =>
      driverOf(
        auth,
        {
          whoami: (args) => {
            try {
              rr.getAuth(args.context);
              return Promise.resolve(new Response('passed'));
            } catch (error) {
              return Promise.resolve(new Response(String(error), { status: 500 }));
            }
          },
        },
        { middleware: false },
      );
    const { d } = await h.start();
    expect((await d.send('GET', '/whoami')).text).toBe(
      'Error: authnzerver: the auth middleware did not run for this request',
    );
    let thrown: unknown;
    try {
      rr.authnzerver({} as WebAuth, { remoteAdress: () => '::1' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(ConfigError.is(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(
      'authnzerver/react-router: unknown option `remoteAdress`; did you mean `remoteAddress`?',
    );
  });
});
