/**
 * Contexts made straight from the web core, for tests of one flow without a framework: a request's context, an
 * anonymous session's same-origin POST context (as a log-in form would post), and a logged-in user's context.
 */
import type { AuthContext, WebAuth } from '../../src/web/index.js';
import { APP, PASSWORD, type WebSetup } from './helpers.js';

/** The context of one request to the app (a GET of `/` by default), or a throw when it is refused. */
export async function context(
  auth: WebAuth,
  init: RequestInit & { url?: string } = {},
  ip = '127.0.0.1',
): Promise<AuthContext> {
  const result = await auth.authenticate(new Request(init.url ?? `${APP}/`, init), {
    remoteAddress: ip,
  });
  if (!result.ok) throw new Error(`refused: ${result.failure.code}`);
  return result.context;
}

/** A new anonymous session (as before a log-in form), then a same-origin POST context carrying its cookie. */
export async function anonymousPost(auth: WebAuth): Promise<{ token: string; ctx: AuthContext }> {
  const anon = await auth.authenticate(
    new Request(`${APP}/login`),
    { remoteAddress: '127.0.0.1' },
    { createAnonymous: true },
  );
  if (!anon.ok) throw new Error('no session');
  const token = (anon.context.setCookies[0] as string).split(';')[0]?.split('=')[1] as string;
  const ctx = await context(auth, {
    method: 'POST',
    headers: { origin: APP, cookie: `azsession=${token}` },
  });
  return { token, ctx };
}

/** A logged-in user's context (a GET with the session cookie that log-in set). */
export async function loggedIn(env: WebSetup, email = 'ada@example.com'): Promise<AuthContext> {
  env.server.authnzerver.addUser({ email, password: PASSWORD });
  const { ctx } = await anonymousPost(env.auth);
  const login = await ctx.login(email, PASSWORD);
  if (!login.ok) throw new Error(`log-in refused: ${login.failure.code}`);
  const cookie = ctx.setCookies.at(-1)?.split(';')[0] as string;
  return context(env.auth, { headers: { cookie } });
}
