import { callSteps, type CallServices } from '../../src/core/call.js';
import { DEFAULT_TIMEOUTS } from '../../src/client-options.js';
import { replyEnvelope, type ActionReply } from '../../src/core/envelope.js';
import { Fernet, generateFernetKey } from '../../src/crypto/fernet.js';
import type { CallEvent, Observer } from '../../src/core/events.js';
import { prepareCall, type CallConfig } from '../../src/core/request.js';
import type { ResponseTuple } from '../../src/core/result.js';
import { DEFAULT_RETRY } from '../../src/core/retry.js';
import type { CallOptions } from '../../src/core/call-options.js';
import type { RequestSpec } from '../../src/core/spec.js';
import { keyRing, type KeyRing } from '../../src/core/keys.js';
import type { Opened, SendRequest, Sent } from '../../src/core/steps.js';
import { decodeWire, encodeWire, encodeWireText } from '../../src/crypto/wire.js';
import type { TransportFailure, TransportOutcome } from '../../src/transport/types.js';
import { specs } from '../../generated/specs.js';
import type { ReceivedRequest } from '../../src/testing/protocol-server.js';
import { READ_BODY, WRITE_BODY, catalogueHandler } from './catalogue-handler.js';

export { READ_BODY, WRITE_BODY };

/**
 * Drives the sans-IO call core with a script instead of a network: each send step gets the next scripted
 * outcome, the clock is a number that only the script moves (by what each attempt takes, and by each sleep),
 * and the jitter is fixed. No socket, timer or real clock is involved.
 */

export const KEY = generateFernetKey();
export const fernet = new Fernet(KEY);
export const URL_ = new URL('http://authnzerver.test:13431/');
export const REQID = 'r-1';

export const READ = { type: 'session-exists', spec: specs['session-exists'] as RequestSpec };
export const WRITE = { type: 'session-new', spec: specs['session-new'] as RequestSpec };

/** The success reply the test handler gives a request type. */
export function actionFor(type: string, body?: unknown): ActionReply {
  const sent = body ?? (type === WRITE.type ? WRITE_BODY : READ_BODY);
  return catalogueHandler({ type, body: sent } as ReceivedRequest) as ActionReply;
}

export const CONFIG: CallConfig = {
  url: URL_,
  timeouts: DEFAULT_TIMEOUTS,
  retry: DEFAULT_RETRY,
  maxResponseBytes: 1024 * 1024,
  maxRequestBytes: 1024 * 1024,
  validateResponses: true,
};

/** One scripted attempt: what the send gives, how long it takes on the fake clock. */
export type Scripted =
  | {
      readonly outcome: TransportOutcome | ((request: SendRequest) => TransportOutcome);
      readonly expired?: 'deadline' | 'attempt' | null;
      /** Milliseconds on the fake clock. @default 5 */
      readonly takes?: number;
    }
  | {
      /** A model of the send: what it gives and how long it takes, from what the core asked (its timeouts). */
      readonly send: (request: SendRequest) => Sent & { readonly takes: number };
    };

export interface Run {
  readonly result: ResponseTuple<unknown, unknown>;
  readonly sends: SendRequest[];
  readonly sleeps: number[];
  readonly events: CallEvent[];
  /** The fake clock at the end, from 0 at the start. */
  readonly elapsed: number;
}

export interface RunOptions {
  readonly type?: { type: string; spec: RequestSpec | undefined };
  readonly body?: unknown;
  readonly options?: CallOptions;
  readonly config?: Partial<CallConfig>;
  /** The backoff's jitter. @default 0.5 */
  readonly jitter?: number;
  /** Whether each sleep runs to its end (false: the caller aborted during it). @default true */
  readonly sleepCompletes?: boolean;
  readonly detailed?: boolean;
  /**
   * The client's keys (`secret` as a list): each seal step then really encrypts with the key it names, and each
   * open step decrypts with it. Without them, a seal gives `sealed:<plaintext>` and an open uses {@link KEY}.
   */
  readonly keys?: readonly string[];
  /** The client's key memory, to share between runs. @default a new one for `keys` */
  readonly ring?: KeyRing;
}

