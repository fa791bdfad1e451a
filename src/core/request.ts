/**
 * Preparing a call before anything is sent: every check of the caller's input (the request type, the call's
 * options, the request id, the body against the catalogue, the size cap), then the envelope and its JSON text.
 * A caller's mistake throws a {@link RequestValidationError} naming the field; nothing is sent. Pure: the
 * request id, the time and the schema compiler come from the caller's {@link PrepareServices}.
 */
import { serverDatetime } from './datetime.js';
import { isPlainObject, requestEnvelope, type RequestEnvelope } from './envelope.js';
import { RequestValidationError, type ValidationIssue } from './errors.js';
import { isOptionObject, optionProblems, problemText, type OptionShape } from './options.js';
import { toIssues } from './reply.js';
import type { Reqid } from './result.js';
import { mergeRetry, type ResolvedRetry } from './retry.js';
import { CALL_OPTIONS, type CallOptions } from './call-options.js';
import type { RequestSpec, SideEffects } from './spec.js';
import { check, type SchemaCompiler } from './validate.js';

/** The part of the resolved configuration a call reads. */
export interface CallConfig {
  readonly url: URL;
  readonly timeouts: { readonly request: number; readonly login: number };
  readonly retry: ResolvedRetry;
  readonly maxResponseBytes: number;
  readonly maxRequestBytes: number;
  readonly validateResponses: boolean;
}

/** What preparing a call needs from outside: the request id source, the wall clock, the schema compiler. */
export interface PrepareServices {
  /** A new request id, for calls that do not bring their own. */
  newReqid(): Reqid;
  /** The time now, in epoch milliseconds, for an absolute `deadline`. */
  date(): number;
  /** zod's `compile`, for a body schema checked often (`validate.ts`); none where the runtime forbids it. */
  readonly compileSchema?: SchemaCompiler | undefined;
}

/** A call that passed every check: what the core sends, and the rules it sends it by. */
export interface PreparedCall {
  readonly type: string;
  readonly spec: RequestSpec | undefined;
  readonly reqid: Reqid;
  readonly envelope: RequestEnvelope;
  /** The envelope's JSON text, within the size cap: what the core has sealed for the wire. */
  readonly plaintext: string;
  /** The whole call's deadline, in milliseconds from its start (0 when an absolute deadline has passed). */
  readonly deadlineMs: number;
  readonly policy: ResolvedRetry;
  readonly sideEffects: SideEffects;
  /** The attempt timeout, for reads only: a write is never abandoned while it may be running. */
  readonly attemptTimeout: number | undefined;
  readonly validate: boolean;
}

function invalid(type: string, path: ValidationIssue['path'], message: string): never {
  throw new RequestValidationError(type, [{ path, message }]);
}

function checkType(type: unknown): asserts type is string {
  if (typeof type !== 'string' || type.length === 0) {
    invalid(
      typeof type === 'string' ? '' : String(type),
      ['type'],
      'the request type must be a non-empty string, e.g. "session-exists"',
    );
  }
}

function checkReqid(type: string, reqid: unknown): asserts reqid is Reqid {
  if (typeof reqid === 'string' ? reqid.length > 0 : Number.isSafeInteger(reqid)) return;
  invalid(type, ['reqid'], 'a request id must be a non-empty string or a safe integer');
}

/** Whether a value works as an AbortSignal (one from another realm or a polyfill included). */
export function isAbortSignal(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { aborted?: unknown }).aborted === 'boolean' &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}

/** What is wrong with a `timeout` option, if anything: it must be a positive, finite number (or absent). */
export function checkTimeout(timeout: unknown): string | undefined {
  return timeout === undefined ||
    (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)
    ? undefined
    : 'must be a positive, finite number of milliseconds';
}

/**
 * Refuses a call's options that are not an object, or that have a key the call does not know (`timout`), with a
 * {@link RequestValidationError}: the error bad values of a call's options give, each issue under `options`, so
 * that one kind of error tells a caller that a call was refused before anything was sent.
 */
export function checkCallKeys(type: string, options: unknown, shape: OptionShape): void {
  if (!isOptionObject(options)) {
    invalid(type, ['options'], `must be an object; the options are ${shape.keys.join(', ')}`);
  }
  const problems = optionProblems(options, shape);
  if (problems.length === 0) return;
  throw new RequestValidationError(
    type,
    problems.map((problem) => ({
      path: ['options', ...problem.path],
      message: problemText(problem, ['options']),
    })),
  );
}

