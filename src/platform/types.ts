/**
 * The seam between the portable core and the runtime it runs on. Every runtime has one module that exports a
 * {@link Platform} as `platform`, chosen when the package is resolved, not by sniffing at run time: the package's
 * `imports` map sends `#platform` to `bun.ts`, `deno.ts`, `workerd.ts`, `edge-light.ts`, `node.ts` or, anywhere
 * else, `web.ts`, by the resolver's conditions. The core imports nothing from `node:` or undici itself; what needs
 * them (node:crypto's Fernet, undici, TLS files, the sync API's worker) is reached through here.
 */
import type {
  Cipher,
  FernetDecryptOptions,
  FernetEncryptOptions,
} from '../crypto/fernet-format.js';
import type { NodeBuffer } from './node-types.js';
import type { SendRequest, Sent } from '../core/steps.js';
import type { SchemaCompiler } from '../core/validate.js';
import type { FetchLike } from '../transport/fetch.js';
import type { TlsFiles, TransportPlan, TransportSettings } from '../transport/plan.js';
import type { Transport } from '../transport/types.js';
import type { UndiciTransportOptions } from '../transport/undici.js';

/** The runtimes that have a platform module of their own. `web` is any other (the `default` condition). */
export type RuntimeName = 'node' | 'bun' | 'deno' | 'workerd' | 'edge-light' | 'web';

/** The synchronous Fernet behind the public `Fernet` class (node:crypto). */
export interface SyncFernet {
  encrypt(data: string | Uint8Array, options?: FernetEncryptOptions): string;
  decrypt(token: string | Uint8Array, options?: FernetDecryptOptions): NodeBuffer;
}

/** Where a runtime has node:crypto: the engine of the public `Fernet` class and of `parseFernetKey`. */
export interface SyncFernetEngine {
  /** The Fernet of a key's 32 raw bytes. */
  create(raw: Uint8Array): SyncFernet;
  /** The key's halves as node:crypto `KeyObject`s. */
  keyParts(raw: Uint8Array): { readonly signingKey: unknown; readonly encryptionKey: unknown };
}

/** What a runtime that can present a TLS client certificate (or trust another CA) does with the files. */
export interface TlsSupport {
  /** Reads one PEM file at construction. Throws the runtime's error (with a `code`) when it cannot. */
  readFile(path: string): Uint8Array;
  /**
   * Checks the files the way the handshake will use them, so that a file that is not PEM, or a key that does
   * not belong to its certificate, is a `ConfigError` at construction instead of a failure on every call.
   */
  check(files: TlsFiles): void;
}

/** A built transport, and how to build it again in another thread (data only). */
export interface BuiltTransport {
  readonly transport: Transport;
  readonly plan: TransportPlan;
}

/** The sync API's link to its worker: a blocking send and a blocking pause. */
export interface SyncSender {
  send(request: SendRequest): Sent;
  sleep(ms: number): boolean;
  close(): Promise<void>;
}

/** A TracingChannel as `tracing.ts` uses it (Node's `diagnostics_channel`, or one nobody can subscribe to). */
export interface CallChannel<T extends object> {
  readonly hasSubscribers: boolean;
  readonly start: ChannelPart<T>;
  readonly end: ChannelPart<T>;
  readonly asyncStart: ChannelPart<T>;
  readonly asyncEnd: ChannelPart<T>;
  readonly error: ChannelPart<T>;
}

/** One of a TracingChannel's channels. */
export interface ChannelPart<T extends object> {
  publish(message: T): void;
  runStores<R>(message: T, run: () => R): R;
}

/** One runtime's implementation of everything the core cannot write portably. */
export interface Platform {
  /** Which platform module this is. */
  readonly runtime: RuntimeName;
  /** The runtime's name as errors say it, e.g. `Cloudflare Workers (workerd)`. */
  readonly label: string;
  /** The cipher the client seals and opens with, under a key's 32 raw bytes. */
  cipher(raw: Uint8Array): Cipher;
  /** node:crypto's Fernet for the public `Fernet` class; undefined where the runtime has only WebCrypto. */
  readonly syncFernet: SyncFernetEngine | undefined;
  /** The SHA-256 of some bytes, in hex, synchronously; undefined where only WebCrypto's (asynchronous) exists. */
  readonly sha256Hex: ((data: Uint8Array) => string) | undefined;
  /** Where `AUTHNZERVER_*` variables are read from when the options give no `env`. */
  env(): Readonly<Record<string, string | undefined>>;
  /**
   * Builds the transport the options ask for, or the runtime's default one when `kind` is undefined (`fetch`:
   * a custom `fetch` for the fetch transport).
   * @throws {ConfigError} when this runtime does not have it, or cannot use the TLS files with it.
   */
  transport(
    kind: 'undici' | 'fetch' | undefined,
    settings: TransportSettings,
    fetch: FetchLike | undefined,
  ): BuiltTransport;
  /** undici's transport, where the runtime has undici. */
  readonly undici: ((options: UndiciTransportOptions) => Transport) | undefined;
  /** TLS client certificates and CA files; undefined where the runtime's HTTP stack cannot take them. */
  readonly tls: TlsSupport | undefined;
  /**
   * The sync API's worker link, for a transport built from `plan` (it throws `ConfigError` for a custom
   * transport); undefined where there is no sync API: every runtime but Node.
   */
  readonly syncSender: ((plan: TransportPlan) => SyncSender) | undefined;
  /** The TracingChannel every call is published on. */
  tracingChannel<T extends object>(name: string): CallChannel<T>;
  /**
   * zod's `compile`, for the schemas checked often (`validate.ts`), where the runtime allows `new Function`
   * (Node, Bun, Deno); absent where it does not (workerd, edge), where it would only weigh on the bundle.
   */
  readonly compileSchema?: SchemaCompiler;
}