const START = 1_000_000;
const DATE = Date.UTC(2026, 0, 1);

/** Runs a call against a script; the script must have one entry per attempt the call makes. */
export function runScript(script: readonly Scripted[], run: RunOptions = {}): Run {
  const { type, spec } = run.type ?? READ;
  const body = run.body ?? (type === WRITE.type ? WRITE_BODY : READ_BODY);
  const config = { ...CONFIG, ...run.config };
  let clock = START;
  const events: CallEvent[] = [];
  const observer: Observer = {
    detailed: run.detailed ?? false,
    emit: (event) => events.push(event),
  };
  const keyed = run.keys?.map((key) => new Fernet(key));
  const ring = run.ring ?? (keyed === undefined ? undefined : keyRing(keyed.length));
  const services: CallServices = {
    now: () => clock,
    date: () => DATE + (clock - START),
    random: () => run.jitter ?? 0.5,
    observer,
    ...(ring === undefined ? {} : { keys: ring }),
  };
  const call = prepareCall(
    config,
    spec,
    type,
    body,
    { reqid: REQID, ...run.options },
    {
      newReqid: () => REQID,
      date: () => services.date(),
    },
  );
  const steps = callSteps(config, call, services);
  const sends: SendRequest[] = [];
  const sleeps: number[] = [];
  let next = steps.next();
  let attempt = 0;
  while (next.done !== true) {
    const step = next.value;
    if (step.kind === 'seal') {
      const sealer = keyed?.[step.key];
      next = steps.next(
        sealer === undefined ? `sealed:${step.plaintext}` : encodeWireText(sealer, step.plaintext),
      );
    } else if (step.kind === 'open') {
      let opened: Opened;
      try {
        opened = { ok: true, value: decodeWire(keyed?.[step.key] ?? fernet, step.body) };
      } catch (error) {
        opened = { ok: false, error };
      }
      next = steps.next(opened);
    } else if (step.kind === 'send') {
      sends.push(step.request);
      const scripted = script[attempt++];
      if (scripted === undefined) throw new Error(`the script has no attempt ${attempt}`);
      if ('send' in scripted) {
        const { takes, ...sent } = scripted.send(step.request);
        clock += takes;
        next = steps.next(sent);
        continue;
      }
      const outcome =
        typeof scripted.outcome === 'function' ? scripted.outcome(step.request) : scripted.outcome;
      clock += scripted.takes ?? 5;
      const sent: Sent = { outcome, expired: scripted.expired ?? null };
      next = steps.next(sent);
    } else {
      sleeps.push(step.ms);
      clock += step.ms;
      next = steps.next(run.sleepCompletes ?? true);
    }
  }
  if (attempt !== script.length)
    throw new Error(`the call made ${attempt} attempts; the script has ${script.length}`);
  return { result: next.value, sends, sleeps, events, elapsed: clock - START };
}

/** A 200 reply carrying an action, sealed under the test key (or another), with the call's reqid. */
export function reply(
  action: ActionReply,
  options: { reqid?: string; key?: string; status?: number } = {},
): TransportOutcome {
  const sealer = options.key === undefined ? fernet : new Fernet(options.key);
  return {
    ok: true,
    response: {
      status: options.status ?? 200,
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: encodeWire(sealer, replyEnvelope(action, options.reqid ?? REQID)),
    },
  };
}

/** A reply with another status and a plain-text body. */
export function status(
  code: number,
  body = `HTTP ${code}`,
  headers: Record<string, string> = {},
): TransportOutcome {
  return { ok: true, response: { status: code, headers, body } };
}

/** A transport failure. */
export function failure(
  kind: TransportFailure['kind'],
  delivery: TransportFailure['delivery'],
  extra: Partial<TransportFailure> = {},
): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind,
      delivery,
      gotHeaders: false,
      message: `scripted ${kind}`,
      code: undefined,
      ...extra,
    },
  };
}

/** The success reply of the type a run uses. */
export function success(run: RunOptions = {}): TransportOutcome {
  return reply(actionFor((run.type ?? READ).type, run.body));
}
