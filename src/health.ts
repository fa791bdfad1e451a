/**
 * `client.health()`: the server's `GET /health` report, read within one deadline, as a typed result that is never
 * thrown. The send is `sendOnce` (the same deadline, signal and misbehaving-transport handling as every call) over
 * the client's own transport, asked for a GET.
 *
 * What the real server (authnzerver at git HEAD 9a038e3) answers on `GET /health`:
 * - 200 and a JSON report `{"Expected-Workers", "Workers": {name: "ok" | failure reason}, "Check-Time", "Health-Ok": true}`;
 * - 500 and the same report with `"Health-Ok": false` when a worker's database check fails;
 * - 429 (`Retry-After: 180`) when the check itself is rate-limited: it counts as the request type
 *   `apikey-healthcheck` of the caller's IP address;
 * - 500 and the plain text `HTTP 500: Could not service this request.` in two cases the reply cannot tell apart:
 *   the server runs with rate limiting off (`AUTHNZERVER_RATELIMITS=none`: its health handler then fails on the
 *   rate limiter, always), or its worker pool is broken (a worker process died: every request then fails). One
 *   harmless request (`session-exists` of a random token) tells them apart: answered (HTTP 200), the workers are
 *   fine and the 500 came from the disabled rate limiter (`rate-limits-off`); not answered, `server-error`.
 */
import type { ResolvedConfig } from './client-options.js';
import { RequestValidationError } from './core/errors.js';
import { newReqid } from './crypto/random.js';
import { NGINX_CERT_PAGE, bodyExcerpt, httpFailureKind, parseRetryAfter } from './core/reply.js';
import { optionShape, type OptionShape } from './core/options.js';
import { checkCallKeys, checkTimeout, isAbortSignal } from './core/request.js';
import type { ResponseHeaders, ResponseTuple } from './core/result.js';
import { sendOnce } from './transport/send.js';
import type { CallOptions } from './core/call-options.js';

