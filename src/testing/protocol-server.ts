import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Fernet, generateFernetKey } from '../crypto/fernet.js';
import type { NodeBuffer } from '../platform/node-types.js';
import type { Reqid } from '../core/result.js';
import { replyEnvelope, type ActionReply } from '../core/envelope.js';
import { decodeWire, encodeWire } from '../crypto/wire.js';
import { serveOnThisThread } from '../sync/same-thread.js';
import { checkFault, checkProtocolServerKeys } from './options.js';
import { truthy } from './py.js';

/** The plain-text bodies of the real server's error replies (Tornado's `write_error`). */
export const ERROR_BODIES: Readonly<Record<number, string>> = Object.freeze({
  400: 'HTTP 400: Could not service this request because of invalid request parameters.',
  401: 'HTTP 401: Could not service this request because of invalid request authentication token or violation of host restriction.',
  405: 'HTTP 405: Could not service this request.',
  429: 'HTTP 429: Could not service this request because the set rate limit has been exceeded.',
  500: 'HTTP 500: Could not service this request.',
});

/** Tornado's 404 page, which the real server sends for unknown paths and disallowed hosts. */
export const NOT_FOUND_HTML =
  '<html><title>404: Not Found</title><body>404: Not Found</body></html>';

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

export type { ActionReply } from '../core/envelope.js';

/** What a handler may answer instead of an action dict: an HTTP error status, as the server's `HTTPError`. */
export interface HttpErrorReply {
  readonly httpStatus: number;
}

export type HandlerResult = ActionReply | HttpErrorReply;

/** Answers one decrypted request. Throwing gives HTTP 400, as an exception inside an action does on the server. */
export type RequestHandler = (request: ReceivedRequest) => HandlerResult | Promise<HandlerResult>;

/**
 * A fault to inject into one reply.
 * - `delay`: wait before answering (slow headers);
 * - `slow-body`: send the headers, then the body in pieces, `ms` apart;
 * - `hang`: read the request and never answer;
 * - `reset`: destroy the connection, `before-body` as soon as the request line arrives, `after-body` once the
 *   whole request was read, `on-connect` as soon as the next new TCP connection is accepted, before the client can
 *   write anything (requests on connections that are already open are not affected);
 * - `truncate`: declare the full length, send half, close;
 * - `garbage`: a 200 whose body is random non-Fernet text (`body`), or bytes that are not HTTP at all (`http`);
 * - `html-404`: Tornado's 404 page, as for a wrong path or host;
 * - `wrong-key`: a valid reply encrypted under another key;
 * - `wrong-reqid`: a valid reply that echoes another request id;
 * - `oversize`: a 200 with a body of `bytes` bytes;
 * - `reply`: a 200 whose body is `envelope` (any JSON value) encrypted under the right key, as it is;
 * - `status`: any status with the real server's body for it (or `body`), and `headers`.
 */
export type Fault =
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'slow-body'; readonly ms: number; readonly pieces?: number | undefined }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset'; readonly when: 'before-body' | 'after-body' | 'on-connect' }
  | { readonly kind: 'truncate' }
  | { readonly kind: 'garbage'; readonly what: 'body' | 'http' }
  | { readonly kind: 'html-404' }
  | { readonly kind: 'wrong-key' }
  | { readonly kind: 'wrong-reqid' }
  | { readonly kind: 'oversize'; readonly bytes: number }
  | { readonly kind: 'reply'; readonly envelope: unknown }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body?: string | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    };

/** Options of {@link startProtocolServer}. */
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

const TEXT: Readonly<Record<string, string>> = {
  'content-type': 'text/plain; charset=UTF-8',
  server: 'TornadoServer/6.2',
};

function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  extra?: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, { ...TEXT, ...extra, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number): void {
  sendText(
    res,
    status,
    ERROR_BODIES[status] ?? `HTTP ${status}: Could not service this request.`,
    status === 429 ? { 'retry-after': '180' } : undefined,
  );
}

function isHttpError(result: HandlerResult): result is HttpErrorReply {
  return typeof (result as { httpStatus?: unknown }).httpStatus === 'number';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The real server's outer layer is Python's non-validating `b64decode`, which still insists on padding. */
function paddedBase64(body: string): boolean {
  const text = body.replace(/\s+$/, '');
  return text.length % 4 === 0;
}

/** `GET /health` as the real server answers it (JSON, not encrypted), for readiness checks. */
function sendHealth(res: ServerResponse): void {
  const body = JSON.stringify({
    'Expected-Workers': 1,
    Workers: { 'Authnzrv-Test-Worker': 'ok' },
    'Check-Time': 0,
    'Health-Ok': true,
  });
  sendText(res, 200, body, { 'content-type': 'application/json; charset=UTF-8' });
}

/** A server's keys, from one key or a list (the first is its own). */
function keySet(secret: string | readonly string[]): {
  readonly secrets: readonly string[];
  readonly fernets: readonly Fernet[];
} {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0) throw new TypeError('a protocol server needs at least one key');
  return { secrets, fernets: secrets.map((key) => new Fernet(key)) };
}

