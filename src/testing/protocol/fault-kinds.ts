/**
 * The faults a test can queue on the protocol server, and the check that refuses a misspelt one. Nothing here
 * imports Node.js types: the test kit's public declarations name `Fault` and must compile without `@types/node`.
 */
import { ConfigError } from '../../core/errors.js';
import {
  checkKeys,
  closest,
  isOptionObject,
  optionShape,
  type KeyRegistry,
} from '../../core/options.js';

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
 * - `database-error`: the server's reply when its database is unreachable (a PostgreSQL restart): `success`
 *   false with a `failure_reason` that starts `DB error`, and nothing done;
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
  | { readonly kind: 'database-error' }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body?: string | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    };

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
  'database-error': { kind: true },
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