/** Options of `client.health()`. */
export interface HealthOptions {
  /**
   * The deadline of the whole check in milliseconds, the `rate-limits-off` probe included: it ends by then,
   * whatever the server does. @default the client's `timeouts.request` (5000)
   */
  readonly timeout?: number | undefined;
  /**
   * Ends the check early with an `aborted` failure.
   * @default undefined (none)
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Why a health check failed.
 *
 * | kind | when |
 * | --- | --- |
 * | `unhealthy` | the server sent its report with `Health-Ok: false` (HTTP 500): `workers` says which failed |
 * | `rate-limited` | HTTP 429: the health check itself was rate-limited; `retryAfter` in seconds |
 * | `rate-limits-off` | HTTP 500 from a server that runs with `AUTHNZERVER_RATELIMITS=none`, whose `/health` always fails at this revision (requests still work) |
 * | `server-error` | any other HTTP 5xx, e.g. a 500 while requests fail too (a worker died and broke the pool) |
 * | `not-found` | HTTP 404: the URL's path is not the server's, or the `Host` is not in its allowed hosts |
 * | `bad-request`, `unauthorized`, `http-error` | HTTP 400, 401, any other status (a proxy in front, a `transport` that cannot GET: 405) |
 * | `invalid-response` | the reply is not a health report, or not HTTP |
 * | `network`, `timeout`, `aborted`, `tls`, `too-large` | as for every call: no usable reply |
 */
export type HealthFailureKind =
  | 'unhealthy'
  | 'rate-limited'
  | 'rate-limits-off'
  | 'server-error'
  | 'not-found'
  | 'bad-request'
  | 'unauthorized'
  | 'http-error'
  | 'invalid-response'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'tls'
  | 'too-large';

/** The server's report: its `Expected-Workers`, `Workers` and `Check-Time`. */
interface Report {
  /** How many worker processes the server runs (`Expected-Workers`). */
  readonly expectedWorkers: number;
  /** Each worker that answered the check, by process name: `"ok"`, or why its database check failed (`Workers`). */
  readonly workers: Readonly<Record<string, string>>;
  /** How long the server's check of its workers took, in seconds (`Check-Time`). */
  readonly checkTime: number;
}

/** The server answered 200 with `Health-Ok: true`: every worker reported a working database. Ready. */
export interface HealthyResult extends Report {
  readonly ok: true;
  /** The report's `Health-Ok`. */
  readonly healthy: true;
  readonly statusCode: 200;
  readonly failure: null;
  readonly failureReason: null;
  /** The round trip of `GET /health`, in milliseconds. */
  readonly latencyMs: number;
  readonly headers: ResponseHeaders;
  readonly retryAfter: null;
}

/** The server is not ready, or could not be asked. Narrow on `failure`. */
export interface HealthFailure {
  readonly ok: false;
  readonly healthy: false;
  /** The HTTP status of `GET /health`; null when no reply arrived. */
  readonly statusCode: number | null;
  readonly failure: HealthFailureKind;
  /** Why, for logs and people (never for end users). */
  readonly failureReason: string;
  /** The round trip of `GET /health` (without the `rate-limits-off` probe), in milliseconds. */
  readonly latencyMs: number;
  /** The reply's headers; null when no reply arrived. */
  readonly headers: ResponseHeaders | null;
  /** With a report (`unhealthy`): `Expected-Workers`; otherwise null. */
  readonly expectedWorkers: number | null;
  /** With a report (`unhealthy`): `Workers`; otherwise null. */
  readonly workers: Readonly<Record<string, string>> | null;
  /** With a report (`unhealthy`): `Check-Time`, in seconds; otherwise null. */
  readonly checkTime: number | null;
  /** For `rate-limited`: the server's `Retry-After` in seconds (180), or null. */
  readonly retryAfter: number | null;
}

/** What `client.health()` returns: `ok` is true only for a server that is ready. */
export type HealthResult = HealthyResult | HealthFailure;

/** What a health check needs of its client. */
export interface HealthServices {
  readonly config: Pick<ResolvedConfig, 'url' | 'transport' | 'maxResponseBytes' | 'timeouts'>;
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
  /** Sends one request through the client: the probe that tells `rate-limits-off` from a broken server. */
  readonly request: (
    type: string,
    body: Readonly<Record<string, unknown>>,
    options: CallOptions,
  ) => Promise<ResponseTuple<unknown, unknown>>;
}

/** The options of `client.health()` (see `core/options.ts`). */
export const HEALTH_OPTIONS: OptionShape = optionShape<HealthOptions>({
  timeout: true,
  signal: true,
});

const WHAT = 'GET /health';

/** The request type and address of the probe: a read the server answers without a side effect. */
const PROBE_TYPE = 'session-exists';

/** `GET /health` next to the client's URL: `http://host:13431/` → `http://host:13431/health` (a path prefix stays). */
export function healthUrl(url: URL): URL {
  const health = new URL(url.href);
  health.pathname = health.pathname.replace(/\/*$/, '/health');
  health.search = '';
  health.hash = '';
  return health;
}

function invalid(path: string, message: string): never {
  throw new RequestValidationError(WHAT, [{ path: ['options', path], message }]);
}

function checkOptions(
  options: HealthOptions | undefined,
  fallback: number,
): { timeout: number; signal: AbortSignal | undefined } {
  // JavaScript callers can pass null where the types say undefined.
  if (options === undefined || (options as unknown) === null) {
    return { timeout: fallback, signal: undefined };
  }
  checkCallKeys(WHAT, options, HEALTH_OPTIONS);
  const { timeout, signal } = options;
  const timeoutProblem = checkTimeout(timeout);
  if (timeoutProblem !== undefined) invalid('timeout', timeoutProblem);
  if (signal !== undefined && !isAbortSignal(signal)) invalid('signal', 'must be an AbortSignal');
  return { timeout: timeout ?? fallback, signal };
}

/** The report in a reply body, or what is wrong with it. */
function readReport(
  body: string,
): { readonly report: Report; readonly healthy: boolean } | { readonly problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'the reply is not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problem: 'the reply is not a JSON object' };
  }
  const fields = json as Record<string, unknown>;
  const healthy = fields['Health-Ok'];
  const expectedWorkers = fields['Expected-Workers'];
  const workers = fields.Workers;
  const checkTime = fields['Check-Time'];
  if (typeof healthy !== 'boolean') return { problem: '`Health-Ok` is not a boolean' };
  if (typeof expectedWorkers !== 'number') return { problem: '`Expected-Workers` is not a number' };
  if (typeof checkTime !== 'number') return { problem: '`Check-Time` is not a number' };
  if (typeof workers !== 'object' || workers === null || Array.isArray(workers)) {
    return { problem: '`Workers` is not an object' };
  }
  const named: Record<string, string> = {};
  for (const [name, state] of Object.entries(workers as Record<string, unknown>)) {
    named[name] = typeof state === 'string' ? state : JSON.stringify(state);
  }
  return {
    report: { expectedWorkers, workers: Object.freeze(named), checkTime },
    healthy,
  };
}

const NO_REPORT = { expectedWorkers: null, workers: null, checkTime: null } as const;

function failed(
  failure: HealthFailureKind,
  failureReason: string,
  fields: {
    readonly statusCode: number | null;
    readonly headers: ResponseHeaders | null;
    readonly latencyMs: number;
    readonly report?: Report;
    readonly retryAfter?: number | null;
  },
): HealthFailure {
  const report = fields.report ?? NO_REPORT;
  return Object.freeze({
    ok: false,
    healthy: false,
    statusCode: fields.statusCode,
    failure,
    failureReason,
    latencyMs: fields.latencyMs,
    headers: fields.headers,
    expectedWorkers: report.expectedWorkers,
    workers: report.workers,
    checkTime: report.checkTime,
    retryAfter: fields.retryAfter ?? null,
  });
}

function unhealthyReason(report: Report): string {
  const bad = Object.entries(report.workers).filter(([, state]) => state !== 'ok');
  const ok = Object.keys(report.workers).length - bad.length;
  const which = bad.map(([name, state]) => `${name}: ${state}`).join('; ');
  return `the server reports Health-Ok false: ${ok} of ${report.expectedWorkers} workers ok${which === '' ? '' : ` (${which})`}`;
}

/**
 * A 500 without a report: the disabled rate limiter, or a broken server. One request through the client, within
 * what is left of the deadline, tells them apart.
 */
async function explain500(
  services: HealthServices,
  body: string,
  deadline: number,
  signal: AbortSignal | undefined,
  at: {
    readonly statusCode: number;
    readonly headers: ResponseHeaders;
    readonly latencyMs: number;
  },
): Promise<HealthFailure> {
  const said = bodyExcerpt(body, 500);
  const left = deadline - services.now();
  if (left <= 0 || signal?.aborted === true) {
    return failed(
      'server-error',
      `${said} (from ${WHAT}; no time was left to tell a server without rate limits from a broken one)`,
      at,
    );
  }
  let probe: ResponseTuple<unknown, unknown> | undefined;
  try {
    probe = await services.request(
      PROBE_TYPE,
      { session_token: `health-probe-${newReqid()}`, client_ipaddr: '127.0.0.1' },
      {
        timeout: left,
        retry: false,
        validateResponse: false,
        ...(signal === undefined ? {} : { signal }),
      },
    );
  } catch {
    probe = undefined;
  }
  if (probe?.statusCode === 200) {
    return failed(
      'rate-limits-off',
      `${said} (from ${WHAT}, while requests are answered): the server runs with rate limiting off ` +
        '(AUTHNZERVER_RATELIMITS=none), which breaks GET /health; set large limits instead',
      at,
    );
  }
  const got =
    probe === undefined
      ? 'could not be sent'
      : `failed too (${probe.failure ?? 'unknown'}${probe.statusCode === null ? '' : `, HTTP ${probe.statusCode}`})`;
  const hint =
    probe?.statusCode === 400 ? ': the workers do not answer, as after a worker process died' : '';
  return failed(
    'server-error',
    `${said} (from ${WHAT}); a ${PROBE_TYPE} request ${got}${hint}`,
    at,
  );
}

/**
 * Reads `GET /health` within the deadline. Never throws for what the network or the server does.
 * @throws {RequestValidationError} (as a rejection) when an option is invalid; nothing is sent.
 */
export async function checkHealth(
  services: HealthServices,
  options: HealthOptions | undefined,
): Promise<HealthResult> {
  const { config } = services;
  const { timeout, signal } = checkOptions(options, config.timeouts.request);
  const url = healthUrl(config.url);
  const started = services.now();
  const sent = await sendOnce(
    config.transport,
    {
      method: 'GET',
      url,
      wire: '',
      maxResponseBytes: config.maxResponseBytes,
      attemptTimeout: undefined,
      remaining: timeout,
      deadlineMs: timeout,
    },
    signal,
  );
  const latencyMs = services.now() - started;
  const outcome = sent.outcome;
  if (!outcome.ok) {
    const { failure: problem } = outcome;
    return failed(problem.kind, `${problem.message} (${WHAT} at ${url.origin})`, {
      statusCode: problem.status ?? null,
      headers: problem.headers ?? null,
      latencyMs,
    });
  }
  const { status, headers, body } = outcome.response;
  const at = { statusCode: status, headers, latencyMs };
  if (status === 200 || status === 500) {
    const read = readReport(body);
    if ('report' in read) {
      if (status === 200 && read.healthy) {
        return Object.freeze({
          ok: true,
          healthy: true,
          statusCode: 200,
          failure: null,
          failureReason: null,
          latencyMs,
          headers,
          ...read.report,
          retryAfter: null,
        });
      }
      if (read.healthy) {
        return failed('server-error', `${WHAT} answered 500 with a report that says Health-Ok`, {
          ...at,
          report: read.report,
        });
      }
      return failed('unhealthy', unhealthyReason(read.report), { ...at, report: read.report });
    }
    if (status === 200) {
      return failed(
        'invalid-response',
        `${WHAT} answered 200 without a health report: ${read.problem}`,
        at,
      );
    }
    return explain500(services, body, started + timeout, signal, at);
  }
  const said = `${bodyExcerpt(body, status)} (from ${WHAT})`;
  if (status === 429) {
    return failed('rate-limited', said, {
      ...at,
      retryAfter: parseRetryAfter(headers['retry-after']),
    });
  }
  if (status === 400 && NGINX_CERT_PAGE.test(body)) return failed('tls', said, at);
  return failed(httpFailureKind(status), said, at);
}