/** Decrypts a request body with the first key that can, or undefined when none can. */
function openWithAny(
  fernets: readonly Fernet[],
  body: string,
): { readonly envelope: unknown; readonly fernet: Fernet } | undefined {
  for (const fernet of fernets) {
    try {
      return { envelope: decodeWire(fernet, body), fernet };
    } catch {
      // not this key (or not a token at all)
    }
  }
  return undefined;
}

/** Wraps an action dict as the server's `send_response` does: the envelope module's `replyEnvelope`. */
export const wrapAction: typeof replyEnvelope = replyEnvelope;

const unknownType: RequestHandler = () => ({ httpStatus: 400 });

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that speaks authnzerver's protocol exactly: base64(Fernet)
 * both ways, the real status codes and bodies (401 for what it cannot decrypt, 400 for a missing
 * `client_ipaddr` or a body that is not an object, 404 for other paths and hosts, 405 for other methods, 500 for
 * an envelope without `request` or `reqid`), `GET /health`, and 200 replies wrapped as the server wraps them.
 * Every decrypted request goes to `options.handler`; `createTestServer` builds on it. It runs in the thread that
 * starts it, so a sync call (`client.sync`) from that thread to it is refused with a `ConfigError`: use
 * `startTestServerThread` for sync code.
 */
export function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  // A rejection, as every other failure to start.
  return Promise.resolve(options).then((given) => {
    checkProtocolServerKeys(given);
    return serveProtocol(given);
  });
}

/**
 * {@link startProtocolServer} with the rate-limiting step, for `createTestServer`.
 * @internal
 */
