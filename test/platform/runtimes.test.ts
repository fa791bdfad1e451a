/**
 * The package's code in the real runtimes, each with its own platform module: Cloudflare Workers (workerd, in
 * Miniflare, without `nodejs_compat`), the Vercel edge runtime (`edge-runtime`), Bun and Deno (as child
 * processes, from node_modules). Each runs `probe.ts` against a test server in this process: real calls with the
 * default options and default transport, then the runtime's refusals, then `close()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { findNginx, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';
import {
  RUNTIME_LIMIT_MS as LIMIT_MS,
  makeScratch,
  reportFromChild,
  reportFromEdgeRuntime,
  reportFromWorkerd,
  runBundled,
  type ChildRuntime,
  type Scratch,
} from '../helpers/runtimes.js';
import type { ProbeInput, ProbeReport } from './probe.js';

let server: AuthnzerverTestServer;
let scratch: Scratch;

beforeAll(async () => {
  server = await createTestServer();
  // Bun and Deno load undici (Deno's platform) and the bundle's externals from here.
  scratch = makeScratch('authnzerver-runtimes-');
}, LIMIT_MS);

afterAll(async () => {
  await server.close();
  scratch.remove();
});

const input = (extra: Partial<ProbeInput> = {}): ProbeInput => ({
  url: server.url,
  secret: server.secret,
  ...extra,
});

const PROBE = "import { probe } from './test/platform/probe.ts';";

/** Bundles the probe for Bun or Deno and runs it there as a script. */
function probeIn(runtime: ChildRuntime, given: ProbeInput): Promise<ProbeReport> {
  return reportFromChild<ProbeReport>(
    runtime,
    scratch,
    `probe-${runtime}-${Math.random().toString(36).slice(2)}.mjs`,
    PROBE,
    `probe(${JSON.stringify(given)})`,
  );
}

/** What every runtime must report with the default options. */
function expectCalls(report: ProbeReport): void {
  expect(report.sessionNew).toBeNull();
  expect(report.sessionExists).toBeNull();
  expect(report.sameUser).toBe(true);
  expect(report.wrongPassword.failure).toBe('rejected');
  expect(report.wrongPassword.messages.length).toBeGreaterThan(0);
  expect(report.webFernet).toBe(true);
  expect(report.closed).toBe(true);
  expect(report.logged).toBe('rejected');
  expect(report.sync).toMatchObject({ name: 'ConfigError', option: 'sync' });
  expect(report.sync?.message).toMatch(/Node\.js only/);
}

describe('Cloudflare Workers (workerd in Miniflare)', () => {
  it.each([
    ['without compatibility flags', []],
    ['with nodejs_compat', ['nodejs_compat']],
  ])(
    '%s: calls with the fetch transport; TLS files, the sync API and `Fernet` are ConfigErrors',
    async (_, compatibilityFlags) => {
      const report = await reportFromWorkerd<ProbeReport>(
        PROBE,
        `probe(${JSON.stringify(input())})`,
        compatibilityFlags,
      );
      expectCalls(report);
      expect(report.transport).toBe('fetch');
      expect(report.sync?.message).toContain('Cloudflare Workers (workerd)');
      expect(report.tlsOptions).toMatchObject({ name: 'ConfigError', option: 'tlsCertFile' });
      expect(report.tlsOptions?.message).toContain('Cloudflare Workers (workerd) cannot use TLS');
      expect(report.fernet).toMatchObject({ name: 'ConfigError' });
      expect((report.fernet as { message: string }).message).toContain('WebFernet');
    },
    LIMIT_MS,
  );
});

describe('the Vercel edge runtime (edge-runtime)', () => {
  it(
    'calls with the fetch transport; TLS files, the sync API and `Fernet` are ConfigErrors',
    async () => {
      const report = await reportFromEdgeRuntime<ProbeReport>(
        PROBE,
        `probe(${JSON.stringify(input())})`,
      );
      expectCalls(report);
      expect(report.transport).toBe('fetch');
      expect(report.tlsOptions).toMatchObject({ name: 'ConfigError', option: 'tlsCertFile' });
      expect(report.tlsOptions?.message).toContain('the edge runtime (edge-light) cannot use TLS');
      expect(report.fernet).toMatchObject({ name: 'ConfigError' });
    },
    LIMIT_MS,
  );
});

