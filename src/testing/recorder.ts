import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AfterResponseEvent, BeforeRequestEvent, Hooks } from '../observe/hooks.js';
import { redact } from '../core/redact.js';
import { checkKeys, optionShape } from '../core/options.js';

/**
 * Records the replies an app really gets, through the client's hooks, in the format of the project's transcripts
 * (test/fixtures/transcripts.json), for `authnzerver-codegen infer` and `drift --transcripts`
 * (docs/catalogue-drift.md). Hooks see redacted envelopes only (the catalogue's secret fields and secret-named keys
 * are `[redacted]`); the recorder redacts secret-named keys once more, so nothing secret reaches the file. It is
 * Node-only (it writes files), so it lives in `authnzerver/testing`, not in the portable runtime.
 */

/** The reply envelope as the client decrypted it, secrets redacted. */
export interface RecordedEnvelope {
  readonly success: boolean;
  /** The action dict: the reply's keys, with `success`, `messages` and, on failure, usually `failure_reason`. */
  readonly response: Readonly<Record<string, unknown>>;
  readonly messages: readonly string[];
  readonly reqid: string | number;
  readonly failure_reason?: string | null;
}

/**
 * One recorded attempt, as test/fixtures/transcripts.json has it. What hooks cannot see is null: `headers`,
 * `raw_http_body`, `retry_after`.
 */
export interface TranscriptRecord {
  /** 1, 2, … in recording order. */
  readonly seq: number;
  /** What the call was, for people. */
  readonly label: string;
  /** What made the call. */
  readonly via: string;
  readonly request_type: string | null;
  /** The body sent, with `client_ipaddr` (secrets redacted). */
  readonly request_body: Readonly<Record<string, unknown>> | null;
  /** The Python client's tuple: success, the reply without success, messages and failure_reason, … */
  readonly success: boolean | null;
  readonly response: Readonly<Record<string, unknown>> | null;
  readonly messages: readonly string[] | null;
  readonly status_code: number | null;
  readonly failure_reason: string | null;
  readonly headers: Readonly<Record<string, string>> | null;
  /** The decrypted reply envelope, or null when the reply was not one (an HTTP error). */
  readonly raw_response: RecordedEnvelope | null;
  /** The request envelope without its body: `{ request, reqid, client_ipaddr }`. */
  readonly envelope: Readonly<Record<string, unknown>> | null;
  readonly raw_http_body: string | null;
  readonly retry_after: string | number | null;
  readonly elapsed_s: number | null;
  /** Anything else worth knowing (the recorder notes the failure kind of a reply that was not an envelope). */
  readonly note?: string;
}

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** The label of each record. @default `<type> <success|failure kind>` */
  readonly label?: ((event: AfterResponseEvent) => string) | undefined;
  /** The `via` of each record. @default 'authnzerver (TypeScript) client, recorded by createRecorder' */
  readonly via?: string | undefined;
  /** At most this many records are kept; later ones are counted in `dropped`. @default 10000 */
  readonly max?: number | undefined;
}

/** What {@link createRecorder} returns. */
export interface Recorder {
  /** Give these to the client (`new Authnzerver({ hooks: recorder.hooks })`), or call them from your own hooks. */
  readonly hooks: Required<Pick<Hooks, 'beforeRequest' | 'afterResponse'>>;
  /** The records so far, in order. */
  entries(): readonly TranscriptRecord[];
  /** How many attempts were not kept because `max` was reached. */
  readonly dropped: number;
  /** The records, for `JSON.stringify`. */
  toJSON(): TranscriptRecord[];
  /** Writes the records to `path` as JSON (creating its folder), for `authnzerver-codegen infer --transcripts`. */
  save(path: string): Promise<void>;
  /** Forgets every record. */
  clear(): void;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The keys of an action dict that the tuple and the envelope carry apart. */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['success', 'messages', 'failure_reason']);

/**
 * An action dict as the Python client's tuple and the generated reply schemas see it: without `success`,
 * `messages` and `failure_reason`.
 */
export function replyKeys(action: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(action).filter(([name]) => !ENVELOPE_KEYS.has(name)));
}

/** Requests whose reply has not come yet are forgotten after this many (an attempt that got no HTTP reply). */
const PENDING_LIMIT = 1000;

/**
 * A recorder of the replies a client gets: every attempt that got an HTTP reply becomes one record, with the
 * request body and the decrypted reply, secrets redacted.
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * import { createRecorder } from 'authnzerver/testing';
 *
 * const recorder = createRecorder();
 * const client = new Authnzerver({ hooks: recorder.hooks });
 * // ... run the app against a real server (staging) ...
 * await recorder.save('recorded.json'); // then: npx authnzerver-codegen infer --transcripts recorded.json
 */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  checkRecorderKeys(options);
  const max = options.max ?? 10_000;
  const via = options.via ?? 'authnzerver (TypeScript) client, recorded by createRecorder';
  const records: TranscriptRecord[] = [];
  const pending = new Map<string, Readonly<Record<string, unknown>>>();
  let dropped = 0;
  const key = (reqid: string | number, attempt: number): string =>
    `${typeof reqid}:${String(reqid)}:${attempt}`;

  const beforeRequest = (event: BeforeRequestEvent): void => {
    pending.set(key(event.reqid, event.attempt), event.envelope);
    if (pending.size > PENDING_LIMIT) pending.delete(pending.keys().next().value as string);
  };

  const afterResponse = (event: AfterResponseEvent): void => {
    const id = key(event.reqid, event.attempt);
    const sent = pending.get(id);
    pending.delete(id);
    if (records.length >= max) {
      dropped++;
      return;
    }
    const request = sent === undefined ? undefined : (redact(sent) as Record<string, unknown>);
    const { body, ...envelope } = request ?? {};
    const reply =
      event.envelope === null ? null : (redact(event.envelope) as Record<string, unknown>);
    const action = reply !== null && isObject(reply.response) ? reply.response : undefined;
    const tuple = action === undefined ? undefined : replyKeys(action);
    const failureReason = action?.failure_reason ?? reply?.failure_reason;
    records.push({
      seq: records.length + dropped + 1,
      label:
        options.label?.(event) ??
        `${event.type} ${event.success ? 'success' : (event.failure ?? 'failure')}`,
      via,
      request_type: event.type,
      request_body: isObject(body) ? body : null,
      success: reply === null ? null : event.success,
      response: tuple ?? null,
      messages:
        reply !== null && Array.isArray(reply.messages) ? (reply.messages as string[]) : null,
      status_code: event.statusCode,
      failure_reason: typeof failureReason === 'string' ? failureReason : null,
      headers: null,
      raw_response: reply === null ? null : (reply as unknown as RecordedEnvelope),
      envelope: request === undefined ? null : envelope,
      raw_http_body: null,
      retry_after: null,
      elapsed_s: Math.round(event.durationMs) / 1000,
      ...(reply === null && event.failure !== null ? { note: `failure: ${event.failure}` } : {}),
    });
  };

  return {
    hooks: { beforeRequest, afterResponse },
    entries: () => records,
    get dropped() {
      return dropped;
    },
    toJSON: () => [...records],
    async save(path: string): Promise<void> {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify(records, null, 1)}\n`);
    },
    clear(): void {
      records.length = 0;
      pending.clear();
      dropped = 0;
    },
  };
}

const RECORDER = optionShape<RecorderOptions>({ label: true, via: true, max: true });

/** Refuses `createRecorder` options with a key it does not know. */
function checkRecorderKeys(options: unknown): void {
  checkKeys(options, RECORDER, 'createRecorder');
}
