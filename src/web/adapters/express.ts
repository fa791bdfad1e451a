/**
 * `authnzerver/express`: the web core as Express 5 middleware. `authnzerver(auth)` reads each request and puts
 * its context on `req.auth` (typed by declaration merging); `requireUser()`, `requireRole()`,
 * `requireAccess()` and `limitRequests()` are route guards. Failures of the auth server answer 503 (or 429 with
 * Retry-After) unless the app gives its own `onFailure`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkExpressKeys } from '../options.js';
import type { AccessQuery, AuthContext, AuthFailure, WebAuth } from '../types.js';
import { failureHeaders, FailureHandlers, MISSING_MIDDLEWARE, NodeAuthRequest } from './shared.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to type `req`
  namespace Express {
    interface Request {
      /** The request's auth context, set by the `authnzerver()` middleware. */
      auth: AuthContext;
    }
  }
}

/** Answers a refused request; the default sends the failure's status and generic message as text. */
export type ExpressFailureHandler = (
  failure: AuthFailure,
  req: Request,
  res: Response,
  next: NextFunction,
) => void;

/** Options of {@link authnzerver}. */
export interface ExpressAuthOptions {
  /** Create an anonymous session on requests without one (all, or those the function picks). Default `false`. */
  readonly anonymous?: boolean | ((req: Request) => boolean);
  /** How refused requests (by the middleware and by the guards) are answered. */
  readonly onFailure?: ExpressFailureHandler;
}

/** The default failure answer: the status, `Retry-After` on 429, and the generic message as plain text. */
export const sendFailure: ExpressFailureHandler = (failure, _req, res) => {
  res.status(failure.status).set(failureHeaders(failure)).type('text/plain').send(failure.message);
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
  checkExpressKeys(options);
  const onFailure = options.onFailure ?? sendFailure;
  const anonymous = options.anonymous ?? false;
  return (req, res, next) => {
    const request = new NodeAuthRequest(
      req.method,
      (req.socket as { encrypted?: boolean }).encrypted === true,
      req.headers,
      req.originalUrl,
    );
    const createAnonymous = typeof anonymous === 'function' ? anonymous(req) : anonymous;
    auth
      .authenticate(
        request,
        {
          remoteAddress: req.socket.remoteAddress,
          setCookie: (value) => {
            res.append('Set-Cookie', value);
          },
        },
        { createAnonymous },
      )
      .then((result) => {
        if (!result.ok) {
          onFailure(result.failure, req, res, next);
          return;
        }
        handlers.set(result.context, onFailure);
        req.auth = result.context;
        next();
      }, next);
  };
}

/** Runs a guard: next() when it passes, else the app's failure answer. */
function guard(
  check: (context: AuthContext, req: Request) => AuthFailure | null | Promise<AuthFailure | null>,
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
      if (failure === null) next();
      else (handlers.get(context) ?? sendFailure)(failure, req, res, next);
    }, next);
  };
}

/** Passes requests with a user (by session or API key); else 401. */
export function requireUser(): RequestHandler {
  return guard((context) => context.requireUser());
}

/** Passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): RequestHandler {
  return guard((context) => context.requireRole(...roles));
}

/** Passes requests that `user-check-access` allows; the query may depend on the request. */
export function requireAccess(
  query: AccessQuery | ((req: Request) => AccessQuery),
): RequestHandler {
  return guard((context, req) =>
    context.requireAccess(typeof query === 'function' ? query(req) : query),
  );
}

/** The per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(limitName?: string, windowSeconds?: number): RequestHandler {
  return guard((context) => context.limitRequests(limitName, windowSeconds));
}
