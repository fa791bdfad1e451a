/**
 * What the runtime tests run inside each runtime (bundled by `bundle.ts` with that runtime's platform): real
 * calls to a test server in the test's Node process with the default options, and the runtime's refusals (the
 * sync API; TLS files where the runtime cannot use them; the synchronous `Fernet` class without node:crypto).
 * It reports what happened as JSON; the test judges it.
 */
import {
  Authnzerver,
  ConfigError,
  Fernet,
  WebFernet,
  type AuthnzerverOptions,
} from '../../src/index.js';

export interface ProbeInput {
  readonly url: string;
  readonly secret: string;
  /** TLS files for a second client (Bun, Deno): the URL of an nginx that checks client certificates. */
  readonly tls?: {
    readonly url: string;
    readonly certFile?: string;
    readonly keyFile?: string;
    readonly caFile: string;
    readonly transport?: 'undici' | 'fetch';
  };
}

/** A thrown error, as the test sees it. */
interface Thrown {
  readonly name: string;
  readonly option?: string;
  readonly message: string;
}

export interface ProbeReport {
  readonly transport: string;
  /** session-new then session-exists of its token. */
  readonly sessionNew: string | null;
  readonly sessionExists: string | null;
  readonly sameUser: boolean;
  /** A user-login with a wrong password: the failure kind and the server's message. */
  readonly wrongPassword: { readonly failure: string | null; readonly messages: readonly string[] };
  readonly sync: Thrown | null;
  readonly tlsOptions: Thrown | null;
  readonly fernet: Thrown | 'ok';
  readonly webFernet: boolean;
  /** A call logged at `debug` by the default logger (stderr, or the console where there is no stderr). */
  readonly logged: string | null;
  /** With TLS files: the session-new through nginx (failure kind, null on success), or what threw. */
  readonly tls: { readonly failure: string | null; readonly reason: string | null } | Thrown | null;
  readonly closed: boolean;
}

function thrown(error: unknown): Thrown {
  const e = error as { name?: string; option?: string; message?: string };
  return {
    name: ConfigError.is(error) ? 'ConfigError' : String(e.name),
    ...(e.option === undefined ? {} : { option: e.option }),
    message: String(e.message),
  };
}

function attempt(run: () => unknown): Thrown | null {
  try {
    run();
    return null;
  } catch (error) {
    return thrown(error);
  }
}

const IP = '203.0.113.9';

/** Runs every check and reports. */
export async function probe(input: ProbeInput): Promise<ProbeReport> {
  const client = new Authnzerver({ url: input.url, secret: input.secret, env: {} });
  const created = await client.sessionNew({
    ip_address: IP,
    user_agent: 'probe',
    user_id: null,
    // A naive UTC ISO datetime with microseconds, a week ahead.
    expires: new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/Z$/, '000'),
    extra_info_json: null,
    client_ipaddr: IP,
  });
  const token = created.success ? created.response.session_token : 'none';
  const exists = await client.sessionExists({ session_token: token, client_ipaddr: IP });
  let tls: ProbeReport['tls'] = null;
  if (input.tls !== undefined) {
    const options: AuthnzerverOptions = {
      url: input.tls.url,
      secret: input.secret,
      env: {},
      tlsCaFile: input.tls.caFile,
      ...(input.tls.certFile === undefined ? {} : { tlsCertFile: input.tls.certFile }),
      ...(input.tls.keyFile === undefined ? {} : { tlsKeyFile: input.tls.keyFile }),
      ...(input.tls.transport === undefined ? {} : { transport: input.tls.transport }),
    };
    try {
      const secure = new Authnzerver(options);
      const result = await secure.sessionExists({ session_token: token, client_ipaddr: IP });
      tls = { failure: result.failure, reason: result.failureReason };
      await secure.close();
    } catch (error) {
      tls = thrown(error);
    }
  }
  // Last: a log-in deletes the anonymous session it starts from.
  const login = await client.userLogin({
    session_token: token,
    email: 'nobody@example.com',
    password: 'not the password',
    client_ipaddr: IP,
  });
  const verbose = new Authnzerver({
    url: input.url,
    secret: input.secret,
    env: {},
    logLevel: 'debug',
  });
  const logged = await verbose.sessionExists({ session_token: 'none', client_ipaddr: IP });
  await verbose.close();
  const web = new WebFernet(input.secret);
  const report: ProbeReport = {
    transport: client.config.transport,
    sessionNew: created.failure,
    sessionExists: exists.failure,
    sameUser: exists.success && exists.response.session_info.user_id === 2,
    wrongPassword: { failure: login.failure, messages: login.messages },
    sync: attempt(() => client.sync.sessionExists({ session_token: token, client_ipaddr: IP })),
    tlsOptions: attempt(
      () =>
        new Authnzerver({
          url: 'https://127.0.0.1:1/',
          secret: input.secret,
          env: {},
          tlsCertFile: 'client.pem',
          tlsKeyFile: 'client.key',
        }),
    ),
    fernet: attempt(() => new Fernet(input.secret).encrypt('x')) ?? 'ok',
    webFernet:
      new TextDecoder().decode(await web.decrypt(await web.encrypt('round trip'))) === 'round trip',
    tls,
    logged: logged.failure,
    closed: false,
  };
  await client.close();
  return { ...report, closed: true };
}
