import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { parseArgs } from 'node:util';
import { Authnzerver, REQUEST_TYPES, specs } from '../index.js';
import { AuthnzerverError, ConfigError, RequestValidationError } from '../errors.js';
import { generateFernetKey } from '../fernet.js';
import { describeKeys, probeKeys } from './doctor-keys.js';
import { redact } from '../redact.js';
import type { HealthResult } from '../health.js';
import type { ResponseTuple } from '../result.js';
import type { RequestSpec } from '../spec.js';
import { CONNECTION_OPTIONS, clientOptions } from './connection.js';
import { HELP } from './help.js';
import { EXIT, UsageError, type Io } from './io.js';

/**
 * The `authnzerver` command: `keygen`, `request` and `doctor`. `main` takes the arguments and the streams, and
 * returns the exit code, so tests can run it in-process as well as the bin as a child process.
 */

/** The tuple as JSON, with the reply's secret fields masked unless asked for. */
export function tupleJson(
  result: ResponseTuple<unknown, unknown>,
  spec: RequestSpec | undefined,
  showSecrets: boolean,
): string {
  const extra: Record<string, unknown> = {};
  for (const key of ['problems', 'retryAfter', 'delivery', 'issues'] as const) {
    if (key in result) extra[key] = (result as unknown as Record<string, unknown>)[key];
  }
  const response = showSecrets
    ? result.response
    : redact(result.response, spec?.secrets.response ?? []);
  return `${JSON.stringify(
    {
      success: result.success,
      response,
      messages: result.messages,
      headers: result.headers,
      statusCode: result.statusCode,
      failureReason: result.failureReason,
      reqid: result.reqid,
      failure: result.failure,
      attempts: result.attempts,
      ...extra,
    },
    null,
    2,
  )}\n`;
}

function readBody(text: string | undefined, io: Io): unknown {
  if (text === undefined) return {};
  let source = text;
  let where = '--body';
  if (text === '-') {
    source = io.stdin();
    where = 'standard input';
  } else if (text.startsWith('@')) {
    where = text.slice(1);
    try {
      source = readFileSync(where, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read the body file ${where}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`the body from ${where} is not JSON: ${(error as Error).message}`);
  }
}

async function request(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...CONNECTION_OPTIONS,
      body: { type: 'string' },
      reqid: { type: 'string' },
      'client-ip': { type: 'string' },
      'show-secrets': { type: 'boolean' },
      list: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout(HELP.request as string);
    return EXIT.ok;
  }
  if (values.list === true) {
    io.stdout(`${REQUEST_TYPES.join('\n')}\n`);
    return EXIT.ok;
  }
  const [type, ...rest] = positionals;
  if (type === undefined)
    throw new UsageError('request needs a request type, e.g. "authnzerver request session-exists"');
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const spec = (specs as Readonly<Record<string, RequestSpec | undefined>>)[type];
  if (spec === undefined) {
    io.stderr(`note: '${type}' is not in the catalogue; it is sent as it is, without validation\n`);
  }

  const body = readBody(values.body, io);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UsageError('the body must be a JSON object');
  }
  const withIp = {
    ...(body as Record<string, unknown>),
    client_ipaddr:
      values['client-ip'] ?? (body as Record<string, unknown>).client_ipaddr ?? '127.0.0.1',
  };
  const reqid =
    values.reqid === undefined
      ? undefined
      : /^-?\d+$/.test(values.reqid)
        ? Number(values.reqid)
        : values.reqid;

  const client = new Authnzerver(clientOptions(values, io.env));
  try {
    const result = await client.request(
      type,
      withIp as never,
      reqid === undefined ? undefined : { reqid },
    );
    io.stdout(tupleJson(result, spec, values['show-secrets'] === true));
    if (result.success) return EXIT.ok;
    return result.failure === 'rejected' || result.failure === 'invalid-params'
      ? EXIT.refused
      : EXIT.error;
  } finally {
    await client.close();
  }
}

function keygen(argv: string[], io: Io): number {
  const { values } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    io.stdout(HELP.keygen as string);
    return EXIT.ok;
  }
  io.stdout(`${generateFernetKey()}\n`);
  return EXIT.ok;
}

interface Check {
  readonly ok: boolean | null;
  readonly label: string;
  readonly detail: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What the TLS handshake tells: the protocol and the server certificate's subject and expiry. */
function tlsProbe(
  files: { readonly cert: string | null; readonly key: string | null; readonly ca: string | null },
  url: URL,
  timeout: number,
): Promise<Check> {
  return new Promise((resolve) => {
    const read = (file: string | null): Buffer | undefined =>
      file === null ? undefined : readFileSync(file);
    const cert = read(files.cert);
    const key = read(files.key);
    const ca = read(files.ca);
    const options: ConnectionOptions = {
      host: url.hostname,
      port: Number(url.port || 443),
      timeout,
      ...(/^[\d.]+$|:/.test(url.hostname) ? {} : { servername: url.hostname }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(ca === undefined ? {} : { ca }),
    };
    const socket = tlsConnect(options);
    const done = (check: Check): void => {
      socket.destroy();
      resolve(check);
    };
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const subject = typeof peer.subject.CN === 'string' ? peer.subject.CN : 'unknown';
      done({
        ok: true,
        label: 'TLS',
        detail: `${socket.getProtocol() ?? 'TLS'}, server certificate for ${subject}, valid until ${peer.valid_to}; client certificate ${cert === undefined ? 'not sent' : 'sent'}`,
      });
    });
    socket.once('timeout', () => {
      done({ ok: false, label: 'TLS', detail: 'the handshake timed out' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done({
        ok: false,
        label: 'TLS',
        detail: `the handshake failed: ${error.code ?? ''} ${error.message}`.trim(),
      });
    });
  });
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

async function doctor(argv: string[], io: Io): Promise<number> {
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
      const tls = await tlsProbe(config.tls, url, config.timeouts.connect);
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

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP.main as string);
        return command === undefined ? EXIT.error : EXIT.ok;
      case 'keygen':
        return keygen(rest, io);
      case 'request':
        return await request(rest, io);
      case 'doctor':
        return await doctor(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
    ) {
      io.stderr(
        `authnzerver: ${(error as Error).message}\n\n${HELP[command ?? 'main'] ?? HELP.main}`,
      );
      return EXIT.error;
    }
    if (RequestValidationError.is(error) || AuthnzerverError.is(error)) {
      io.stderr(`authnzerver: ${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }
}
