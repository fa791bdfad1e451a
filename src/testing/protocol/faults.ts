/**
 * Fault injection for the protocol server: the faults a test can queue, the queue (one fault a request, and the
 * connection resets that wait for the next new connection), and what each fault does to a request's answer:
 * before the body is read, in place of the server's answer, or in how the reply is sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../../errors.js';
import {
  checkKeys,
  closest,
  isOptionObject,
  optionShape,
  type KeyRegistry,
} from '../../options.js';
import { ERROR_BODIES, sendNotFound, sendText, sleep, TEXT } from './http.js';

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

/** The faults queued for the next requests, and the resets queued for the next new connections. */
export class FaultQueue {
  readonly #faults: Fault[] = [];
  #connectResets = 0;

  /** Queues a fault `times` times (checked first: an unknown kind or key throws, nothing queued). */
  add(fault: Fault, times = 1): void {
    checkFault(fault);
    for (let i = 0; i < times; i++) {
      if (fault.kind === 'reset' && fault.when === 'on-connect') this.#connectResets++;
      else this.#faults.push(fault);
    }
  }

  /** The fault for the request that just arrived, if any. */
  next(): Fault | undefined {
    return this.#faults.shift();
  }

  /** Whether the connection just accepted is to be reset (and takes that reset). */
  takeConnectReset(): boolean {
    if (this.#connectResets === 0) return false;
    this.#connectResets--;
    return true;
  }

  get pending(): number {
    return this.#faults.length + this.#connectResets;
  }

  clear(): void {
    this.#faults.length = 0;
    this.#connectResets = 0;
  }
}

/**
 * Applies a fault that takes the place of the server's answer, once the body is read. True when the request is
 * answered (or dropped) by it; false when the server answers it as usual (a `delay` waits first).
 */
export async function answerByFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  seal: (envelope: unknown) => string,
): Promise<boolean> {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return true;
    case 'hang':
      return true;
    case 'delay':
      await sleep(fault.ms);
      return false;
    case 'html-404':
      sendNotFound(res);
      return true;
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
      return true;
    case 'garbage':
      if (fault.what === 'http') req.socket.end('\x00\x13garbage that is not HTTP\r\n\r\n');
      else sendText(res, 200, 'Z0FBQUFB%%%% not a fernet token %%%%');
      return true;
    case 'oversize':
      sendText(res, 200, 'A'.repeat(fault.bytes));
      return true;
    case 'reply':
      sendText(res, 200, seal(fault.envelope));
      return true;
    default:
      return false;
  }
}

/** Sends a 200 reply's body: at once, or in slow pieces, or cut short, as the fault says. */
export async function sendReply(
  fault: Fault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): Promise<void> {
  if (fault?.kind !== 'slow-body' && fault?.kind !== 'truncate') {
    sendText(res, 200, body);
    return;
  }
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
}

type FaultKind = Fault['kind'];

/** Each kind of fault, and the keys a fault of that kind has. */
const FAULTS: { readonly [K in FaultKind]: KeyRegistry<Extract<Fault, { kind: K }>> } = {
  delay: { kind: true, ms: true },
  'slow-body': { kind: true, ms: true, pieces: true },
  hang: { kind: true },
  reset: { kind: true, when: true },
  truncate: { kind: true },
  garbage: { kind: true, what: true },
  'html-404': { kind: true },
  'wrong-key': { kind: true },
  'wrong-reqid': { kind: true },
  oversize: { kind: true, bytes: true },
  reply: { kind: true, envelope: true },
  status: { kind: true, status: true, body: true, headers: true },
};

const FAULT_KINDS = Object.keys(FAULTS);

/**
 * Refuses a fault of a kind the server does not know, or with a key a fault of its kind does not have, before it
 * is queued (a misspelt fault would otherwise be ignored, and the test would pass without its fault).
 * @throws {ConfigError} e.g. `server.fault: unknown fault kind \`dealy\`; did you mean \`delay\`? The kinds are ...`
 */
export function checkFault(fault: unknown): void {
  const kinds = `the kinds are ${FAULT_KINDS.join(', ')}`;
  if (!isOptionObject(fault)) {
    throw new ConfigError(`server.fault: a fault must be an object with a \`kind\`; ${kinds}`, {
      option: 'kind',
    });
  }
  const kind = fault.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(FAULTS, kind)) {
    const guess = typeof kind === 'string' ? closest(kind, FAULT_KINDS) : undefined;
    const what =
      typeof kind === 'string'
        ? `unknown fault kind \`${kind.length > 64 ? `${kind.slice(0, 63)}…` : kind}\``
        : 'a fault needs a `kind`';
    throw new ConfigError(
      `server.fault: ${what}${guess === undefined ? '' : `; did you mean \`${guess}\`?`} (${kinds})`,
      { option: 'kind' },
    );
  }
  const keys = FAULTS[kind as FaultKind] as Readonly<Record<string, true>>;
  checkKeys(fault, optionShape<Record<string, unknown>>(keys), `server.fault({ kind: '${kind}' })`);
}
