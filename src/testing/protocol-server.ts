/**
 * The bare protocol server of the test kit, `startProtocolServer`: a real HTTP server on loopback that speaks
 * authnzerver's protocol exactly. Its parts: the HTTP replies Tornado writes (`protocol/http.ts`, texts in
 * `protocol/replies.ts`), the server's ordered checks (`protocol/checks.ts`), fault injection (`protocol/faults.ts`,
 * the kinds in `protocol/fault-kinds.ts`) and its types (`protocol/types.ts`); here, the server that runs them for
 * each request and what a test reads of it. `createTestServer` builds on it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { replyEnvelope } from '../core/envelope.js';
import { encodeWire } from '../crypto/wire.js';
import { Fernet, generateFernetKey } from '../crypto/fernet.js';
import type { Reqid } from '../core/result.js';
import { serveOnThisThread } from '../sync/same-thread.js';
import { checkKeys, optionShape } from '../core/options.js';
import { asEnvelope, checkBody, checkEnvelope, routeOf, ServerKeys } from './protocol/checks.js';
import type { Fault } from './protocol/fault-kinds.js';
import { answerByFault, FaultQueue, sendReply } from './protocol/faults.js';
import { readBody, sendError, sendHealth, sendNotFound } from './protocol/http.js';
import { databaseErrorReply, isHttpError } from './protocol/replies.js';

export { ERROR_BODIES, NOT_FOUND_HTML, type HttpErrorReply } from './protocol/replies.js';
export type { Fault } from './protocol/fault-kinds.js';

export type {
  ActionReply,
  AdmitHook,
  HandlerResult,
  HealthHook,
  ProtocolServer,
  ProtocolServerOptions,
  ReceivedRequest,
  RequestHandler,
} from './protocol/types.js';
import type {
  AdmitHook,
  HandlerResult,
  HealthHook,
  ProtocolServer,
  ProtocolServerOptions,
  ReceivedRequest,
  RequestHandler,
} from './protocol/types.js';

/** The known keys of `tls` (here and in `createTestServer`): another key is a `ConfigError`. */
export const TLS = optionShape<NonNullable<ProtocolServerOptions['tls']>>({
  cert: true,
  key: true,
  ca: true,
  requestCert: true,
});

const PROTOCOL_SERVER = optionShape<ProtocolServerOptions>(
  { secret: true, port: true, handler: true, allowedHosts: true, tls: true },
  { tls: TLS },
);

/** Refuses `startProtocolServer` options with a key it does not know. */
function checkProtocolServerKeys(options: unknown): void {
  checkKeys(options, PROTOCOL_SERVER, 'startProtocolServer');
}

/** Wraps an action dict as the server's `send_response` does: the envelope module's `replyEnvelope`. */
export const wrapAction: typeof replyEnvelope = replyEnvelope;

const unknownType: RequestHandler = () => ({ httpStatus: 400 });

/** The record of a decrypted envelope, as `received` keeps it. */
function recordOf(env: Record<string, unknown>, req: IncomingMessage): ReceivedRequest {
  return {
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
  };
}

/** A request that passed the server's checks: its record, and the key that decrypted it. */
interface Admitted {
  readonly request: ReceivedRequest;
  readonly fernet: Fernet;
  readonly reqid: Reqid;
}

