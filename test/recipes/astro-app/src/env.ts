/**
 * What the test's host server passes in `locals` (@astrojs/node's middleware mode takes them per request): the web
 * core, the socket's peer address, and the test app's routes.
 */
import type { AuthContext, AuthFailure, WebAuth } from 'authnzerver/web';

/** One route of the test app: the check of its guard, and its handler. */
export interface HostRoute {
  readonly method: string;
  readonly path: string;
  readonly check?: (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>;
  readonly handle: (
    auth: AuthContext,
    body: Record<string, unknown>,
    query: URLSearchParams,
  ) => Promise<{ status: number; json: unknown }>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Astro's own way to type `locals`
  namespace App {
    interface Locals {
      webAuth: WebAuth;
      remoteAddress: string | undefined;
      routes: readonly HostRoute[];
    }
  }
}
