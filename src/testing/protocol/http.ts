/**
 * The HTTP side of the protocol server, as the real server's Tornado writes it: the plain-text error bodies and
 * headers, the 404 page, `GET /health`, reading a request's body, and the two small helpers the test kit's servers
 * share (`isHttpError`, `sleep`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** The headers of every plain-text reply. */
export const TEXT: Readonly<Record<string, string>> = {
  'content-type': 'text/plain; charset=UTF-8',
  server: 'TornadoServer/6.2',
};

/** What a handler may answer instead of an action dict: an HTTP error status, as the server's `HTTPError`. */
export interface HttpErrorReply {
  readonly httpStatus: number;
}

/** Whether a handler answered with an HTTP error instead of an action dict. */
export function isHttpError(result: unknown): result is HttpErrorReply {
  return typeof (result as { httpStatus?: unknown } | null)?.httpStatus === 'number';
}

/** Waits `ms` milliseconds (not at all for 0 or less). */
export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

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
