/**
 * `createWebAuth`, the web core's entry: the options checked once into frozen settings (`settings.ts`), the app's
 * core (`core.ts`), and `WebAuth`, what an adapter or a fetch handler calls: `authenticate` for each request
 * (`authenticate.ts`), the reply for a failure, the cookie's name, and the cache's reset.
 */
import { authenticate } from './authenticate.js';
import { WebCore } from './core.js';
import { failureResponse, wantsJson } from './failure.js';
import type { WebAuthOptions } from './options.js';
import { resolveWebSettings } from './settings.js';
import type {
  AuthenticateOptions,
  AuthenticateResult,
  AuthFailure,
  AuthRequest,
  RequestEnv,
  WebAuth,
} from './types.js';

export { INPUT_LIMITS } from './failure.js';

/** The web core of an app, as adapters and fetch handlers use it. */
class WebAuthCore implements WebAuth {
  readonly #core: WebCore;

  constructor(options: WebAuthOptions) {
    this.#core = new WebCore(resolveWebSettings(options));
  }

  authenticate(
    request: AuthRequest,
    env: RequestEnv = {},
    options: AuthenticateOptions = {},
  ): Promise<AuthenticateResult> {
    return authenticate(this.#core, request, env, options);
  }

  failureResponse(
    f: AuthFailure,
    setCookies: readonly string[] = [],
    request?: AuthRequest,
  ): Response {
    return failureResponse(
      f,
      setCookies,
      request === undefined ? false : wantsJson(request.headers),
    );
  }

  settled(): Promise<void> {
    return this.#core.settled();
  }

  clearCache(): void {
    this.#core.cache?.clear();
  }

  close(): void {
    this.#core.invalidations.stop();
  }

  cookieName(secure: boolean): string {
    return this.#core.settings.cookie.name(secure);
  }
}

/**
 * Makes the web core for an app, once.
 *
 * @throws {ConfigError} naming the option when an option is missing, malformed or unknown (a secret is never
 *   shown).
 */
export function createWebAuth(options: WebAuthOptions): WebAuth {
  return new WebAuthCore(options);
}