export async function serveProtocol(
  options: ProtocolServerOptions,
  admit?: AdmitHook,
  admitHealth?: HealthHook,
): Promise<ProtocolServer> {
  let keys: { readonly secrets: readonly string[]; readonly fernets: readonly Fernet[] } = keySet(
    options.secret ?? generateFernetKey(),
  );
  const otherFernet = new Fernet(generateFernetKey());
  const handler = options.handler ?? unknownType;
  const allowedHosts = new Set(options.allowedHosts ?? ['localhost', '127.0.0.1']);
  const received: ReceivedRequest[] = [];
  const faults: Fault[] = [];
  let connectResets = 0;
  const sockets = new Set<Socket>();
  let hits = 0;
  let keyRefusals = 0;
  let connections = 0;
  /** Requests being answered, and who waits for there to be none. */
  let answering = 0;
  let idleWaiters: (() => void)[] = [];

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    hits++;
    const fault = faults.shift();
    if (fault?.kind === 'reset' && fault.when === 'before-body') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const rawBody = await readBody(req);

    if (fault !== undefined) {
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return;
        case 'delay':
          await sleep(fault.ms);
          break;
        case 'html-404':
          sendText(res, 404, NOT_FOUND_HTML, { 'content-type': 'text/html; charset=UTF-8' });
          return;
        case 'status':
          sendText(
            res,
            fault.status,
            fault.body ?? ERROR_BODIES[fault.status] ?? `HTTP ${fault.status}`,
            {
              ...(fault.status === 429 ? { 'retry-after': '180' } : {}),
              ...fault.headers,
            },
          );
          return;
        case 'garbage':
          if (fault.what === 'http') {
            req.socket.end('\x00\x13garbage that is not HTTP\r\n\r\n');
            return;
          }
          sendText(res, 200, 'Z0FBQUFB%%%% not a fernet token %%%%');
          return;
        case 'oversize':
          sendText(res, 200, 'A'.repeat(fault.bytes));
          return;
        case 'reply':
          sendText(res, 200, encodeWire(keys.fernets[0] as Fernet, fault.envelope));
          return;
        default:
          break;
      }
    }

    if (!allowedHosts.has(host) || (url.pathname !== '/' && url.pathname !== '/health')) {
      sendText(res, 404, NOT_FOUND_HTML, { 'content-type': 'text/html; charset=UTF-8' });
      return;
    }
    if (url.pathname === '/health') {
      const refused = req.method === 'GET' ? admitHealth?.(req.socket.remoteAddress ?? '') : 405;
      if (refused === undefined) sendHealth(res);
      else sendError(res, refused);
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, 405);
      return;
    }
    const opened = paddedBase64(rawBody) ? openWithAny(keys.fernets, rawBody) : undefined;
    if (opened === undefined) {
      keyRefusals++;
      sendError(res, 401);
      return;
    }
    const { envelope, fernet } = opened;
    if (!truthy(envelope)) {
      sendError(res, 401);
      return;
    }
    // Python indexes the payload with "request": anything but a dict fails there, outside the action's try.
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      sendError(res, 500);
      return;
    }
    const env = envelope as Record<string, unknown>;
    received.push({
      type:
        typeof env.request === 'string'
          ? env.request
          : env.request === undefined
            ? ''
            : JSON.stringify(env.request),
      body: env.body,
      reqid: env.reqid as Reqid | undefined,
      clientIpaddr: env.client_ipaddr,
      envelope: env,
      headers: req.headers,
    });
    const request = received.at(-1) as ReceivedRequest;
    if (env.request === undefined) {
      sendError(res, 500);
      return;
    }
    if (env.request === 'echo') {
      sendError(res, 400);
      return;
    }
    const reqid = env.reqid;
    if (reqid === undefined || reqid === null) {
      sendError(res, 500);
      return;
    }
    if (!env.client_ipaddr) {
      sendError(res, 400);
      return;
    }
    const refused = admit?.(env);
    if (refused !== undefined) {
      sendError(res, refused);
      return;
    }
    if (typeof env.body !== 'object' || env.body === null || Array.isArray(env.body)) {
      sendError(res, 400);
      return;
    }

    let result: HandlerResult;
    try {
      result = await handler(request);
    } catch {
      sendError(res, 400);
      return;
    }
    if (isHttpError(result)) {
      sendError(res, result.httpStatus);
      return;
    }
    const replyReqid =
      fault?.kind === 'wrong-reqid' ? `${JSON.stringify(reqid)}-other` : (reqid as Reqid);
    const body = encodeWire(
      fault?.kind === 'wrong-key' ? otherFernet : fernet,
      replyEnvelope(result, replyReqid),
    );

    if (fault?.kind === 'slow-body' || fault?.kind === 'truncate') {
      res.writeHead(200, { ...TEXT, 'content-length': Buffer.byteLength(body) });
      if (fault.kind === 'truncate') {
        res.write(body.slice(0, Math.floor(body.length / 2)));
        await sleep(5);
        req.socket.destroy();
        return;
      }
      const pieces = fault.pieces ?? 4;
      const size = Math.ceil(body.length / pieces);
      for (let at = 0; at < body.length; at += size) {
        if (res.destroyed) return;
        res.write(body.slice(at, at + size));
        await sleep(fault.ms);
      }
      res.end();
      return;
    }
    sendText(res, 200, body);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    answering++;
    answer(req, res)
      .catch(() => {
        if (!res.headersSent) sendError(res, 500);
        else res.destroy();
      })
      .finally(() => {
        answering--;
        if (answering > 0) return;
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
      });
  };
  const tls = options.tls;
  const server: Server =
    tls === undefined
      ? createServer(onRequest)
      : createHttpsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            requestCert: tls.requestCert ?? false,
            rejectUnauthorized: tls.requestCert ?? false,
          },
          onRequest,
        );
  server.on('connection', (socket: Socket) => {
    connections++;
    if (connectResets > 0) {
      connectResets--;
      // Closed before the HTTP parser sees a byte: the request, if the client got to write it, is never read.
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // The sync API refuses to call a server of its own thread, which could not answer while it blocks.
  const release = serveOnThisThread('127.0.0.1', port);

  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
    get secret() {
      return keys.secrets[0] as string;
    },
    get secrets() {
      return keys.secrets;
    },
    port,
    received,
    get hits() {
      return hits;
    },
    get refused() {
      return keyRefusals;
    },
    get connections() {
      return connections;
    },
    setSecret(secret: string | readonly string[]) {
      keys = keySet(secret);
    },
    fault(fault: Fault, times = 1) {
      checkFault(fault);
      for (let i = 0; i < times; i++) {
        if (fault.kind === 'reset' && fault.when === 'on-connect') connectResets++;
        else faults.push(fault);
      }
    },
    pendingFaults() {
      return faults.length + connectResets;
    },
    clearFaults() {
      faults.length = 0;
      connectResets = 0;
    },
    idle() {
      if (answering === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    close() {
      release();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
