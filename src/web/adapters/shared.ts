/**
 * What the adapters share: the light `AuthRequest` over a Node request's header object (no `Request` is built
 * per request), and the registry of failure handlers by context, so guards answer the way the app's middleware
 * was told to.
 */
import { ConfigError } from '../../core/errors.js';
import type { HeaderAccess } from '../cache-policy.js';
import type { AuthContext, AuthRequest } from '../types.js';

/** A Node request's headers (`IncomingHttpHeaders`), as Express and Fastify give them. */
export type NodeHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** An {@link AuthRequest} over a Node request, reading headers lazily. */
export class NodeAuthRequest implements AuthRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };

  constructor(method: string, encrypted: boolean, headers: NodeHeaders, path: string) {
    this.method = method;
    if (!path.startsWith('/')) {
      // An absolute-form request target (`GET http://host/path`): keep its path only; the Host header decides.
      const scheme = path.indexOf('://');
      const slash = scheme < 0 ? -1 : path.indexOf('/', scheme + 3);
      path = slash < 0 ? '/' : path.slice(slash);
    }
    const host = headers['host'];
    this.url = `${encrypted ? 'https' : 'http'}://${typeof host === 'string' && host !== '' ? host : 'localhost'}${path}`;
    this.headers = {
      get(name: string): string | null {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return typeof value === 'string' ? value : value.join(', ');
      },
    };
  }
}

/**
 * The one map of failure handlers of the process, shared by every copy of this module: when an app loads both
 * builds of the package (ES module and CommonJS), a guard of one finds the handler the middleware of the other
 * recorded. Each context comes from one adapter's middleware, so the adapters can share it.
 */
const SHARED_HANDLERS = Symbol.for('authnzerver.web.failureHandlers');
const processWide = globalThis as Record<symbol, WeakMap<AuthContext, unknown> | undefined>;
const sharedHandlers = (processWide[SHARED_HANDLERS] ??= new WeakMap<AuthContext, unknown>());

/**
 * Failure handlers by context: the middleware records the app's handler for each request's context, and the
 * guards look it up.
 */
export class FailureHandlers<H> {
  readonly #map = sharedHandlers as WeakMap<AuthContext, H>;

  set(context: AuthContext, handler: H): void {
    this.#map.set(context, handler);
  }

  get(context: AuthContext): H | undefined {
    return this.#map.get(context);
  }
}

export { failureHeaders, failureReply, wantsJson, type FailureReply } from '../failure.js';

/** Options of a guard. */
export interface GuardOptions {
  /**
   * Answer this route's refusals as JSON (`{ "error": code, "message", "messages" }`), whatever the request's
   * `Accept` says. Default: JSON when the request asks for it, plain text otherwise.
   * @default false
   */
  readonly json?: boolean | undefined;
}

/** The message a middleware throws when a guard runs without it. */
export const MISSING_MIDDLEWARE = 'authnzerver: the auth middleware did not run for this request';

/**
 * The age argument of a `requireRecentAuth` guard, checked when the guard is made.
 *
 * @throws {ConfigError} when it is not a number > 0.
 */
export function checkMaxAge(maxAgeSeconds: unknown): number {
  if (typeof maxAgeSeconds !== 'number' || !Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) {
    throw new ConfigError('requireRecentAuth: maxAgeSeconds must be a number > 0', {
      option: 'maxAgeSeconds',
    });
  }
  return maxAgeSeconds;
}

/** A Node response's headers as the caching rule reads and writes them (Express's `res`, Fastify's `reply`). */
export function nodeHeaders(
  response: {
    getHeader(name: string): number | string | readonly string[] | undefined;
  },
  set: (name: string, value: string) => void,
): HeaderAccess {
  return {
    get(name) {
      const value = response.getHeader(name);
      if (value === undefined) return null;
      return typeof value === 'object' ? value.join(', ') : String(value);
    },
    set,
  };
}