/** The server: its keys, what it received, its faults and counters; one `answer` per request. */
class ProtocolHttpServer {
  keys: ServerKeys;
  readonly received: ReceivedRequest[] = [];
  readonly faults = new FaultQueue();
  hits = 0;
  keyRefusals = 0;
  connections = 0;
  readonly #other = new Fernet(generateFernetKey());
  readonly #handler: RequestHandler;
  readonly #allowedHosts: ReadonlySet<string>;
  readonly #admit: AdmitHook | undefined;
  readonly #admitHealth: HealthHook | undefined;
  /** Requests being answered, and who waits for there to be none. */
  #answering = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: ProtocolServerOptions, admit?: AdmitHook, admitHealth?: HealthHook) {
    this.keys = new ServerKeys(options.secret ?? generateFernetKey());
    this.#handler = options.handler ?? unknownType;
    this.#allowedHosts = new Set(options.allowedHosts ?? ['localhost', '127.0.0.1']);
    this.#admit = admit;
    this.#admitHealth = admitHealth;
  }

  /** Answers one request (never rejects): a failure of our own is a 500, or a dropped connection. */
  readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#answering++;
    this.#answer(req, res)
      .catch(() => {
        if (!res.headersSent) sendError(res, 500);
        else res.destroy();
      })
      .finally(() => {
        this.#answering--;
        if (this.#answering > 0) return;
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const wake of waiters) wake();
      });
  };

  /** Resolves once no request is being answered. */
  idle(): Promise<void> {
    if (this.#answering === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.hits++;
    const fault = this.faults.next();
    if (fault?.kind === 'reset' && fault.when === 'before-body') {
      req.socket.destroy();
      return;
    }
    const route = routeOf(req, this.#allowedHosts);
    const rawBody = await readBody(req);
    const seal = (envelope: unknown): string => encodeWire(this.keys.first, envelope);
    if (fault !== undefined && (await answerByFault(fault, req, res, seal))) return;
    if (route === 'not-found') sendNotFound(res);
    else if (route === 'health') this.#health(req, res);
    else if (req.method !== 'POST') sendError(res, 405);
    else {
      const admitted = this.#check(req, rawBody);
      if (typeof admitted === 'number') sendError(res, admitted);
      else await this.#reply(admitted, fault, req, res);
    }
  }

  /** `GET /health`, behind the rate limiter's check. */
  #health(req: IncomingMessage, res: ServerResponse): void {
    const refused =
      req.method === 'GET' ? this.#admitHealth?.(req.socket.remoteAddress ?? '') : 405;
    if (refused === undefined) sendHealth(res);
    else sendError(res, refused);
  }

  /** The server's checks of a `POST /`: what passed them, or the status to answer with. */
  #check(req: IncomingMessage, rawBody: string): Admitted | number {
    const opened = this.keys.open(rawBody);
    if (opened === undefined) {
      this.keyRefusals++;
      return 401;
    }
    const env = asEnvelope(opened.envelope);
    if (typeof env === 'number') return env;
    const request = recordOf(env, req);
    this.received.push(request);
    const status = checkEnvelope(env) ?? this.#admit?.(env) ?? checkBody(env);
    if (status !== undefined) return status;
    return { request, fernet: opened.fernet, reqid: env.reqid as Reqid };
  }

  /** Runs the handler and sends its reply, sealed with the request's key (or as the fault says). */
  async #reply(
    admitted: Admitted,
    fault: Fault | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    let result: HandlerResult;
    try {
      // A database that is down: the request reaches the server, which runs nothing.
      result =
        fault?.kind === 'database-error'
          ? databaseErrorReply(admitted.request.type)
          : await this.#handler(admitted.request);
    } catch {
      sendError(res, 400);
      return;
    }
    if (isHttpError(result)) {
      sendError(res, result.httpStatus);
      return;
    }
    const reqid =
      fault?.kind === 'wrong-reqid' ? `${JSON.stringify(admitted.reqid)}-other` : admitted.reqid;
    const key = fault?.kind === 'wrong-key' ? this.#other : admitted.fernet;
    await sendReply(fault, req, res, encodeWire(key, replyEnvelope(result, reqid)));
  }
}

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

/** The HTTP or HTTPS server that hands each request to `onRequest`. */
function httpServer(
  tls: ProtocolServerOptions['tls'],
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  if (tls === undefined) return createServer(onRequest);
  return createHttpsServer(
    {
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      requestCert: tls.requestCert ?? false,
      rejectUnauthorized: tls.requestCert ?? false,
    },
    onRequest,
  );
}

/** Listens on 127.0.0.1, at `port` or a free one; the port. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
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
  const state = new ProtocolHttpServer(options, admit, admitHealth);
  const sockets = new Set<Socket>();
  const server = httpServer(options.tls, state.onRequest);
  server.on('connection', (socket: Socket) => {
    state.connections++;
    // Closed before the HTTP parser sees a byte: the request, if the client got to write it, is never read.
    if (state.faults.takeConnectReset()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, options.port ?? 0);
  // The sync API refuses to call a server of its own thread, which could not answer while it blocks.
  const release = serveOnThisThread('127.0.0.1', port);
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
    get secret() {
      return state.keys.secrets[0] as string;
    },
    get secrets() {
      return state.keys.secrets;
    },
    port,
    received: state.received,
    get hits() {
      return state.hits;
    },
    get refused() {
      return state.keyRefusals;
    },
    get connections() {
      return state.connections;
    },
    setSecret(secret: string | readonly string[]) {
      state.keys = new ServerKeys(secret);
    },
    fault(fault: Fault, times = 1) {
      state.faults.add(fault, times);
    },
    pendingFaults: () => state.faults.pending,
    clearFaults() {
      state.faults.clear();
    },
    idle: () => state.idle(),
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
