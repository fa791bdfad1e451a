/**
 * OpenTelemetry for authnzerver calls, shipped as `authnzerver/otel` (`@opentelemetry/api` is an optional peer
 * dependency, loaded by this entry point only). `instrumentAuthnzerver()` subscribes to the `authnzerver:call`
 * TracingChannel (src/observe/tracing.ts) and turns each call into one CLIENT span and one `rpc.client.duration` point.
 * It sees what the channel carries: the request type, the server, the request id, attempts, retries, the status
 * and the failure kind. Never a body, a reply, a message or a secret.
 *
 * The span, named `authnzerver/<type>` (the RPC convention `{rpc.service}/{rpc.method}`):
 *
 * | attribute                   | value                                                                  |
 * | --------------------------- | ---------------------------------------------------------------------- |
 * | `rpc.system`, `rpc.service` | `authnzerver`                                                          |
 * | `rpc.method`                | the request type, e.g. `session-exists`                                |
 * | `server.address`, `port`    | the server's host and port, from the client's URL                      |
 * | `authnzerver.sync`          | whether it is a `client.sync` call                                     |
 * | `authnzerver.reqid`         | the request id sent, as a string                                       |
 * | `authnzerver.attempts`      | how many times it was sent                                             |
 * | `http.response.status_code` | the last reply's HTTP status, when one arrived                         |
 * | `authnzerver.failure`       | the failure kind, when the call did not succeed (`rejected` included)  |
 * | `error.type`                | the failure kind when the call failed, or the name of what it threw    |
 *
 * A `rejected` call (HTTP 200, the server ran the request and said no: a wrong password, an unknown session) is
 * an answer, not a fault: its span keeps an unset status and has no `error.type`, only `authnzerver.failure`.
 * Every other failure kind, and a thrown error (a `RequestValidationError`: only its name is recorded, never its
 * message), sets `error.type` and the ERROR status, with `error.type` as the status message. Each retry is a span
 * event `retry`, at the time it was decided, with `authnzerver.retry.attempt`, `.reason`, `.delay_ms` and
 * `.failure` (the failure kind of the attempt sent again).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  SpanKind,
  SpanStatusCode,
  context,
  diag,
  metrics,
  trace,
  type Attributes,
  type Histogram,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { AuthnzerverError } from '../core/errors.js';
import { checkKeys, optionShape } from '../core/options.js';
import { CALL_CHANNEL, type CallTrace } from './tracing.js';

export type { CallTrace, TraceRetry } from './tracing.js';

/** The instrumentation scope's name: the tracer's and the meter's. */
export const INSTRUMENTATION_SCOPE = 'authnzerver';

/** `rpc.system` and `rpc.service` of every span and metric point. */
export const RPC_SYSTEM = 'authnzerver';

/** The duration histogram's name (milliseconds, as the RPC conventions that named it). */
export const DURATION_METRIC = 'rpc.client.duration';

export interface OtelOptions {
  /** Where spans go. @default the global tracer provider (`trace.setGlobalTracerProvider`, or an SDK's start) */
  readonly tracerProvider?: TracerProvider | undefined;
  /**
   * Where the `rpc.client.duration` histogram goes. @default the global meter provider, looked up at each call,
   * so one registered after this instrumentation is used too
   */
  readonly meterProvider?: MeterProvider | undefined;
  /**
   * Which calls to trace, decided at each call's start; the others get no span and no point. The channel is
   * shared by every client of the process: to trace one client only, filter on its server
   * (`trace.serverAddress`, `trace.serverPort`) or request types. @default every call
   */
  readonly filter?: ((trace: Readonly<CallTrace>) => boolean) | undefined;
  /**
   * Send each call's CLIENT span as its request id (`<trace id>-<span id>`), when the caller gives none, so
   * that the server's logs, which carry the request id, line up with the trace. @default false
   */
  readonly reqidFromTrace?: boolean | undefined;
}

const OTEL_OPTIONS = optionShape<OtelOptions>({
  tracerProvider: true,
  meterProvider: true,
  filter: true,
  reqidFromTrace: true,
});

/** An instrumentation that is on. */
export interface AuthnzerverInstrumentation {
  /**
   * Stops tracing calls that start from now on. Calls in flight still end their spans. Idempotent.
   */
  disable(): void;
}

/** A traced call, while it runs. */
interface Open {
  readonly span: Span;
  readonly started: number;
  readonly base: Attributes;
  /** `error.type` of what the call threw, set at `:error`. */
  thrown: string | undefined;
}

const EVENTS = ['start', 'end', 'asyncEnd', 'error'] as const;
type Event = (typeof EVENTS)[number];

/** `error.type` of a thrown value: this package's error class name, another error's class, or `_OTHER`. */
function thrownType(error: unknown): string {
  if (AuthnzerverError.is(error)) return error.name;
  if (error instanceof Error) return error.constructor.name || 'Error';
  return '_OTHER';
}

/**
 * Ends a call's span with what the trace says of it: the request id, attempts, status, each retry as an event,
 * and the outcome (`authnzerver.failure`, `error.type` and the ERROR status for a failure that is not an
 * answer). Returns the outcome's attributes, which the duration point carries too.
 */
