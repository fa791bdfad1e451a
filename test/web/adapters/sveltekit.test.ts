/**
 * What authnzerver/sveltekit does beyond the shared scenarios (which run it through a SvelteKit production build
 * in test/web/drivers/sveltekit.ts), through the same build: the client IP is `event.getClientAddress()`; the
 * hook composes with `sequence()`; guards throw SvelteKit's own `redirect()` (with `?next=`) and `error()`; a
 * refused API client gets the JSON refusal with its headers; options are checked; without the hook, `getAuth`
 * says so.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import * as sk from '../../../src/web/adapters/sveltekit.js';
import type { WebAuth } from '../../../src/web/index.js';
import { endpoint, sveltekitDriverWith } from '../drivers/sveltekit.js';
import { adapterHarness, APP, PASSWORD } from '../helpers.js';

/** `/account` behind the guard (the user's email, or the guard's throw); the shared routes for the rest. */
const guarded =
  (options?: sk.SvelteKitGuardOptions) =>
  async (event: RequestEvent): Promise<Response> => {
    if (event.url.pathname !== '/account') return endpoint(event);
    const user = await sk.requireUser(event, options);
    return new Response(user.email);
  };

describe('authnzerver/sveltekit', () => {
  let route: ((event: RequestEvent) => Promise<Response>) | undefined;
  let hook: ((auth: WebAuth) => Handle) | undefined;
  const h = adapterHarness((auth) =>
    sveltekitDriverWith((hook ?? sk.authnzerver)(auth), '203.0.113.9', route),
  );

  it("takes the client IP from event.getClientAddress(), and runs before the app's own hook in sequence()", async () => {
    route = undefined;
    hook = undefined;
    const { d } = await h.start();
    const reply = await d.send('GET', '/whoami');
    expect(reply.json()['clientIp']).toBe('203.0.113.9');
    // The second hook of the sequence read `event.locals.auth` (a visitor: no session).
    expect(reply.headers.get('x-sequence')).toBe('none');
  });

  it('a refused API client gets the JSON refusal with its headers', async () => {
    route = undefined;
    hook = undefined;
    const { d } = await h.start();
    const api = await d.send('GET', '/api/key-only', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer');
    expect(api.headers.get('cache-control')).toBe('private, no-store');
    expect(api.json()).toEqual({
      error: 'unauthenticated',
      message: 'Please log in.',
      messages: [],
    });
  });

  it("a guard with redirectTo throws SvelteKit's redirect (303, back with ?next=); without it, error(401)", async () => {
    hook = undefined;
    route = guarded({ redirectTo: '/login' });
    const { env, d, jar } = await h.start();
    const away = await d.send('GET', '/account?tab=keys');
    expect(away.status).toBe(303);
    expect(away.headers.get('location')).toBe('/login?next=%2Faccount%3Ftab%3Dkeys');
    await h.logIn(d, jar, env);
    const page = await d.send('GET', '/account', { headers: jar.header() });
    expect(page.status).toBe(200);
    expect(page.text).toBe('ada@example.com');

    route = guarded({ redirectTo: '/login?next=/home' });
    const kept = await h.swap(env.auth);
    expect((await kept.send('GET', '/account')).headers.get('location')).toBe('/login?next=/home');

    route = guarded();
    const refused = await (
      await h.swap(env.auth)
    ).send('GET', '/account', {
      headers: { accept: 'text/html' },
    });
    // SvelteKit's own error page, with the guard's status and message.
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).toContain('Please log in.');
    expect(refused.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a log-in writes its cookie through event.cookies: the same request reads it back, and it is sent once', async () => {
    hook = undefined;
    route = async (event) => {
      if (event.url.pathname !== '/login-and-read') return endpoint(event);
      const name = event.url.searchParams.get('cookie') ?? '';
      const before = event.cookies.get(name) ?? null;
      const result = await sk.getAuth(event).login('ada@example.com', PASSWORD);
      return Response.json({ ok: result.ok, before, after: event.cookies.get(name) ?? null });
    };
    const { env, d, jar } = await h.start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const reply = await d.send('POST', `/login-and-read?cookie=${jar.name}`, {
      headers: { origin: APP },
    });
    const body = reply.json<{ ok: boolean; before: string | null; after: string | null }>();
    expect(body.ok).toBe(true);
    expect(body.before).toBeNull();
    expect(reply.cookies.map((c) => c.name)).toEqual([jar.name]);
    expect(body.after).toBe(reply.cookies[0]?.value);
    jar.take(reply);
    const page = await d.send('GET', '/whoami', { headers: jar.header() });
    expect(page.json()['userId']).not.toBeNull();
  });

  it('without the hook, getAuth and the guards say the hook did not run', async () => {
    hook =
      () =>
      ({ event, resolve }) =>
        resolve(event);
    route = async (event) => {
      try {
        await sk.requireUser(event);
        return new Response('passed');
      } catch (error) {
        return new Response(String(error), { status: 500 });
      }
    };
    const { d } = await h.start();
    const reply = await d.send('GET', '/account');
    expect(reply.text).toBe('Error: authnzerver: the auth middleware did not run for this request');
  });

  it('checks its options, with "did you mean"', () => {
    const auth = {} as WebAuth;
    let thrown: unknown;
    try {
      sk.authnzerver(auth, { remoteAdress: () => '::1' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(ConfigError.is(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(
      'authnzerver/sveltekit: unknown option `remoteAdress`; did you mean `remoteAddress`?',
    );
  });
});
