/**
 * The web core of one app: its settings, and the services every flow shares: one client call read as a value
 * (`call`), a session look-up through the optional cache, the CSRF rule with its warning, the 401 of a route that
 * needs a user, and the state the core keeps between requests (the cache, the verifications running;
 * the request windows of `limitRequests` are in the settings' store). Flows (`sessions.ts`, `signup.ts`, `guards.ts`, `limits.ts`) take
 * it as their first argument.
 */
import type { SessionInfo } from '../../generated/types.js';
import { RequestValidationError } from '../core/errors.js';
import { SessionCache } from './cache.js';
import { pathForLog } from './csrf.js';
import { Invalidations } from './invalidation.js';
import { challenged, failure, fromResult, invalidInput, type CallResult } from './failure.js';
import type { WebSettings } from './settings.js';
import type { AuthFailure, AuthRequest } from './types.js';

/** What the core reads of a client's result. */
export interface ClientCallResult {
  readonly success: boolean;
  readonly response: unknown;
  readonly messages: readonly string[];
  readonly failure: string | null;
}

/** The session row out of a session-exists result. */
function sessionOf(result: CallResult<{ session_info: SessionInfo }>): CallResult<SessionInfo> {
  return result.ok
    ? { ok: true, value: result.value.session_info, messages: result.messages }
    : result;
}

/** The web core of one app. */
export class WebCore {
  readonly settings: WebSettings;
  readonly cache: SessionCache | null;
  /** What this app tells the other instances sharing its store, and hears from them (`invalidation.ts`). */
  readonly invalidations: Invalidations;
  /** Addresses whose verification is running in this process: a second use of a link at once does nothing. */
  readonly verifying = new Set<string>();
  /** Work run after the answer (the mail of the neutral flows), until it settles. */
  readonly #pending = new Set<Promise<void>>();

  constructor(settings: WebSettings) {
    this.settings = settings;
    this.cache = settings.cache === null ? null : new SessionCache(settings.cache);
    this.invalidations = new Invalidations(
      settings.store,
      this.cache,
      (message) => {
        this.warn(message);
      },
      settings.cache?.onEvent ?? null,
    );
    this.invalidations.start();
  }

  /**
   * The session of `token` ended or changed: it leaves this process's cache now (and any answer in flight for it
   * is not kept), and every other instance sharing the store is told. Never throws.
   */
  async sessionEnded(token: string): Promise<void> {
    this.cache?.delete(token);
    await this.invalidations.session(token);
  }

  /** Every session of the user ended: this process's cache is emptied, and every other instance is told. */
  async userSessionsEnded(userId: number): Promise<void> {
    this.cache?.clear();
    await this.invalidations.user(userId);
  }

  /** The app's clock, in milliseconds. */
  now(): number {
    return this.settings.now();
  }

  warn(message: string): void {
    this.settings.warn(message);
  }

  /**
   * Runs work after the answer, not awaited by the request (so a neutral answer takes the same time whatever
   * the work finds). It never throws: a failure is logged as `what` failed.
   */
  background(what: string, task: () => Promise<void>): void {
    const run = task().catch(() => {
      this.warn(`${what} failed`);
    });
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  /** Resolves once the background work started so far has finished (for tests and a graceful shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Runs one client call and reads its result: the success value, a rejection, or a failure to answer. */
  async call<S>(type: string, run: () => Promise<ClientCallResult>): Promise<CallResult<S>> {
    let result;
    try {
      result = await run();
    } catch (error) {
      if (RequestValidationError.is(error)) {
        return {
          ok: false,
          rejected: false,
          failure: invalidInput('a field is too long or malformed'),
        };
      }
      this.warn(`${type} could not be sent`);
      return { ok: false, rejected: false, failure: failure('unavailable') };
    }
    const read = fromResult<S>(result);
    if (!read.ok && !read.rejected) {
      this.warn(
        `${type} failed (${result.failure ?? 'unknown'}): answering ${read.failure.status}`,
      );
    }
    return read;
  }

  /** Looks a token up, through the cache when it is on. */
  lookup(token: string, ip: string): Promise<CallResult<SessionInfo>> {
    const fetch = (): Promise<CallResult<SessionInfo>> =>
      this.call<{ session_info: SessionInfo }>('session-exists', () =>
        this.settings.client.sessionExists({ session_token: token, client_ipaddr: ip }),
      ).then(sessionOf);
    return this.cache === null ? fetch() : this.cache.lookup(token, this.now(), fetch);
  }

  /** The 401 of a route that needs a user: with a `Bearer` challenge when the app takes API keys. */
  unauthenticated(): AuthFailure {
    const f = failure('unauthenticated');
    const keys = this.settings.apiKeys;
    return keys === null ? f : challenged(f, keys.challenge());
  }

  /**
   * The CSRF rule for a request: null when it passes, else the 403, logged at warn with the method, the path
   * (never the query), what the request showed (its Origin, or its Referer's origin) and the allowed origins.
   */
  checkCsrf(request: AuthRequest, appOrigins: readonly string[]): AuthFailure | null {
    const csrf = this.settings.csrf;
    const seen = csrf.refusal(request.headers, appOrigins);
    if (seen === null) return null;
    const allowed = [...appOrigins, ...csrf.trusted].join(', ');
    this.warn(
      `refused a cross-site ${request.method.toUpperCase()} ${pathForLog(request.url)}: it showed ${seen}; ` +
        `allowed origins: ${allowed} (set the \`origin\` option, or csrf.trustedOrigins)`,
    );
    return failure('csrf');
  }
}
