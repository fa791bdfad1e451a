/** `authnzerver request`: sends one request, checked against the catalogue first, and prints the response tuple. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Authnzerver, REQUEST_TYPES, specs } from '../../index.js';
import { redact } from '../../core/redact.js';
import type { ResponseTuple } from '../../core/result.js';
import type { RequestSpec } from '../../core/spec.js';
import { CONNECTION_OPTIONS, clientOptions } from '../connection.js';
import { HELP } from '../help.js';
import { EXIT, UsageError, type Io } from '../io.js';

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

/** Runs `request` with the arguments after the command's name; returns the exit code. */
export async function request(argv: string[], io: Io): Promise<number> {
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
