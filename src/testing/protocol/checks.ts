/**
 * The real server's checks of a request, in its order: the host and path (404), `GET /health`, the method (405),
 * the outer base64 and the Fernet token under one of the server's keys (401), then the envelope (500 without
 * `request` or `reqid`, 400 for `echo`, a missing `client_ipaddr` or a body that is not an object), with the
 * rate limiter's place between them. Each check gives the status to answer, or what the next needs.
 */
import type { IncomingMessage } from 'node:http';
import { decodeWire } from '../../crypto/wire.js';
import { Fernet } from '../../crypto/fernet.js';
import { truthy } from '../py.js';

/** Where a request goes by its host and path: the protocol (`POST /`), `/health`, or the 404 page. */
export function routeOf(
  req: IncomingMessage,
  allowedHosts: ReadonlySet<string>,
): 'protocol' | 'health' | 'not-found' {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!allowedHosts.has(host) || (path !== '/' && path !== '/health')) return 'not-found';
  return path === '/health' ? 'health' : 'protocol';
}

/** A server's keys: the first is its own (its replies to `reply` faults), and each decrypts requests. */
export class ServerKeys {
  readonly secrets: readonly string[];
  readonly #fernets: readonly Fernet[];

  /** @throws {TypeError} for an empty list. */
  constructor(secret: string | readonly string[]) {
    const secrets = typeof secret === 'string' ? [secret] : [...secret];
    if (secrets.length === 0) throw new TypeError('a protocol server needs at least one key');
    this.secrets = secrets;
    this.#fernets = secrets.map((key) => new Fernet(key));
  }

  /** The server's own key's cipher. */
  get first(): Fernet {
    return this.#fernets[0] as Fernet;
  }

  /**
   * Decrypts a request body with the first key that can, or undefined when none can (or the outer base64 lacks
   * its padding: the real server's `b64decode` is non-validating, but insists on it).
   */
  open(body: string): { readonly envelope: unknown; readonly fernet: Fernet } | undefined {
    if (body.replace(/\s+$/, '').length % 4 !== 0) return undefined;
    for (const fernet of this.#fernets) {
      try {
        return { envelope: decodeWire(fernet, body), fernet };
      } catch {
        // not this key (or not a token at all)
      }
    }
    return undefined;
  }
}

/** An envelope the server can index: a dict (Python indexes the payload with "request"). */
export function asEnvelope(envelope: unknown): Record<string, unknown> | number {
  if (!truthy(envelope)) return 401;
  // Anything but a dict fails where Python indexes it, outside the action's try.
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return 500;
  return envelope as Record<string, unknown>;
}

/** The envelope checks before the rate limiter: the status to answer, or undefined to go on. */
export function checkEnvelope(env: Readonly<Record<string, unknown>>): number | undefined {
  if (env.request === undefined) return 500;
  if (env.request === 'echo') return 400;
  if (env.reqid === undefined || env.reqid === null) return 500;
  if (!env.client_ipaddr) return 400;
  return undefined;
}

/** The body check after the rate limiter: a dict, or 400. */
export function checkBody(env: Readonly<Record<string, unknown>>): number | undefined {
  return typeof env.body !== 'object' || env.body === null || Array.isArray(env.body)
    ? 400
    : undefined;
}
