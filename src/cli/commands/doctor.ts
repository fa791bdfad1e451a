/**
 * `authnzerver doctor`: checks the configuration and the server (TLS, our key, each key of a list, latency, clock
 * skew, readiness), and prints a report with a verdict.
 */
import { parseArgs } from 'node:util';
import type { AuthnzerverOptions, ConfigSummary } from '../../client-options.js';
import { ConfigError } from '../../core/errors.js';
import { generateFernetKey } from '../../crypto/fernet.js';
import type { HealthResult } from '../../health.js';
import { Authnzerver } from '../../index.js';
import type { ResponseTuple } from '../../core/result.js';
import { CONNECTION_OPTIONS, clientOptions } from '../connection.js';
import { describeKeys, probeKeys } from '../doctor-keys.js';
import { HELP } from '../help.js';
import { EXIT, type Io } from '../io.js';
import { tlsProbe } from '../tls-probe.js';

/** One line of the report: a check that passed (true), failed (false), or only informs (null). */
interface Check {
  readonly ok: boolean | null;
  readonly label: string;
  readonly detail: string;
}

/** The report's last line, and the exit code that goes with it. */
interface Verdict {
  readonly text: string;
  readonly code: number;
}

/** What the harmless calls told: each round trip in ms, the clock skew in seconds, and the last answer. */
interface Calls {
  readonly roundTrips: readonly number[];
  readonly skew: number | null;
  readonly last: ResponseTuple<unknown, unknown>;
}

/** How many harmless calls the latency is measured over. */
const CALLS = 5;

/** A clock skew past this many seconds makes the verdict a warning. */
const MAX_SKEW_SECONDS = 30;

/** Runs `doctor` with the arguments after the command's name; returns the exit code. */
export async function doctor(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: CONNECTION_OPTIONS, strict: true });
  if (values.help === true) {
    io.stdout(HELP.doctor as string);
    return EXIT.ok;
  }
  const checks: Check[] = [];
  const report = (verdict: Verdict): number => {
    io.stdout(`authnzerver doctor\n${checks.map(reportLine).join('\n')}\n\n${verdict.text}\n`);
    return verdict.code;
  };

  const options = clientOptions(values, io.env);
  let client: Authnzerver;
  try {
    client = new Authnzerver(options);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    checks.push({ ok: false, label: 'configuration', detail: error.message });
    return report({
      text: `VERDICT: configuration error. Fix ${error.envVar ?? `\`${error.option}\``} and run doctor again.`,
      code: EXIT.error,
    });
  }
  checks.push(...configurationChecks(client.config));
  try {
    return report(await checkServer(client, options, checks));
  } finally {
    await client.close();
  }
}

/** A check as a line of the report: ✓ passed, ✗ failed, - informs. */
function reportLine(check: Check): string {
  const mark = check.ok === null ? '  - ' : check.ok ? '  ✓ ' : '  ✗ ';
  return `${mark}${check.label}: ${check.detail}`;
}

/** The lines of a configuration the client accepted: the URL, the secret (its fingerprints) and the TLS files. */
function configurationChecks(config: ConfigSummary): Check[] {
  const checks: Check[] = [
    {
      ok: true,
      label: 'URL',
      detail: `${config.url} (from ${config.urlFrom === 'env' ? 'AUTHNZERVER_URL' : '--url'})`,
    },
  ];
  const secretFrom = config.secretFrom === 'env' ? 'AUTHNZERVER_SECRET' : '--secret';
  const fingerprints = config.secretFingerprints;
  checks.push({
    ok: true,
    label: 'secret',
    detail:
      fingerprints.length === 1
        ? `a valid Fernet key (from ${secretFrom}, fingerprint ${fingerprints[0]}); not shown`
        : `${fingerprints.length} valid Fernet keys (from ${secretFrom}: ${fingerprints.map((f, i) => `${i + 1} = ${f}`).join(', ')}); not shown`,
  });
  const tlsFiles = [config.tls.cert, config.tls.key, config.tls.ca].filter((f) => f !== null);
  if (new URL(config.url).protocol === 'https:') {
    checks.push({
      ok: true,
      label: 'TLS files',
      detail:
        tlsFiles.length === 0 ? 'none (system CAs, no client certificate)' : tlsFiles.join(', '),
    });
  }
  return checks;
}

/**
 * The checks that talk to the server, in order: TLS, an answer, our key, each key of a list, latency, clock skew
 * and readiness. Each adds its line to `checks`. A failure ends them with its verdict; a clock skew or a failing
 * `/health` only makes the verdict a warning.
 */
async function checkServer(
  client: Authnzerver,
  options: AuthnzerverOptions,
  checks: Check[],
): Promise<Verdict> {
  const config = client.config;
  const url = new URL(config.url);
  if (url.protocol === 'https:') {
    const tls: Check = {
      label: 'TLS',
      ...(await tlsProbe(config.tls, url, config.timeouts.connect)),
    };
    checks.push(tls);
    if (tls.ok === false) {
      return {
        text: `VERDICT: FAIL, TLS to ${url.host} fails (${tls.detail}). Check the server certificate and --tls-ca.`,
        code: EXIT.refused,
      };
    }
  }
  const calls = await harmlessCalls(client);
  const where = url.origin;
  const refusal = checkAnswer(calls.last, where, checks);
  if (refusal !== undefined) return refusal;
  // With several keys: which of them the server (or each server behind this address) accepts.
  const fingerprints = config.secretFingerprints;
  if (fingerprints.length > 1) checks.push(describeKeys(await probeKeys(options, fingerprints)));
  const skew = skewCheck(calls.skew);
  const health = healthCheck(await client.health());
  checks.push(latencyCheck(calls.roundTrips), skew, health);
  if (skew.ok === false) {
    return {
      text: `VERDICT: WARN, the server works, but its clock is ${calls.skew} s off this machine's: session and API key expiry will be off by as much.`,
      code: EXIT.refused,
    };
  }
  if (health.ok === false) {
    return {
      text: 'VERDICT: WARN, the server answers and accepts our key, but GET /health fails (see its line): readiness probes on it will fail too.',
      code: EXIT.refused,
    };
  }
  return {
    text: `VERDICT: OK, the authnzerver at ${where} answers and accepts our key.`,
    code: EXIT.ok,
  };
}

