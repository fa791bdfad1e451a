/**
 * The known keys of the test kit's options and of its faults, for the one check of option keys
 * (`../options.ts`): `createTestServer`'s and the option objects nested in them, `startProtocolServer`'s,
 * `new InMemoryAuthnzerver`'s, `createRecorder`'s, and each kind of {@link Fault}. Each registry is typed by its
 * interface, so that one cannot drift from the other. A misspelt key or fault kind is a `ConfigError` naming it,
 * with the nearest known one.
 */
import { ConfigError } from '../core/errors.js';
import {
  checkKeys,
  closest,
  isOptionObject,
  optionShape,
  orFalse,
  type KeyRegistry,
  type OptionShape,
} from '../core/options.js';
import type { InMemoryAuthnzerverOptions } from './authnzerver.js';
import type { Fault, ProtocolServerOptions } from './protocol-server.js';
import type { RateLimitOptions } from './ratelimit.js';
import type { RecorderOptions } from './recorder.js';
import type { CreateTestServerOptions, LoginBackoffOptions } from './test-server.js';

const TLS = optionShape<NonNullable<ProtocolServerOptions['tls']>>({
  cert: true,
  key: true,
  ca: true,
  requestCert: true,
});

const PROTOCOL_SERVER = optionShape<ProtocolServerOptions>(
  { secret: true, port: true, handler: true, allowedHosts: true, tls: true },
  { tls: TLS },
);

const ADMIN = optionShape<NonNullable<InMemoryAuthnzerverOptions['admin']>>({
  email: true,
  password: true,
});

const IN_MEMORY = optionShape<InMemoryAuthnzerverOptions>(
  { admin: true, serverName: true, now: true },
  { admin: ADMIN },
);

/** `types` is a map of request types to limits, not an option object: its keys are not checked. */
const RATE_LIMITS = optionShape<RateLimitOptions>({
  ipaddr: true,
  user: true,
  session: true,
  apikey: true,
  burst: true,
  types: true,
});

const LOGIN_BACKOFF = optionShape<LoginBackoffOptions>({
  scale: true,
  lockAfter: true,
  lockSeconds: true,
});

/** `createTestServer`'s options, `specs` (of a custom catalogue) included; `handlers` by the catalogue's methods. */
const TEST_SERVER = optionShape<CreateTestServerOptions & { readonly specs?: unknown }>(
  {
    secret: true,
    port: true,
    handlers: true,
    authnzerver: true,
    rateLimits: true,
    loginBackoff: true,
    now: true,
    allowedHosts: true,
    tls: true,
    specs: true,
  },
  {
    authnzerver: orFalse(IN_MEMORY),
    rateLimits: orFalse(RATE_LIMITS),
    loginBackoff: orFalse(LOGIN_BACKOFF),
    tls: TLS,
  },
);

const RECORDER = optionShape<RecorderOptions>({ label: true, via: true, max: true });

/**
 * Refuses `createTestServer` options with a key it does not know, nested ones included; a handler's key must be a
 * method of the catalogue (`methods`).
 * @throws {ConfigError} e.g. `createTestServer: unknown option \`loginBackoff.scal\`; did you mean \`loginBackoff.scale\`?`
 */
export function checkTestServerKeys(options: unknown, methods: readonly string[]): void {
  const handlers = { shape: { keys: methods, nested: new Map() }, orFalse: false };
  const shape: OptionShape = {
    keys: TEST_SERVER.keys,
    nested: new Map([...TEST_SERVER.nested, ['handlers', handlers]]),
  };
  checkKeys(options, shape, 'createTestServer');
}

/** Refuses `startProtocolServer` options with a key it does not know. */
export function checkProtocolServerKeys(options: unknown): void {
  checkKeys(options, PROTOCOL_SERVER, 'startProtocolServer');
}

/** Refuses `new InMemoryAuthnzerver` options with a key it does not know. */
export function checkInMemoryKeys(options: unknown): void {
  checkKeys(options, IN_MEMORY, 'new InMemoryAuthnzerver');
}

/** Refuses `createRecorder` options with a key it does not know. */
export function checkRecorderKeys(options: unknown): void {
  checkKeys(options, RECORDER, 'createRecorder');
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
