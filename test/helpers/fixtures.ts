import { readFileSync } from 'node:fs';

/** Reads a committed fixture from test/fixtures. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** One request and its answer, as the real server saw and sent them (test/fixtures/wire-exchanges.json). */
export interface WireExchange {
  label: string;
  /** Null where the request was encrypted under another secret (the server answered 401). */
  request_envelope: unknown;
  request_http_body: string;
  status_code: number;
  response_http_body: string;
  response_decrypted: unknown;
}

/** The real server's wire exchanges and the secret they were made under. */
export function wireExchanges(): { secret: string; exchanges: WireExchange[] } {
  return fixture('wire-exchanges.json');
}
