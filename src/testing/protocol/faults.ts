/**
 * Fault injection for the protocol server: the queue (one fault a request, and the connection resets that wait for
 * the next new connection), and what each fault does to a request's answer: before the body is read, in place of
 * the server's answer, or in how the reply is sent. The faults themselves are listed in `fault-kinds.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkFault, type Fault } from './fault-kinds.js';
import { sendNotFound, sendText } from './http.js';
import { ERROR_BODIES, sleep, TEXT } from './replies.js';

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
