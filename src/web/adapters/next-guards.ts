/**
 * The guards of `authnzerver/next`'s route handlers (`withAuth(handler, { guard })`) and its default failure
 * answers, as text or JSON.
 */
import type { NextRequest } from 'next/server.js';
import type { AccessQuery, AuthContext, AuthFailure } from '../types.js';
import { checkMaxAge, failureReply, wantsJson, type GuardOptions } from './shared.js';

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type NextFailureHandler = (
  failure: AuthFailure,
  request: NextRequest,
) => Response | Promise<Response>;

/** A check a route handler runs before its body: null to pass, or the failure to answer with. */
export interface NextGuard {
  readonly check: (
    context: AuthContext,
    request: NextRequest,
  ) => AuthFailure | null | Promise<AuthFailure | null>;
  /** Answer this guard's refusals as JSON. */
  readonly json?: boolean | undefined;
}

function send(failure: AuthFailure, asJson: boolean): Response {
  const reply = failureReply(failure, asJson);
  return new Response(reply.body, {
    status: reply.status,
    headers: { ...reply.headers, 'content-type': reply.contentType },
  });
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: NextFailureHandler = (failure, request) =>
  send(failure, wantsJson(request.headers));

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: NextFailureHandler = (failure) => send(failure, true);

/** Passes requests with a user (by session or API key); else 401. */
export function requireUser(options: GuardOptions = {}): NextGuard {
  return { check: (context) => context.requireUser(), json: options.json };
}

/** Passes requests made with a valid API key; else 401 with `WWW-Authenticate: Bearer`. */
export function requireApiKey(options: GuardOptions = {}): NextGuard {
  return { check: (context) => context.requireApiKey(), json: options.json };
}

/** Passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): NextGuard {
  return { check: (context) => context.requireRole(...roles) };
}

/** Passes requests that `user-check-access` allows. */
export function requireAccess(
  query: AccessQuery | ((request: NextRequest) => AccessQuery),
  options: GuardOptions = {},
): NextGuard {
  return {
    check: (context, request) =>
      context.requireAccess(typeof query === 'function' ? query(request) : query),
    json: options.json,
  };
}

/**
 * Passes requests whose session's user confirmed the password within `maxAgeSeconds`; else 401 without a user,
 * or 403 `reauthenticate`.
 *
 * @throws {ConfigError} at once when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(maxAgeSeconds: number, options: GuardOptions = {}): NextGuard {
  const max = checkMaxAge(maxAgeSeconds);
  return { check: (context) => context.requireRecentAuth(max), json: options.json };
}

/** The per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(limitName?: string, windowSeconds?: number): NextGuard {
  return { check: (context) => context.limitRequests(limitName, windowSeconds) };
}