/** Checks the call's options and resolves its deadline (ms from now) and retry policy. */
function checkOptions(
  type: string,
  config: CallConfig,
  spec: RequestSpec | undefined,
  options: CallOptions | undefined,
  services: PrepareServices,
): { deadlineMs: number; policy: ResolvedRetry } {
  // JavaScript callers can pass null where the types say undefined.
  if (options === undefined || (options as unknown) === null) {
    return {
      deadlineMs: spec?.timeout === 'login' ? config.timeouts.login : config.timeouts.request,
      policy: config.retry,
    };
  }
  checkCallKeys(type, options, CALL_OPTIONS);
  const { timeout: given, deadline, retry, validateResponse, signal } = options;
  const timeoutProblem = checkTimeout(given);
  if (timeoutProblem !== undefined) invalid(type, ['options', 'timeout'], timeoutProblem);
  let deadlineMs =
    given ?? (spec?.timeout === 'login' ? config.timeouts.login : config.timeouts.request);
  if (deadline !== undefined) {
    const at = deadline instanceof Date ? deadline.getTime() : deadline;
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      invalid(
        type,
        ['options', 'deadline'],
        'must be a valid Date or a finite number of milliseconds since the epoch',
      );
    }
    deadlineMs = Math.max(0, Math.min(deadlineMs, at - services.date()));
  }
  if (validateResponse !== undefined && typeof validateResponse !== 'boolean') {
    invalid(type, ['options', 'validateResponse'], 'must be a boolean');
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    invalid(type, ['options', 'signal'], 'must be an AbortSignal');
  }
  let policy = config.retry;
  if (retry !== undefined) {
    try {
      policy = mergeRetry(config.retry, retry);
    } catch (cause) {
      const field = /^retry\.(\w+)/.exec((cause as Error).message)?.[1];
      invalid(
        type,
        field === undefined ? ['options', 'retry'] : ['options', 'retry', field],
        (cause as Error).message.replace(/^retry\.\w+ /, ''),
      );
    }
  }
  return { deadlineMs, policy };
}

/** Validates the body against the spec (or the minimum for untyped types) and returns its `client_ipaddr`. */
function checkBody(
  spec: RequestSpec | undefined,
  type: string,
  body: unknown,
  compile: SchemaCompiler | undefined,
): string {
  if (!isPlainObject(body)) invalid(type, [], 'the body must be an object');
  if (spec !== undefined) {
    const parsed = check(spec.body, body, compile);
    if (!parsed.success) throw new RequestValidationError(type, toIssues(parsed.error));
  }
  const clientIp = body.client_ipaddr;
  if (typeof clientIp !== 'string' || clientIp.length === 0) {
    invalid(
      type,
      ['client_ipaddr'],
      "required: the end user's IP address (a non-empty string); the server rate-limits by it",
    );
  }
  return clientIp;
}

/**
 * The body with each `Date` of its `datetime` fields in the server's datetime format (a copy; the caller's body
 * is left as it is). The body has passed its schema, so every such Date is one the server can take.
 */
function withServerDatetimes(
  body: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const field of fields) {
    const value = body[field];
    if (value instanceof Date) {
      copy ??= { ...body };
      copy[field] = serverDatetime(value);
    }
  }
  return copy ?? body;
}

const UTF8 = new TextEncoder();

/** The UTF-8 length of a string. */
function utf8Length(text: string): number {
  return UTF8.encode(text).byteLength;
}

/** The envelope's JSON text, within the size cap; over it, the error names the body's largest field. */
function serialize(type: string, envelope: RequestEnvelope, limit: number): string {
  let json: string;
  try {
    json = JSON.stringify(envelope);
  } catch (cause) {
    invalid(type, [], `cannot be serialized to JSON (${(cause as Error).message})`);
  }
  // A UTF-16 unit is at most 3 bytes of UTF-8: most envelopes are under the cap without counting.
  if (json.length * 3 <= limit) return json;
  const size = utf8Length(json);
  if (size <= limit) return json;
  let largest = '';
  let largestSize = -1;
  for (const [key, value] of Object.entries(envelope.body as Record<string, unknown>)) {
    const text = JSON.stringify(value) as unknown; // undefined for what JSON leaves out
    const fieldSize = typeof text === 'string' ? utf8Length(text) : 0;
    if (fieldSize > largestSize) {
      largest = key;
      largestSize = fieldSize;
    }
  }
  return invalid(
    type,
    largest === '' ? [] : [largest],
    `the request is ${size} bytes of JSON, over maxRequestBytes (${limit})${largest === '' ? '' : `; this field is ${largestSize} bytes of it`}`,
  );
}

/**
 * Checks everything the caller gave and serializes the envelope.
 * @throws {RequestValidationError} naming the field; nothing has been sent.
 */
export function prepareCall(
  config: CallConfig,
  spec: RequestSpec | undefined,
  type: unknown,
  body: unknown,
  options: CallOptions | undefined,
  services: PrepareServices,
): PreparedCall {
  checkType(type);
  const { deadlineMs, policy } = checkOptions(type, config, spec, options, services);
  const reqid = options?.reqid ?? services.newReqid();
  checkReqid(type, reqid);
  const clientIp = checkBody(spec, type, body, services.compileSchema);
  const datetimes = spec?.datetimes;
  const envelope = requestEnvelope(
    type,
    datetimes === undefined
      ? body
      : withServerDatetimes(body as Record<string, unknown>, datetimes),
    reqid,
    clientIp,
  );
  const plaintext = serialize(type, envelope, config.maxRequestBytes);
  // Unknown (custom) request types may write: they are retried only when provably not sent.
  const sideEffects = spec?.sideEffects ?? 'write';
  return {
    type,
    spec,
    reqid,
    envelope,
    plaintext,
    deadlineMs,
    policy,
    sideEffects,
    attemptTimeout:
      sideEffects === 'read' && policy.attemptTimeout !== undefined && policy.attemptTimeout > 0
        ? policy.attemptTimeout
        : undefined,
    validate: options?.validateResponse ?? config.validateResponses,
  };
}
