import { readFileSync } from 'node:fs';

import { type Attributes } from '@opentelemetry/api';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { Authnzerver, RequestValidationError, generateFernetKey } from '../../src/index.js';

import { startProtocolServer } from '../../src/testing/protocol-server.js';
import {
  IP,
  READ_BODY,
  SECRETS,
  WRITE_BODY,
  catalogueHandler,
} from '../helpers/catalogue-handler.js';

import { DEADLINE_MS, FAULT_TABLE } from '../helpers/faults.js';

import { closedPort } from '../helpers/processes.js';

import { rig } from '../helpers/otel.js';

/**
 * `authnzerver/otel` never lets a secret into a span or a metric point, and the package ships it as its own entry
 * point, with `@opentelemetry/api` an optional peer loaded by that entry point only.
 */

describe('no secret ever leaks into a span or a metric point', () => {
  it('over logins, replies with tokens, the fault table faults and refused requests', async () => {
    const server = await startProtocolServer({ handler: catalogueHandler });
    const r = rig();
    const spans: ReadableSpan[] = [];
    const c = new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: { backoff: 5, maxBackoff: 10, attemptTimeout: 200 },
    });
    const login = {
      session_token: SECRETS.sessionToken,
      email: 'alice@example.com',
      password: SECRETS.password,
      client_ipaddr: IP,
    };
    try {
      await c.userLogin(login);
      await c.userLogin({ ...login, password: SECRETS.newPassword });
      await c.sessionExists({ session_token: SECRETS.refreshToken, client_ipaddr: IP });
      await c.sessionNew(WRITE_BODY); // its reply carries a session token
      await c.apikeyNewNosession({
        issuer: 'test',
        audience: 'api',
        subject: '/x',
        apiversion: 1,
        expires_seconds: 60,
        not_valid_before: 0,
        user_id: 4,
        user_role: 'authenticated',
        ip_address: IP,
        refresh_expires: 60,
        refresh_nbf: 0,
        client_ipaddr: IP,
      });
      // Each fault of the table, met by a login and by a read (which retries), each on a fresh client as in the
      // table (so that no pooled connection hides a fault).
      const refused = `http://127.0.0.1:${await closedPort()}/`;
      for (const row of FAULT_TABLE) {
        for (const side of ['login', 'read'] as const) {
          const rowClient = new Authnzerver({
            url: row.target === 'closed-port' ? refused : server.url,
            secret: row.wrongSecret === true ? generateFernetKey() : server.secret,
            timeouts: { request: DEADLINE_MS, login: DEADLINE_MS },
            retry: { backoff: 5, maxBackoff: 10, ...row.retry },
          });
          for (const fault of row.faults ?? []) server.fault(fault);
          if (side === 'login') await rowClient.userLogin(login);
          else await rowClient.sessionExists(READ_BODY);
          await rowClient.close();
          expect(server.pendingFaults(), `${row.name} (${side}): faults no call met`).toBe(0);
        }
      }
      for (const bad of [
        { ...login, password: 42 },
        { ...login, remember: SECRETS.password },
        { session_token: SECRETS.sessionToken, email: 'a', client_ipaddr: IP },
      ]) {
        await expect(c.userLogin(bad as never)).rejects.toThrow(RequestValidationError);
      }
      spans.push(...(await r.take()));
      const points = await r.points();
      await server.idle();

      expect(spans.length).toBe(5 + 2 * FAULT_TABLE.length + 3);
      const text = JSON.stringify([
        spans.map((s) => ({
          name: s.name,
          attributes: s.attributes,
          events: s.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {} })),
          status: s.status,
          links: s.links,
        })),
        points.map((p): Attributes => p.attributes),
      ]);
      expect(text).toContain('authnzerver.reqid');
      expect(text).toContain('"retry"');
      for (const [name, secret] of [
        ...Object.entries(SECRETS),
        ['fernet key', server.secret] as const,
      ]) {
        expect(text.includes(secret), `${name} leaked`).toBe(false);
      }
    } finally {
      await c.close();
      await r.close();
      await server.close();
    }
  }, 120_000);
});

describe('the package', () => {
  it('exports authnzerver/otel, with @opentelemetry/api as an optional peer', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    // Both builds (docs/commonjs.md): the ES module for `import`, CommonJS for `require`.
    expect(pkg.exports['./otel'].import).toEqual({
      types: './dist/src/otel.d.ts',
      default: './dist/src/otel.js',
    });
    expect(pkg.exports['./otel'].require).toEqual({
      types: './dist/cjs/src/otel.d.cts',
      default: './dist/cjs/src/otel.cjs',
    });
    expect(pkg.typesVersions['*'].otel).toEqual(['./dist/cjs/src/otel.d.cts']);
    expect(pkg.peerDependencies['@opentelemetry/api']).toBeDefined();
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    expect(pkg.dependencies?.['@opentelemetry/api']).toBeUndefined();
  });

  it("has docs/tracing.md's CallTrace table as docs/client.md's", () => {
    /** The markdown table whose header starts with `| field`. */
    const table = (file: string): string[] => {
      const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
      const start = lines.findIndex((line) => /^\| field\s+\| what/.test(line));
      const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
      return lines.slice(start, end);
    };
    const readme = table('../../docs/client.md');
    expect(readme.join('\n')).toContain('`retries`');
    expect(table('../../docs/tracing.md')).toEqual(readme);
  });

  it('loads @opentelemetry/api from authnzerver/otel only, never from the main entry points', () => {
    /** Every module reachable from `entry` by static or dynamic relative imports, and the bare specifiers. */
    const graph = (entry: URL): { files: Set<string>; bare: Set<string> } => {
      const files = new Set<string>();
      const bare = new Set<string>();
      const visit = (file: URL): void => {
        if (files.has(file.href)) return;
        files.add(file.href);
        // Block comments (JSDoc examples) hold imports that are not the module's own.
        const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        for (const [, specifier] of text.matchAll(
          /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm,
        )) {
          if (specifier === undefined) continue;
          if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), file));
          else bare.add(specifier);
        }
      };
      visit(entry);
      return { files, bare };
    };
    const otel = new URL('../../src/otel.ts', import.meta.url).href;
    for (const entry of ['index.ts', 'runtime.ts', 'testing/index.ts']) {
      const { files, bare } = graph(new URL(`../../src/${entry}`, import.meta.url));
      expect(files.size, entry).toBeGreaterThan(5);
      expect(files.has(otel), entry).toBe(false);
      expect(
        [...bare].filter((s) => s.startsWith('@opentelemetry/')),
        entry,
      ).toEqual([]);
    }
    expect(graph(new URL(otel)).bare).toContain('@opentelemetry/api');
  });
});
