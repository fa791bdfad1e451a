import { REDACTED } from '../../src/core/redact.js';
import { CodegenError } from '../errors.js';
import { replyKeys, type RecordedEnvelope } from '../../src/testing/recorder.js';
import type { Catalogue, Field, NamedType, RequestType } from '../generator/catalogue.js';
import type { Primitive, TypeNode } from '../generator/types.js';

/**
 * Recorded replies: the transcripts format (test/fixtures/transcripts.json, and what `createRecorder` of
 * `authnzerver/testing` writes), read into the replies that reached a request type, and checked against a
 * catalogue's reply shapes (`authnzerver-codegen drift --transcripts`). Pure: the commands read the files.
 */

export {
  replyKeys,
  type RecordedEnvelope,
  type TranscriptRecord,
} from '../../src/testing/recorder.js';

/** What a transcripts file is not: the message names the file and the record. */
export class TranscriptsError extends CodegenError {
  override name = 'TranscriptsError';
}

/** One reply that reached a request type's action: the keys a reply shape describes. */
export interface RecordedReply {
  readonly seq: number;
  readonly label: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  /** The action dict without `success`, `messages` and `failure_reason`. */
  readonly keys: Readonly<Record<string, unknown>>;
}

/** The replies of a transcripts file, and how many records were left out and why. */
export interface RecordedReplies {
  readonly source: string;
  readonly records: number;
  readonly replies: readonly RecordedReply[];
  /** Records without an action reply: not HTTP 200, no request type, no decrypted envelope. */
  readonly noReply: number;
  /** Failures of the server's parameter check (`invalid request parameters`): the same shape for every type. */
  readonly invalidParams: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a failure is the server's parameter check rather than the action's own failure. */
export function isInvalidParams(envelope: Pick<RecordedEnvelope, 'success' | 'response'>): boolean {
  const inner = envelope.response.response;
  return !envelope.success && isObject(inner) && Array.isArray(inner.problems);
}

/** A request type's wire name (`user-login`), as the catalogue writes them: not `GET /health`. */
const WIRE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Reads parsed JSON as a transcripts file: a list of records. Only `request_type` and `status_code` are required of
 * a record; the reply is `raw_response` (the decrypted envelope), or else the tuple's `success` and `response`.
 * @throws {TranscriptsError} naming the file and the first record that is not one.
 */
export function loadTranscripts(data: unknown, source: string): RecordedReplies {
  const fail = (where: string, message: string): never => {
    throw new TranscriptsError(
      `${source}: not a transcripts file (a JSON list of recorded calls, as createRecorder writes them): ${where}${message}`,
    );
  };
  if (!Array.isArray(data)) return fail('', 'the top level is not a list');
  const replies: RecordedReply[] = [];
  let noReply = 0;
  let invalidParams = 0;
  data.forEach((record: unknown, index) => {
    const at = `[${index}]: `;
    if (!isObject(record)) return fail(at, 'is not an object');
    for (const key of ['request_type', 'status_code'] as const)
      if (!(key in record)) fail(at, `has no ${key}`);
    const { request_type: type, status_code: status } = record;
    const raw = record.raw_response ?? null;
    if (type !== null && typeof type !== 'string')
      fail(`${at}request_type: `, 'is not a string or null');
    if (status !== null && typeof status !== 'number')
      fail(`${at}status_code: `, 'is not a number or null');
    if (raw !== null && !isObject(raw)) fail(`${at}raw_response: `, 'is not an object or null');
    const seq = typeof record.seq === 'number' ? record.seq : index + 1;
    const label = typeof record.label === 'string' ? record.label : `#${seq}`;
    // The decrypted envelope; without one, the Python client's tuple (success and the cleaned reply) says as much.
    const envelope: Pick<RecordedEnvelope, 'success' | 'response'> | undefined =
      isObject(raw) && typeof raw.success === 'boolean' && isObject(raw.response)
        ? { success: raw.success, response: raw.response }
        : raw === null && typeof record.success === 'boolean' && isObject(record.response)
          ? { success: record.success, response: record.response }
          : undefined;
    if (
      status !== 200 ||
      typeof type !== 'string' ||
      !WIRE_NAME.test(type) ||
      envelope === undefined
    ) {
      // No reply of an action: an HTTP error, a reply that was not an envelope, a call that never reached one.
      noReply++;
      return;
    }
    if (isInvalidParams(envelope)) {
      invalidParams++;
      return;
    }
    replies.push({
      seq,
      label,
      type,
      outcome: envelope.success ? 'success' : 'failure',
      keys: replyKeys(envelope.response),
    });
  });
  return { source, records: data.length, replies, noReply, invalidParams };
}

/**
 * Parses the text of a transcripts file.
 * @throws {TranscriptsError} when it is not JSON or not transcripts.
 */
export function parseTranscripts(text: string, source: string): RecordedReplies {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptsError(
      `${source}: not JSON (${(error as Error).message.replace(/\s+/g, ' ')}); expected recorded calls, as createRecorder writes them`,
    );
  }
  return loadTranscripts(data, source);
}