describe('Bun (node_modules/.bin/bun)', () => {
  it(
    'calls with the fetch transport; `Fernet` works (node:crypto); the sync API is a ConfigError',
    async () => {
      const report = await probeIn('bun', input());
      expectCalls(report);
      expect(report.transport).toBe('fetch');
      expect(report.sync?.message).toContain('Bun');
      expect(report.fernet).toBe('ok');
      // TLS files are read at construction on Bun: these do not exist.
      expect(report.tlsOptions).toMatchObject({ name: 'ConfigError', option: 'tlsCertFile' });
      expect(report.tlsOptions?.message).toContain('cannot be read');
    },
    LIMIT_MS,
  );
});

describe('Deno (node_modules/.bin/deno)', () => {
  it(
    'calls with the undici transport; `Fernet` works (node:crypto); the sync API is a ConfigError',
    async () => {
      const report = await probeIn('deno', input());
      expectCalls(report);
      expect(report.transport).toBe('undici');
      expect(report.sync?.message).toContain('Deno');
      expect(report.fernet).toBe('ok');
      expect(report.tlsOptions).toMatchObject({ name: 'ConfigError', option: 'tlsCertFile' });
      expect(report.tlsOptions?.message).toContain('cannot be read');
    },
    LIMIT_MS,
  );
});

describe('the CLI is Node.js only', () => {
  it.each(['bun', 'deno'] as const)(
    'on %s it says so and exits with status 2',
    async (runtime) => {
      const run = await runBundled(
        runtime,
        scratch,
        `bin-${runtime}.mjs`,
        "import './src/cli/bin.ts';",
        ['keygen'],
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/command line tool is Node\.js only, and this is (Bun|Deno)/);
    },
    LIMIT_MS,
  );
});

// The TLS client certificate tests need nginx and openssl, as test/tls.test.ts: skipped with the reason printed,
// or a failure under AUTHNZERVER_REQUIRE_NGINX=1 (CI).
const nginx = findNginx();
if (!nginx.found) {
  if (process.env.AUTHNZERVER_REQUIRE_NGINX === '1') {
    throw new Error(`AUTHNZERVER_REQUIRE_NGINX=1 but nginx cannot run: ${nginx.reason}`);
  }
  console.warn(
    `test/platform/runtimes.test.ts: skipping the Bun and Deno TLS client certificate tests: ${nginx.reason}`,
  );
}

describe.skipIf(!nginx.found)(
  'TLS client certificates on Bun and Deno, through nginx that checks them',
  () => {
    let pki: TestPki;
    let proxy: RunningNginx;

    beforeAll(async () => {
      if (!nginx.found) throw new Error('unreachable: the suite is skipped without nginx');
      pki = makeTestPki();
      proxy = await startNginx({
        nginx,
        upstreams: [new URL(server.url).host],
        serverCert: pki.server.certFile,
        serverKey: pki.server.keyFile,
        clientCa: pki.caFile,
      });
    }, LIMIT_MS);

    afterAll(async () => {
      await proxy.stop();
      pki.remove();
    });

    const tls = (pair: { certFile: string; keyFile: string } | undefined) => ({
      url: proxy.url,
      caFile: pki.caFile,
      ...(pair === undefined ? {} : { certFile: pair.certFile, keyFile: pair.keyFile }),
    });

    it.each(['bun', 'deno'] as const)(
      '%s presents the client certificate, trusts the CA, and is refused without a valid certificate',
      async (runtime) => {
        const mark = proxy.accessLog().length;
        const valid = await probeIn(runtime, input({ tls: tls(pki.client) }));
        expect(valid.tls).toEqual({ failure: null, reason: null });
        const entries = await proxy.waitForAccessLog(mark, 1);
        expect(entries.map((entry) => entry.clientVerify)).toEqual(['SUCCESS']);

        const without = await probeIn(runtime, input({ tls: tls(undefined) }));
        expect((without.tls as { failure: string | null }).failure).not.toBeNull();
        const stranger = await probeIn(runtime, input({ tls: tls(pki.otherCaClient) }));
        expect((stranger.tls as { failure: string | null }).failure).not.toBeNull();
      },
      LIMIT_MS * 3,
    );

    it(
      'Deno refuses TLS files with transport "undici": they go through Deno.createHttpClient',
      async () => {
        const report = await probeIn(
          'deno',
          input({ tls: { ...tls(pki.client), transport: 'undici' } }),
        );
        expect(report.tls).toMatchObject({ name: 'ConfigError', option: 'transport' });
      },
      LIMIT_MS,
    );
  },
);
