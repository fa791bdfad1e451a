/**
 * `authnzerver doctor`: checks the configuration and the server (TLS, our key, each key of a list, latency, clock
 * skew, readiness), and prints a report with a verdict.
 */
import { parseArgs } from 'node:util';
import { Authnzerver } from '../../index.js';
import { ConfigError } from '../../errors.js';
import { generateFernetKey } from '../../fernet.js';
import type { HealthResult } from '../../health.js';
import type { ResponseTuple } from '../../result.js';
import { CONNECTION_OPTIONS, clientOptions } from '../connection.js';
import { describeKeys, probeKeys } from '../doctor-keys.js';
import { HELP } from '../help.js';
import { EXIT, type Io } from '../io.js';
import { tlsProbe } from '../tls-probe.js';

interface Check {
  readonly ok: boolean | null;
  readonly label: string;
  readonly detail: string;
}

function median(values: number[]): number {
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

/** Runs `doctor` with the arguments after the command's name; returns the exit code. */
export async function doctor(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: CONNECTION_OPTIONS, strict: true });
  if (values.help === true) {
    io.stdout(HELP.doctor as string);
    return EXIT.ok;
  }
  const checks: Check[] = [];
  const report = (verdict: string, code: number): number => {
    const mark = (ok: boolean | null): string => (ok === null ? '  - ' : ok ? '  ✓ ' : '  ✗ ');
    io.stdout(
      `authnzerver doctor\n${checks.map((c) => `${mark(c.ok)}${c.label}: ${c.detail}`).join('\n')}\n\n${verdict}\n`,
    );
    return code;
  };

  const options = clientOptions(values, io.env);
  let client: Authnzerver;
  try {
    client = new Authnzerver(options);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    checks.push({ ok: false, label: 'configuration', detail: error.message });
    return report(
      `VERDICT: configuration error. Fix ${error.envVar ?? `\`${error.option}\``} and run doctor again.`,
      EXIT.error,
    );
  }
  const config = client.config;
  const url = new URL(config.url);
  checks.push({
    ok: true,
    label: 'URL',
    detail: `${config.url} (from ${config.urlFrom === 'env' ? 'AUTHNZERVER_URL' : '--url'})`,
  });
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
  if (url.protocol === 'https:') {
    checks.push({
      ok: true,
      label: 'TLS files',
      detail:
        tlsFiles.length === 0 ? 'none (system CAs, no client certificate)' : tlsFiles.join(', '),
    });
  }

  try {
    if (url.protocol === 'https:') {
      const tls: Check = {
        label: 'TLS',
        ...(await tlsProbe(config.tls, url, config.timeouts.connect)),
      };
      checks.push(tls);
      if (tls.ok === false) {
        return report(
          `VERDICT: FAIL, TLS to ${url.host} fails (${tls.detail}). Check the server certificate and --tls-ca.`,
          EXIT.refused,
        );
      }
    }

    const samples: number[] = [];
    let skew: number | null = null;
    let last: ResponseTuple<unknown, unknown> | undefined;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const before = Date.now();
      last = await client.sessionExists({
        session_token: `doctor-${generateFernetKey().slice(0, 16)}`,
        client_ipaddr: '127.0.0.1',
      });
      samples.push(performance.now() - started);
      const date = last.headers?.date;
      if (date !== undefined && skew === null) {
        // The Date header has whole seconds: compare it with the middle of the call.
        skew = Math.round((Date.parse(date) - (before + Date.now()) / 2) / 1000);
      }
      if (last.failure !== 'rejected' && last.failure !== null) break;
    }
    const result = last as ResponseTuple<unknown, unknown>;
    const where = url.origin;
    if (result.failure === 'network' || result.failure === 'timeout') {
      checks.push({ ok: false, label: 'server', detail: result.failureReason });
      const proven =
        result.failure === 'network' && 'delivery' in result && result.delivery === 'not-sent';
      return report(
        proven
          ? `VERDICT: FAIL, nothing answers at ${where} (${result.failureReason}). Is the authnzerver running, and is AUTHNZERVER_URL right?`
          : `VERDICT: FAIL, the server at ${where} does not answer in time (${result.failureReason}).`,
        EXIT.error,
      );
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
      return report(
        `VERDICT: FAIL, the server at ${where} refuses our key (HTTP 401): AUTHNZERVER_SECRET is not the secret this server uses, or this client's host is not in its allowed hosts.`,
        EXIT.refused,
      );
    }
    if (result.failure === 'tls') {
      checks.push({
        ok: false,
        label: 'TLS',
        detail: 'the TLS front refused our client certificate',
      });
      return report(
        `VERDICT: FAIL, ${where} refuses our client certificate. Check --tls-cert and --tls-key.`,
        EXIT.refused,
      );
    }
    if (result.failure !== 'rejected' && result.failure !== null) {
      checks.push({
        ok: false,
        label: 'key',
        detail: `${result.failure}: ${result.failureReason ?? ''}`,
      });
      return report(
        `VERDICT: FAIL, the server at ${where} answers, but not as an authnzerver does (${result.failure}).`,
        EXIT.refused,
      );
    }
    checks.push({
      ok: true,
      label: 'key',
      detail: 'accepted (a harmless session-exists got an encrypted answer)',
    });
    // With several keys: which of them the server (or each server behind this address) accepts.
    if (fingerprints.length > 1) checks.push(describeKeys(await probeKeys(options, fingerprints)));
    checks.push({
      ok: null,
      label: 'latency',
      detail: `${median(samples).toFixed(1)} ms median round trip over ${samples.length} calls`,
    });
    const skewOk = skew === null || Math.abs(skew) <= 30;
    checks.push({
      ok: skew === null ? null : skewOk,
      label: 'clock skew',
      detail:
        skew === null
          ? 'unknown (no Date header)'
          : `${skew >= 0 ? '+' : ''}${skew} s (server minus this machine)`,
    });
    const health = healthCheck(await client.health());
    checks.push(health);
    if (!skewOk) {
      return report(
        `VERDICT: WARN, the server works, but its clock is ${skew} s off this machine's: session and API key expiry will be off by as much.`,
        EXIT.refused,
      );
    }
    if (health.ok === false) {
      return report(
        'VERDICT: WARN, the server answers and accepts our key, but GET /health fails (see its line): readiness probes on it will fail too.',
        EXIT.refused,
      );
    }
    return report(`VERDICT: OK, the authnzerver at ${where} answers and accepts our key.`, EXIT.ok);
  } finally {
    await client.close();
  }
}