function endSpan(call: CallTrace, state: Open): Attributes {
  const { span } = state;
  if (call.reqid !== undefined) span.setAttribute('authnzerver.reqid', String(call.reqid));
  span.setAttribute('authnzerver.attempts', call.attempts);
  if (call.statusCode !== null) span.setAttribute('http.response.status_code', call.statusCode);
  for (const retry of call.retries) {
    const attributes: Attributes = {
      'authnzerver.retry.attempt': retry.attempt,
      'authnzerver.retry.reason': retry.reason,
      'authnzerver.retry.delay_ms': retry.delayMs,
    };
    if (retry.failure !== null) attributes['authnzerver.retry.failure'] = retry.failure;
    span.addEvent('retry', attributes, new Date(retry.at));
  }
  const outcome: Attributes = {};
  if (call.failure !== null) outcome['authnzerver.failure'] = call.failure;
  const errorType =
    state.thrown ??
    (call.failure === null || call.failure === 'rejected' ? undefined : call.failure);
  if (errorType !== undefined) {
    outcome['error.type'] = errorType;
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
  }
  span.setAttributes(outcome);
  span.end();
  return outcome;
}

/**
 * Instruments every authnzerver client of this process (all of them publish on one channel; see `filter`): each
 * call becomes one CLIENT span, a child of the context active when the call was made, and one point of the
 * `rpc.client.duration` histogram (ms) with `rpc.system`, `rpc.service`, `rpc.method`, `server.address`,
 * `server.port` and, as on the span, `authnzerver.failure` and `error.type`.
 *
 * Calling it twice makes two independent instrumentations (and two spans per call).
 *
 * @example
 * import { instrumentAuthnzerver } from 'authnzerver/otel';
 * const otel = instrumentAuthnzerver(); // the global providers
 * // ... at shutdown:
 * otel.disable();
 */
export function instrumentAuthnzerver(options: OtelOptions = {}): AuthnzerverInstrumentation {
  checkKeys(options, OTEL_OPTIONS, 'instrumentAuthnzerver');
  const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    INSTRUMENTATION_SCOPE,
  );
  const filter = options.filter;
  let meterProvider: MeterProvider | undefined;
  let histogram: Histogram | undefined;
  /** The histogram of the meter provider in use (the global one may be set after this is called). */
  const duration = (): Histogram => {
    const provider = options.meterProvider ?? metrics.getMeterProvider();
    if (histogram === undefined || provider !== meterProvider) {
      meterProvider = provider;
      histogram = provider.getMeter(INSTRUMENTATION_SCOPE).createHistogram(DURATION_METRIC, {
        description: 'The duration of an authnzerver call, retries included.',
        unit: 'ms',
      });
    }
    return histogram;
  };

  const open = new Map<CallTrace, Open>();
  let enabled = true;
  let subscribed = true;

  const start = (call: CallTrace): void => {
    if (!enabled || (filter !== undefined && !filter(call))) return;
    const base: Attributes = {
      'rpc.system': RPC_SYSTEM,
      'rpc.service': RPC_SYSTEM,
      'rpc.method': call.type,
      'server.address': call.serverAddress,
      'server.port': call.serverPort,
    };
    const span = tracer.startSpan(
      `${RPC_SYSTEM}/${call.type}`,
      { kind: SpanKind.CLIENT, attributes: { ...base, 'authnzerver.sync': call.sync } },
      context.active(),
    );
    if (options.reqidFromTrace === true && call.reqid === undefined) {
      const { traceId, spanId } = span.spanContext();
      call.reqid = `${traceId}-${spanId}`;
    }
    open.set(call, { span, started: performance.now(), base, thrown: undefined });
  };

  const finish = (call: CallTrace, state: Open): void => {
    open.delete(call);
    const outcome = endSpan(call, state);
    duration().record(performance.now() - state.started, { ...state.base, ...outcome });
  };

  /** Once disabled and no span is open, leave the channel (an open span still needs its end). */
  const release = (): void => {
    if (!subscribed || enabled || open.size > 0) return;
    subscribed = false;
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  };

  const handlers: Record<Event, (call: CallTrace) => void> = {
    start,
    end: (call) => {
      const state = open.get(call);
      if (state === undefined || !call.sync) return;
      finish(call, state);
      release();
    },
    asyncEnd: (call) => {
      const state = open.get(call);
      if (state === undefined) return;
      finish(call, state);
      release();
    },
    error: (call) => {
      const state = open.get(call);
      if (state !== undefined) state.thrown = thrownType(call.error);
    },
  };

  // A subscriber that throws would surface as an uncaught exception in the app: report it to OpenTelemetry's
  // diagnostics instead, and let the call go on.
  const listeners = EVENTS.map((event) => {
    const listener = (message: unknown): void => {
      try {
        handlers[event](message as CallTrace);
      } catch (error) {
        diag.error(`authnzerver instrumentation: ${event} failed`, error);
      }
    };
    return [`tracing:${CALL_CHANNEL}:${event}`, listener] as const;
  });
  for (const [name, listener] of listeners) subscribe(name, listener);

  return {
    disable() {
      enabled = false;
      release();
    },
  };
}
