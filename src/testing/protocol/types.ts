/**
 * The types of the bare protocol server (`startProtocolServer` in ../protocol-server.ts): what a handler gets and
 * answers, the server's options, its hooks, and what a test reads of a running server.
 */
import type { ActionReply } from '../../core/envelope.js';
import type { Reqid } from '../../core/result.js';
import type { NodeBuffer } from '../../platform/node-types.js';
import type { Fault } from './fault-kinds.js';
import type { HttpErrorReply } from './replies.js';

/** One request the server received and could decrypt (recorded before any other check). */
export interface ReceivedRequest {
  /** The request type (`envelope.request`; other JSON values as JSON text, `''` when absent). */
  readonly type: string;
  /** The request's `body`, as sent. */
  readonly body: unknown;
  /** The envelope's `reqid`; undefined only for an envelope without one (which the server answers with HTTP 500). */
  readonly reqid: Reqid | undefined;
  /** The envelope's top-level `client_ipaddr`. */
  readonly clientIpaddr: unknown;
  /** The whole decrypted envelope. */
  readonly envelope: Readonly<Record<string, unknown>>;
  /** The HTTP request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type { ActionReply } from '../../core/envelope.js';

export type HandlerResult = ActionReply | HttpErrorReply;

/** Answers one decrypted request. Throwing gives HTTP 400, as an exception inside an action does on the server. */
export type RequestHandler = (request: ReceivedRequest) => HandlerResult | Promise<HandlerResult>;

/** Options of `startProtocolServer`. */
export interface ProtocolServerOptions {
  /**
   * The Fernet key, or a set of keys: each decrypts requests, and a reply is sealed with the key that decrypted
   * its request. `setSecret` changes it while the server runs. @default a new random key
   */
  readonly secret?: string | readonly string[] | undefined;
  /** The port to listen on (to restart a server where it was). @default a free port */
  readonly port?: number | undefined;
  /** Answers every decrypted request. @default an unknown-type handler (HTTP 400 for everything) */
  readonly handler?: RequestHandler | undefined;
  /** Host names accepted in the `Host` header; others get the 404 page, as the server's `allowedhosts`. @default ['localhost', '127.0.0.1'] */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Serve HTTPS with this certificate and key (PEM); `ca` and `requestCert` ask for client certificates. */
  readonly tls?:
    | {
        readonly cert: string | NodeBuffer;
        readonly key: string | NodeBuffer;
        readonly ca?: string | NodeBuffer | undefined;
        readonly requestCert?: boolean | undefined;
      }
    | undefined;
}

/**
 * What the server checks between the envelope checks and the body check, where the real server rate-limits:
 * an HTTP status to answer with instead (429, or 500 where the real rate limiter fails), or undefined to go on.
 * @internal
 */
export type AdmitHook = (envelope: Readonly<Record<string, unknown>>) => number | undefined;

/**
 * What the server checks before it answers `GET /health`, where the real server rate-limits the check (as the
 * request type `apikey-healthcheck` of the caller's address): an HTTP status to answer with instead (429, or 500
 * where the real rate limiter fails), or undefined to answer with the report.
 * @internal
 */
export type HealthHook = (remoteAddress: string) => number | undefined;

/** A running protocol server: its address and key, what it received, and its fault queue. */
export interface ProtocolServer {
  /** `http://127.0.0.1:<port>/` (`https://` with `tls`). */
  readonly url: string;
  /** The server's Fernet key now: the first of its set. */
  readonly secret: string;
  /** The keys the server decrypts with now, in order. */
  readonly secrets: readonly string[];
  readonly port: number;
  /** Every request received and decrypted, in order. */
  readonly received: ReceivedRequest[];
  /** How many HTTP requests arrived at all (including ones that were not decrypted or were faulted). */
  readonly hits: number;
  /** How many `POST /` requests got HTTP 401 because no key of the server decrypted them. */
  readonly refused: number;
  /** How many TCP connections the server accepted (fewer than `hits` when connections are kept alive). */
  readonly connections: number;
  /**
   * Changes the server's key (or set of keys) at once, as a restart with a new `AUTHNZERVER_SECRET` would:
   * requests that arrive from now on are decrypted with it; requests already decrypted are answered with the key
   * that decrypted them. For tests of secret rotation.
   */
  setSecret(secret: string | readonly string[]): void;
  /**
   * Queues faults: each applies to one of the next requests, in order (`times` repeats it). A
   * `{ kind: 'reset', when: 'on-connect' }` fault waits in its own queue for the next new TCP connection instead.
   */
  fault(fault: Fault, times?: number): void;
  /**
   * How many queued faults are still waiting: not yet taken by a request, nor, for a
   * `{ kind: 'reset', when: 'on-connect' }` fault, by a new connection. A test that queues faults can end with
   * `expect(server.pendingFaults()).toBe(0)`, proving its calls met every fault it queued and that none is left
   * for the next test.
   */
  pendingFaults(): number;
  /** Drops every queued fault (`on-connect` resets included), so that the next request is answered normally. */
  clearFaults(): void;
  /**
   * Resolves once no request is being answered: every reply that was delayed, sent slowly or cut short has
   * finished, even when the client gave up on it. A `hang` counts as answered at once (it never replies). Await
   * it instead of sleeping when a test must see what such requests did on the server, e.g. in `received`.
   */
  idle(): Promise<void>;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}