/** One way a recorded value does not fit a type: where (`widget.owner.name`), and what. */
export interface Misfit {
  readonly path: string;
  readonly message: string;
}

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an int' : 'a float';
  if (typeof value === 'string')
    return `a str (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'boolean') return 'a bool';
  return typeof value === 'object' ? 'a dict' : typeof value;
};

/** A type as written, for messages. */
export function typeText(node: TypeNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.name;
    case 'literal':
      return `'${node.value}'`;
    case 'list':
      return `list[${typeText(node.of)}]`;
    case 'json':
      return `json[${typeText(node.of)}]`;
    case 'ref':
      return node.name;
    case 'union':
      return node.members.map(typeText).join(' | ');
  }
}

/**
 * Checks values against a catalogue's types, as the generated reply schemas read them (loosely: a named type's
 * unknown keys are reported apart, as keys the catalogue lacks). A redacted value (`[redacted]`, src/core/redact.ts) fits any type but a literal: its type cannot be checked.
 */
export class ShapeChecker {
  readonly #types: ReadonlyMap<string, NamedType>;

  constructor(catalogue: Catalogue) {
    this.#types = new Map(catalogue.types.map((t) => [t.name, t]));
  }

  /** Where `value` does not fit `node`; empty when it fits. */
  check(node: TypeNode, value: unknown, path: string): Misfit[] {
    if (value === REDACTED && node.kind !== 'literal') return [];
    switch (node.kind) {
      case 'union': {
        const tries = node.members.map((member) => this.check(member, value, path));
        if (tries.some((misfits) => misfits.length === 0)) return [];
        // The member of the value's own kind explains best (a dict against `Name | None`).
        const closest = tries.find((misfits) => misfits.every((m) => m.path !== path));
        return closest ?? [{ path, message: `is ${describe(value)}, not ${typeText(node)}` }];
      }
      case 'ref': {
        const named = this.#types.get(node.name);
        if (!isObject(value) || named === undefined)
          return [{ path, message: `is ${describe(value)}, not ${node.name}` }];
        return this.fields(named.fields, value, path, node.name);
      }
      case 'list':
        if (!Array.isArray(value))
          return [{ path, message: `is ${describe(value)}, not ${typeText(node)}` }];
        return value.flatMap((item, index) => this.check(node.of, item, `${path}[${index}]`));
      case 'json': {
        if (typeof value !== 'string')
          return [
            { path, message: `is ${describe(value)}, not ${typeText(node)} (a str of JSON)` },
          ];
        let inner: unknown;
        try {
          inner = JSON.parse(value);
        } catch {
          return [{ path, message: `is a str that is not JSON, not ${typeText(node)}` }];
        }
        return this.check(node.of, inner, `${path}(json)`);
      }
      case 'literal':
        return value === node.value
          ? []
          : [{ path, message: `is ${describe(value)}, not '${node.value}'` }];
      case 'primitive':
        return fitsPrimitive(node.name, value)
          ? []
          : [{ path, message: `is ${describe(value)}, not ${node.name}` }];
    }
  }

  /** The misfits of an object against fields: missing keys, wrong types, and keys the fields do not name. */
  fields(
    fields: readonly Field[],
    value: Readonly<Record<string, unknown>>,
    path: string,
    owner: string,
  ): Misfit[] {
    const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
    const misfits: Misfit[] = [];
    const named = new Set<string>();
    for (const field of fields) {
      named.add(field.name);
      if (!Object.hasOwn(value, field.name)) {
        if (!field.optional)
          misfits.push({
            path: at(field.name),
            message: `is missing (${owner} requires it; optional: true if it may be absent)`,
          });
        continue;
      }
      misfits.push(...this.check(field.type, value[field.name], at(field.name)));
    }
    for (const key of Object.keys(value))
      if (!named.has(key))
        misfits.push({ path: at(key), message: `is not in ${owner} (${describe(value[key])})` });
    return misfits;
  }
}

function fitsPrimitive(name: Primitive, value: unknown): boolean {
  switch (name) {
    case 'str':
    case 'datetime': // sent and stored as the server's datetime string
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return isObject(value);
    case 'list':
      return Array.isArray(value);
    case 'Any':
      return value !== null && value !== undefined;
    case 'None':
      return value === null;
  }
}

/** A recorded reply that does not fit its catalogue shape. */
export interface ReplyDrift {
  readonly seq: number;
  readonly label: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  /** `type-not-in-catalogue`: the whole type is unknown; `shape`: some keys do not fit. */
  readonly kind: 'type-not-in-catalogue' | 'shape';
  readonly misfits: readonly Misfit[];
}

/** What `drift --transcripts` reports. */
export interface TranscriptDriftReport {
  readonly inSync: boolean;
  readonly checked: number;
  /** Replies of shapes marked unknown, which any object fits. */
  readonly unknownShapes: number;
  readonly findings: readonly ReplyDrift[];
}

/** Checks every recorded reply against the catalogue's shape of its type and outcome. */
export function checkReplies(
  catalogue: Catalogue,
  recorded: RecordedReplies,
): TranscriptDriftReport {
  const checker = new ShapeChecker(catalogue);
  const byType = new Map<string, RequestType>(catalogue.requests.map((r) => [r.type, r]));
  const findings: ReplyDrift[] = [];
  let checked = 0;
  let unknownShapes = 0;
  for (const reply of recorded.replies) {
    const request = byType.get(reply.type);
    const base = { seq: reply.seq, label: reply.label, type: reply.type, outcome: reply.outcome };
    if (request === undefined) {
      findings.push({ ...base, kind: 'type-not-in-catalogue', misfits: [] });
      continue;
    }
    const unknown = reply.outcome === 'success' ? request.successUnknown : request.failureUnknown;
    if (unknown) {
      unknownShapes++;
      continue;
    }
    checked++;
    const misfits = checker.fields(
      request[reply.outcome],
      reply.keys,
      '',
      `the ${reply.outcome} shape`,
    );
    if (misfits.length > 0) findings.push({ ...base, kind: 'shape', misfits });
  }
  return { inSync: findings.length === 0, checked, unknownShapes, findings };
}

/** The report as text for people: one block per reply that does not fit. */
export function formatReplyDrift(
  report: TranscriptDriftReport,
  catalogue: string,
  recorded: RecordedReplies,
): string {
  const scope = `${report.checked} recorded ${report.checked === 1 ? 'reply' : 'replies'} of ${recorded.source}`;
  const unknown =
    report.unknownShapes > 0 ? ` (${report.unknownShapes} more of shapes marked unknown)` : '';
  if (report.inSync) return `${catalogue} fits ${scope}${unknown}.\n`;
  const lines = [
    `${report.findings.length} of the replies in ${recorded.source} do not fit ${catalogue} (${report.checked} checked${unknown}):`,
    '',
  ];
  for (const finding of report.findings) {
    lines.push(`#${finding.seq} ${finding.type} ${finding.outcome}: ${finding.label}`);
    if (finding.kind === 'type-not-in-catalogue')
      lines.push('  the request type is not in the catalogue');
    for (const misfit of finding.misfits) lines.push(`  ${misfit.path}: ${misfit.message}`);
  }
  return `${lines.join('\n')}\n`;
}
