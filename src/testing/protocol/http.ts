/**
 * The HTTP side of the protocol server, as the real server's Tornado writes it: sending the error replies, the 404
 * page and `GET /health`, and reading a request's body. The texts themselves are in `replies.ts`, which needs no
 * Node.js types (the published declarations of the test kit must compile without `@types/node`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_BODIES, NOT_FOUND_HTML, TEXT } from './replies.js';

/** Sends a plain-text reply. */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  extra?: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, { ...TEXT, ...extra, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Sends the real server's error reply for a status (with `Retry-After: 180` on 429). */
export function sendError(res: ServerResponse, status: number): void {
  sendText(
    res,
    status,
    ERROR_BODIES[status] ?? `HTTP ${status}: Could not service this request.`,
    status === 429 ? { 'retry-after': '180' } : undefined,
  );
}

/** Sends Tornado's 404 page. */
export function sendNotFound(res: ServerResponse): void {
  sendText(res, 404, NOT_FOUND_HTML, { 'content-type': 'text/html; charset=UTF-8' });
}

/** `GET /health` as the real server answers it (JSON, not encrypted), for readiness checks. */
export function sendHealth(res: ServerResponse): void {
  const body = JSON.stringify({
    'Expected-Workers': 1,
    Workers: { 'Authnzrv-Test-Worker': 'ok' },
    'Check-Time': 0,
    'Health-Ok': true,
  });
  sendText(res, 200, body, { 'content-type': 'application/json; charset=UTF-8' });
}

/** Reads a request's whole body, as Latin-1 text (the protocol's body is ASCII). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    req.on('error', reject);
  });
}
