import { request } from 'node:http';
import { Fernet } from '../../src/crypto/fernet.js';
import { decodeWire, encodeWire } from '../../src/crypto/wire.js';
import { fixture } from '../helpers/fixtures.js';

/** One record of test/fixtures/transcripts.json. */
export interface Transcript {
  readonly seq: number;
  readonly label: string;
  readonly via: string;
  readonly request_type: string | null;
  readonly request_body: Record<string, unknown> | null;
  readonly status_code: number | null;
  /** What the Python client made of the reply (for GET /health, the JSON). */
  readonly response: unknown;
  readonly failure_reason: string | null;
  readonly headers: Record<string, string> | null;
  readonly raw_response: {
    readonly success: boolean;
    readonly response: Record<string, unknown>;
    readonly messages: string[];
    readonly reqid: string | number;
    readonly failure_reason?: string;
  } | null;
  readonly envelope: Record<string, unknown> | null;
  readonly raw_http_body: string | null;
  readonly retry_after: string | null;
}

export const records = fixture<Transcript[]>('transcripts.json');

/** The record with this sequence number. */
export function record(seq: number): Transcript {
  const found = records.find((r) => r.seq === seq);
  if (found === undefined) throw new Error(`no transcript record #${seq}`);
  return found;
}

/** What a raw HTTP exchange gave. */
export interface RawReply {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly text: string;
}

/** Sends a raw HTTP request to a test server with node:http (which, unlike fetch, lets a test set `Host`). */
export function rawHttp(
  url: string,
  init: { method?: string; path?: string; body?: string; host?: string } = {},
): Promise<RawReply> {
  const target = new URL(init.path ?? '/', url);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: init.method ?? 'POST',
        agent: false,
        headers: init.host === undefined ? {} : { host: init.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = new Map<string, string>();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Encrypts an envelope (any JSON value) as the wire format under `secret`. */
export function wire(secret: string, envelope: unknown): string {
  return encodeWire(new Fernet(secret), envelope);
}

/** Posts an envelope to a test server and decrypts a 200 reply. */
export async function post(
  url: string,
  secret: string,
  envelope: unknown,
): Promise<RawReply & { readonly envelope: Record<string, unknown> | undefined }> {
  const reply = await rawHttp(url, { body: wire(secret, envelope) });
  const decoded =
    reply.status === 200
      ? (decodeWire(new Fernet(secret), reply.text) as Record<string, unknown>)
      : undefined;
  return { ...reply, envelope: decoded };
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?/g;

/**
 * A reply with what differs between two servers for the same step taken out: tokens (43 url-safe characters),
 * UUIDs and datetimes become placeholders, and JSON strings (API keys) are parsed and normalized too. Keys,
 * types, ids, names, roles, flags and messages stay, so two normalized replies are equal only when they have the
 * same shape and the same values where the values are not random or time-dependent.
 */
export function normalize(value: unknown): unknown {
  if (typeof value === 'string') {
    if (TOKEN.test(value)) return '<token>';
    if (UUID.test(value)) return '<uuid>';
    if (value.startsWith('{')) {
      try {
        return { json: normalize(JSON.parse(value)) };
      } catch {
        // not JSON: a plain string
      }
    }
    return value.replace(DATETIME, '<datetime>');
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalize(item)]));
  return value;
}

/** The key order of every object in a value, to hold key order against the real replies. */
export function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([key, item]) => [key, keyOrder(item)]);
  return null;
}

/**
 * Maps the real server's random values (session tokens, API key tokens, refresh tokens) onto the ones the test
 * server made at the same place in the same reply, so that later request bodies can be rewritten.
 */
export class TokenMap {
  private readonly map = new Map<string, string>();

  /** Learns the pairs from a real reply and ours for the same step. */
  learn(real: unknown, ours: unknown): void {
    if (typeof real === 'string' && typeof ours === 'string') {
      if (TOKEN.test(real) && TOKEN.test(ours)) this.map.set(real, ours);
      else if (real.startsWith('{') && ours.startsWith('{')) {
        try {
          this.learn(JSON.parse(real), JSON.parse(ours));
        } catch {
          // not JSON
        }
      }
    } else if (Array.isArray(real) && Array.isArray(ours)) {
      real.forEach((item, index) => {
        this.learn(item, ours[index]);
      });
    } else if (
      typeof real === 'object' &&
      real !== null &&
      typeof ours === 'object' &&
      ours !== null
    ) {
      for (const [key, item] of Object.entries(real))
        this.learn(item, (ours as Record<string, unknown>)[key]);
    }
  }

  /** A request body with every known real token replaced by ours (inside API key dicts too). */
  rewrite<T>(value: T): T {
    if (typeof value === 'string') return (this.map.get(value) ?? value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.rewrite(item)) as T;
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.rewrite(item)]),
      ) as T;
    return value;
  }
}

/** The action dict without success, messages and failure_reason, as the Python client cleans it. */
export function clean(action: Record<string, unknown>): Record<string, unknown> {
  const { success: _s, messages: _m, failure_reason: _f, ...rest } = action;
  return rest;
}
