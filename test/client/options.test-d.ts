import { describe, expectTypeOf, it } from 'vitest';
import { Authnzerver, type AuthnzerverOptions, type CallOptions } from '../../src/index.js';
import { instrumentAuthnzerver } from '../../src/observe/otel.js';
import {
  createRecorder,
  createTestServer,
  InMemoryAuthnzerver,
  startProtocolServer,
  type ProtocolServer,
} from '../../src/testing/index.js';

// Options as real configurations write them (issue 20, item 7): under `exactOptionalPropertyTypes`, which
// `tsc --init` turns on and this repository's tsconfig.json has, every optional option accepts `undefined`, so
// that `secret: process.env.AUTHNZERVER_SECRET` (a `string | undefined`) compiles. The runtime takes `undefined`
// as absent (test/options.test.ts). This file passes when it compiles (vitest typecheck and `npm run typecheck`).

// @ts-expect-error this file is checked under exactOptionalPropertyTypes: `undefined` is not a `number` here
const probe: { readonly a?: number } = { a: undefined };
expectTypeOf(probe).toEqualTypeOf<{ readonly a?: number }>();

declare const maybeNumber: number | undefined;
declare const maybeBoolean: boolean | undefined;
declare const server: ProtocolServer;

describe('optional options accept undefined', () => {
  it('the client’s options, nested ones included', () => {
    const options: AuthnzerverOptions = {
      url: process.env.AUTHNZERVER_URL,
      secret: process.env.AUTHNZERVER_SECRET,
      tlsCertFile: process.env.AUTHNZERVER_TLS_CERTFILE,
      tlsKeyFile: process.env.AUTHNZERVER_TLS_KEYFILE,
      tlsCaFile: process.env.AUTHNZERVER_TLS_CAFILE,
      timeouts: { connect: maybeNumber, request: maybeNumber, login: maybeNumber },
      fetch: undefined,
      transport: undefined,
      maxResponseBytes: maybeNumber,
      maxRequestBytes: maybeNumber,
      validateResponses: maybeBoolean,
      connections: maybeNumber,
      keepAliveTimeout: maybeNumber,
      retry: {
        retries: maybeNumber,
        backoff: maybeNumber,
        maxBackoff: maybeNumber,
        attemptTimeout: maybeNumber,
        waitOnRateLimit: maybeBoolean,
      },
      hooks: { beforeRequest: undefined, afterResponse: undefined, onRetry: undefined },
      logger: undefined,
      logLevel: undefined,
      env: undefined,
    };
    expectTypeOf(new Authnzerver(options)).toEqualTypeOf<Authnzerver>();
    // The resolved configuration still has every deadline as a number.
    expectTypeOf<Authnzerver['config']['timeouts']['request']>().toEqualTypeOf<number>();
  });

  it('a call’s options', () => {
    const options: CallOptions = {
      reqid: undefined,
      timeout: maybeNumber,
      deadline: undefined,
      signal: undefined,
      validateResponse: maybeBoolean,
      retry: undefined,
    };
    void new Authnzerver().sessionExists({ session_token: 't', client_ipaddr: '::1' }, options);
    void new Authnzerver().health({ timeout: maybeNumber, signal: undefined });
  });

  it('the test kit’s and the OpenTelemetry entry’s options', () => {
    void createTestServer({
      secret: process.env.TEST_SECRET,
      port: maybeNumber,
      handlers: { sessionExists: undefined },
      authnzerver: { admin: { email: undefined, password: undefined }, serverName: undefined },
      rateLimits: { burst: maybeNumber, types: undefined },
      loginBackoff: { scale: maybeNumber, lockAfter: undefined, lockSeconds: undefined },
      now: undefined,
      allowedHosts: undefined,
      tls: undefined,
    });
    void startProtocolServer({ port: maybeNumber, tls: undefined });
    void new InMemoryAuthnzerver({ now: undefined }).addUser({
      email: 'a@example.com',
      password: 'p',
      fullName: undefined,
      role: undefined,
    });
    createRecorder({ max: maybeNumber, via: undefined, label: undefined });
    server.fault({ kind: 'slow-body', ms: 10, pieces: maybeNumber });
    server.fault({ kind: 'status', status: 503, body: undefined, headers: undefined });
    instrumentAuthnzerver({ tracerProvider: undefined, reqidFromTrace: maybeBoolean });
  });

  it('still refuses a value of the wrong type', () => {
    // @ts-expect-error a secret is a string, bytes or a list of them
    const secret: AuthnzerverOptions = { secret: 42 };
    // @ts-expect-error a deadline is a number of milliseconds
    const timeouts: AuthnzerverOptions = { timeouts: { request: '5s' } };
    // @ts-expect-error a misspelt option does not compile either (a ConfigError at run time)
    const misspelt: AuthnzerverOptions = { timeouts: { requst: 5000 } };
    expectTypeOf([secret, timeouts, misspelt]).items.toEqualTypeOf<AuthnzerverOptions>();
  });
});
