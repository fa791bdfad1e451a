/**
 * The app's web core and its Next.js side, made once. The authnzerver URL and secret, and the app's own keys,
 * come from the environment.
 */
import { appendFileSync } from 'node:fs';
import { Authnzerver } from 'authnzerver';
import { consoleMailer, createWebAuth, type Mailer } from 'authnzerver/web';
import {
  createNextAuth,
  type AuthedRouteHandler,
  type NextAuth,
  type NextAuthState,
  type RouteOptions,
} from 'authnzerver/next';
import { connection, type NextRequest } from 'next/server';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`set ${name} in the environment`);
  return value;
}

/**
 * The mailer: the console, or, only when a test asks for it with EXAMPLE_OUTBOX, a file of JSON lines the test
 * reads (never in production by default).
 */
function mailer(): Mailer {
  const outbox = process.env.EXAMPLE_OUTBOX;
  if (outbox === undefined || outbox === '') return consoleMailer();
  return {
    send(message) {
      appendFileSync(outbox, JSON.stringify(message) + '\n');
      return Promise.resolve();
    },
  };
}

let made: NextAuth | undefined;

/**
 * The app's Next.js auth, made on first use (not at build time, when the environment is not there). The proxy
 * and the app are separate bundles: each makes its own, from the same environment.
 */
export function nextAuth(): NextAuth {
  made ??= createNextAuth(
    createWebAuth({
      client: new Authnzerver({ url: env('AUTHNZERVER_URL'), secret: env('AUTHNZERVER_SECRET') }),
      origin: env('APP_ORIGIN'),
      emailVerification: { secret: env('APP_EMAIL_SECRET') },
      mailer: mailer(),
    }),
    { stateSecret: env('APP_STATE_SECRET') },
  );
  return made;
}

/** `nextAuth().withAuth(...)`, made on the first request. */
export function withAuth<C>(
  handler: AuthedRouteHandler<C>,
  options?: RouteOptions,
): (request: NextRequest, context: C) => Promise<Response> {
  let wrapped: ((request: NextRequest, context: C) => Promise<Response>) | undefined;
  return (request, context) => {
    wrapped ??= nextAuth().withAuth(handler, options);
    return wrapped(request, context);
  };
}

/**
 * The page's auth state (read-only). `connection()` first: the page is rendered for each request, never at
 * build time (where the environment is not set).
 */
export async function getAuth(): Promise<NextAuthState> {
  await connection();
  return nextAuth().getAuth();
}