/**
 * Sends harmless `session-exists` calls (a random token, which the server refuses), `CALLS` of them unless one
 * fails otherwise: their round trips, the clock skew from the first Date header, and the last answer.
 */
async function harmlessCalls(client: Authnzerver): Promise<Calls> {
  const roundTrips: number[] = [];
  let skew: number | null = null;
  let last: ResponseTuple<unknown, unknown> | undefined;
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const before = Date.now();
    last = await client.sessionExists({
      session_token: `doctor-${generateFernetKey().slice(0, 16)}`,
      client_ipaddr: '127.0.0.1',
    });
    roundTrips.push(performance.now() - started);
    const date = last.headers?.date;
    if (date !== undefined && skew === null) {
      // The Date header has whole seconds: compare it with the middle of the call.
      skew = Math.round((Date.parse(date) - (before + Date.now()) / 2) / 1000);
    }
    if (last.failure !== 'rejected' && last.failure !== null) break;
  }
  return { roundTrips, skew, last: last as ResponseTuple<unknown, unknown> };
}

/**
 * The server and key lines from the last harmless call: whether something answers at `where`, and whether it
 * decrypted our request. Returns the verdict when it did not, and nothing when our key was accepted.
 */
function checkAnswer(
  result: ResponseTuple<unknown, unknown>,
  where: string,
  checks: Check[],
): Verdict | undefined {
  if (result.failure === 'network' || result.failure === 'timeout') {
    checks.push({ ok: false, label: 'server', detail: result.failureReason });
    const proven =
      result.failure === 'network' && 'delivery' in result && result.delivery === 'not-sent';
    return {
      text: proven
        ? `VERDICT: FAIL, nothing answers at ${where} (${result.failureReason}). Is the authnzerver running, and is AUTHNZERVER_URL right?`
        : `VERDICT: FAIL, the server at ${where} does not answer in time (${result.failureReason}).`,
      code: EXIT.error,
    };
  }
  checks.push({
    ok: true,
    label: 'server',
    detail: `answers at ${where} (HTTP ${result.statusCode ?? '?'})`,
  });
  if (result.failure === 'unauthorized') {
    checks.push({
      ok: false,
      label: 'key',
      detail: 'HTTP 401: the server cannot decrypt our requests',
    });
    return {
      text: `VERDICT: FAIL, the server at ${where} refuses our key (HTTP 401): AUTHNZERVER_SECRET is not the secret this server uses, or this client's host is not in its allowed hosts.`,
      code: EXIT.refused,
    };
  }
  if (result.failure === 'tls') {
    checks.push({
      ok: false,
      label: 'TLS',
      detail: 'the TLS front refused our client certificate',
    });
    return {
      text: `VERDICT: FAIL, ${where} refuses our client certificate. Check --tls-cert and --tls-key.`,
      code: EXIT.refused,
    };
  }
  if (result.failure !== 'rejected' && result.failure !== null) {
    checks.push({
      ok: false,
      label: 'key',
      detail: `${result.failure}: ${result.failureReason ?? ''}`,
    });
    return {
      text: `VERDICT: FAIL, the server at ${where} answers, but not as an authnzerver does (${result.failure}).`,
      code: EXIT.refused,
    };
  }
  checks.push({
    ok: true,
    label: 'key',
    detail: 'accepted (a harmless session-exists got an encrypted answer)',
  });
  return undefined;
}

/** The latency line: the median round trip of the harmless calls. */
function latencyCheck(roundTrips: readonly number[]): Check {
  return {
    ok: null,
    label: 'latency',
    detail: `${median(roundTrips).toFixed(1)} ms median round trip over ${roundTrips.length} calls`,
  };
}

/** The clock skew line: the server's Date header against this machine's clock, if the server sent one. */
function skewCheck(skew: number | null): Check {
  return {
    ok: skew === null ? null : Math.abs(skew) <= MAX_SKEW_SECONDS,
    label: 'clock skew',
    detail:
      skew === null
        ? 'unknown (no Date header)'
        : `${skew >= 0 ? '+' : ''}${skew} s (server minus this machine)`,
  };
}

/** The middle of `values` (of an even count, the upper of the two). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The health line: `GET /health` as a readiness probe sees it. A 429 only says that the check was rate-limited. */
function healthCheck(health: HealthResult): Check {
  if (health.ok) {
    const ok = Object.values(health.workers).filter((state) => state === 'ok').length;
    return {
      ok: true,
      label: 'health',
      detail: `GET /health: Health-Ok, ${ok} of ${health.expectedWorkers} workers ok (${health.latencyMs.toFixed(1)} ms)`,
    };
  }
  return {
    ok: health.failure === 'rate-limited' ? null : false,
    label: 'health',
    detail: `GET /health: ${health.failure}: ${health.failureReason}`,
  };
}
