/**
 * The `user-passcheck` request the http, fernet and sync sections send, the secret they share with the server that
 * answers it (bench/server.ts), and the npm `fernet` package they measure ours against.
 */
import { createRequire } from 'node:module';
import { Fernet, generateFernetKey } from 'authnzerver';
import { BENCH_IP } from './lib.js';

/** The npm `fernet` package (CommonJS, untyped): the peer our Fernet is measured against. */
export const npmFernet = createRequire(import.meta.url)('fernet') as {
  Secret: new (key: string) => unknown;
  Token: new (options: { secret: unknown; ttl?: number }) => {
    encode(m: string): string;
    decode(t: string): string;
  };
};

/** The run's Fernet key, new each run. */
export const secret = generateFernetKey();

/** Our Fernet with {@link secret}. */
export const fernet = new Fernet(secret);

/** The body of every `user-passcheck` call. */
export const BODY = {
  session_token: 'sessiontoken0123456789abcdefghijklmnopqrstuvw',
  password: 'correct horse battery',
  client_ipaddr: BENCH_IP,
};

/** The `user-passcheck` envelope with `reqid`, as the client sends it before encryption. */
export function envelope(reqid: string): unknown {
  return { request: 'user-passcheck', body: BODY, reqid, client_ipaddr: BENCH_IP };
}
