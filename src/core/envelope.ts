/**
 * The envelope: the JSON object inside every request and reply, shared by the client and the test server.
 *
 * A request is `{ request, body, reqid, client_ipaddr }`. A reply is the server's action dict wrapped as its
 * `send_response` wraps it: `{ success, response, messages, reqid }`, plus `failure_reason` on a failure. Both
 * travel as base64(Fernet(JSON)) (`crypto/wire.ts` seals and opens them). This module builds, checks and redacts
 * them; what a reply means for the caller is `reply.ts`'s job.
 */
import { redact } from './redact.js';
import type { Reqid } from './result.js';

/** What the client sends. */
export interface RequestEnvelope {
  readonly request: string;
  readonly body: unknown;
  readonly reqid: Reqid;
  readonly client_ipaddr: string;
}

/**
 * An action's reply before it is wrapped, as an authnzerver action function makes it: `success`, `messages`,
 * usually `failure_reason` when it fails, and the request type's own keys.
 */
export interface ActionReply {
  readonly success: boolean;
  readonly messages?: readonly string[];
  readonly failure_reason?: string;
  readonly [field: string]: unknown;
}

/** A reply envelope whose shape checked out, with the action's fields cleaned as the Python client cleans them. */
export interface OpenedReply {
  readonly success: boolean;
  /** The action dict without `success`, `messages` and `failure_reason`. */
  readonly response: Record<string, unknown>;
  readonly messages: readonly string[];
  readonly failureReason: string | null;
  readonly reqid: unknown;
}

/** Why a decrypted reply is not a usable envelope; the text is a failure reason. */
export type EnvelopeProblem = { readonly problem: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds a request envelope. */
export function requestEnvelope(
  type: string,
  body: unknown,
  reqid: Reqid,
  clientIp: string,
): RequestEnvelope {
  return { request: type, body, reqid, client_ipaddr: clientIp };
}

/** Wraps an action's reply as the server's `send_response` does. */
export function replyEnvelope(action: ActionReply, reqid: Reqid): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    success: action.success,
    response: action,
    messages: action.messages,
    reqid,
  };
  if (!action.success && 'failure_reason' in action)
    envelope.failure_reason = action.failure_reason;
  return envelope;
}

/** Checks a decrypted reply's shape and cleans its action dict; a problem says what is wrong. */
export function readReply(envelope: unknown): OpenedReply | EnvelopeProblem {
  if (!isPlainObject(envelope)) return { problem: 'the decrypted reply is not a JSON object' };
  const success = envelope.success;
  const action = envelope.response;
  const messages = envelope.messages ?? [];
  const failureReason = envelope.failure_reason ?? null;
  if (typeof success !== 'boolean' || !isPlainObject(action)) {
    return { problem: 'the reply has no boolean `success` and object `response`' };
  }
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
    return { problem: "the reply's `messages` is not a list of strings" };
  }
  if (failureReason !== null && typeof failureReason !== 'string') {
    return { problem: "the reply's `failure_reason` is not a string" };
  }
  const response: Record<string, unknown> = {};
  for (const key in action) {
    if (key !== 'success' && key !== 'messages' && key !== 'failure_reason')
      response[key] = action[key];
  }
  return {
    success,
    response,
    messages: Object.freeze(messages),
    failureReason,
    reqid: envelope.reqid,
  };
}

/** A request envelope with the body's secrets redacted, for logs and hooks. */
export function redactRequest(
  envelope: RequestEnvelope,
  bodyPaths: readonly string[],
): Record<string, unknown> {
  return { ...envelope, body: redact(envelope.body, bodyPaths) };
}

/** A reply envelope with the reply's secrets redacted (`paths` relative to the action dict). */
export function redactReply(
  envelope: Record<string, unknown>,
  responsePaths: readonly string[],
): Record<string, unknown> {
  return redact(
    envelope,
    responsePaths.map((p) => `response.${p}`),
  ) as Record<string, unknown>;
}
