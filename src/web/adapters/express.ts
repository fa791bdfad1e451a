/**
 * `authnzerver/express`: the web core as Express 5 middleware. `authnzerver(auth)` reads each request and puts
 * its context on `req.auth` (typed by declaration merging); `requireUser()`, `requireApiKey()`, `requireRole()`,
 * `requireAccess()` and `limitRequests()` are route guards. Refusals answer with their status (503, or 429 with
 * Retry-After, when the auth server fails; `WWW-Authenticate` on API-key refusals), as plain text or as JSON
 * when the request asks for JSON, unless the app gives its own `onFailure`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { applyCachePolicy } from '../cache-policy.js';
import { checkKeys, optionShape } from '../../core/options.js';
import type { AccessQuery, AuthContext, AuthFailure, WebAuth } from '../types.js';
import {
  failureReply,
  FailureHandlers,
  MISSING_MIDDLEWARE,
  NodeAuthRequest,
  wantsJson,
  type FailureReply,
  type GuardOptions,
  checkMaxAge,
  nodeHeaders,
} from './shared.js';

export type { GuardOptions } from './shared.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to type `req`
  namespace Express {
    interface Request {
      /** The request's auth context, set by the `authnzerver()` middleware. */
      auth: AuthContext;
    }
  }
}

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type ExpressFailureHandler = (
  failure: AuthFailure,
  req: Request,
  res: Response,
  next: NextFunction,
) => void;

/** Options of {@link authnzerver}. */
export interface ExpressAuthOptions {
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), for an app that
   * keeps state for visitors. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((req: Request) => boolean) | undefined;
  /**
   * How refused requests (by the middleware and by the guards) are answered.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: ExpressFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(req) => req.path.startsWith('/api/')`), or
   * for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((req: Request) => boolean) | undefined;
}

/** The known keys of {@link ExpressAuthOptions}: another key is a `ConfigError` with "did you mean". */
const OPTION_KEYS = optionShape<ExpressAuthOptions>({
  anonymous: true,
  onFailure: true,
  json: true,
});

function send(res: Response, reply: FailureReply): void {
  res.status(reply.status).set(reply.headers).type(reply.contentType).send(reply.body);
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: ExpressFailureHandler = (failure, req, res) => {
  send(res, failureReply(failure, wantsJson({ get: (name) => req.get(name) ?? null })));
};

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: ExpressFailureHandler = (failure, _req, res) => {
  send(res, failureReply(failure, true));
};

const handlers = new FailureHandlers<ExpressFailureHandler>();

/** The request's auth context. @throws {Error} when the `authnzerver()` middleware did not run. */
export function getAuth(req: Request): AuthContext {
  const context = (req as Partial<Request>).auth;
  if (context === undefined) throw new Error(MISSING_MIDDLEWARE);
  return context;
}

/** The middleware: authenticates every request and sets `req.auth`. */
export function authnzerver(auth: WebAuth, options: ExpressAuthOptions = {}): RequestHandler {
  checkKeys(options, OPTION_KEYS, 'authnzerver/express');
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  return (req, res, next) => {
    const onFailure =
      options.onFailure ??
      ((typeof json === 'function' ? json(req) : json) ? sendJsonFailure : sendFailure);
    const request = new NodeAuthRequest(
      req.method,
      (req.socket as { encrypted?: boolean }).encrypted === true,
      req.headers,
      req.originalUrl,
    );
    const createAnonymous = typeof anonymous === 'function' ? anonymous(req) : anonymous;
    const headers = nodeHeaders(res, (name, value) => res.setHeader(name, value));
    let context: AuthContext | undefined;
    auth
      .authenticate(
        request,
        {
          remoteAddress: req.socket.remoteAddress,
          setCookie: (value) => {
            res.append('Set-Cookie', value);
            // A log-in or log-out in the handler makes the answer personal.
            if (context !== undefined && !res.headersSent) applyCachePolicy(context, headers);
          },
        },
        { createAnonymous },
      )
      .then((result) => {
        if (!result.ok) {
          onFailure(result.failure, req, res, next);
          return;
        }
        context = result.context;
        applyCachePolicy(context, headers);
        handlers.set(result.context, onFailure);
        req.auth = result.context;
        next();
      }, next);
  };
}

/** Runs a guard: next() when it passes, else the app's failure answer (JSON with `json: true`). */
function guard(
  check: (context: AuthContext, req: Request) => AuthFailure | null | Promise<AuthFailure | null>,
  options: GuardOptions = {},
): RequestHandler {
  return (req, res, next) => {
    let context: AuthContext;
    try {
      context = getAuth(req);
    } catch (error) {
      next(error);
      return;
    }
    Promise.resolve(check(context, req)).then((failure) => {
      if (failure === null) {
        next();
        return;
      }
      const handler = handlers.get(context) ?? sendFailure;
      (options.json === true && handler === sendFailure ? sendJsonFailure : handler)(
        failure,
        req,
        res,
        next,
      );
    }, next);
  };
}

/** Passes requests with a user (by session or API key); else 401. */
export function requireUser(options?: GuardOptions): RequestHandler {
  return guard((context) => context.requireUser(), options);
}

/** Passes requests made with a valid API key; else 401 with `WWW-Authenticate: Bearer` (a cookie is not enough). */
export function requireApiKey(options?: GuardOptions): RequestHandler {
  return guard((context) => context.requireApiKey(), options);
}

/** Passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): RequestHandler {
  return guard((context) => context.requireRole(...roles));
}

/**
 * Passes requests whose session's user confirmed the password within `maxAgeSeconds` (`confirmPassword`); else
 * 401 without a user, or 403 `reauthenticate`: send the user to confirm (the failure handler may redirect).
 *
 * @throws {ConfigError} at once when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(maxAgeSeconds: number, options?: GuardOptions): RequestHandler {
  const max = checkMaxAge(maxAgeSeconds);
  return guard((context) => context.requireRecentAuth(max), options);
}

/** Passes requests that `user-check-access` allows; the query may depend on the request. */
export function requireAccess(
  query: AccessQuery | ((req: Request) => AccessQuery),
  options?: GuardOptions,
): RequestHandler {
  return guard(
    (context, req) => context.requireAccess(typeof query === 'function' ? query(req) : query),
    options,
  );
}

/** The per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(limitName?: string, windowSeconds?: number): RequestHandler {
  return guard((context) => context.limitRequests(limitName, windowSeconds));
}
