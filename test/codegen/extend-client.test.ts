import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/test-server.js';
import { runCli } from '../helpers/codegen-cli.js';
import { typeErrors } from '../helpers/compile.js';
import { catalogueFolder, FIXTURE, OURS, ROOT } from './generator/extend-helpers.js';

/**
 * A client generated from a catalogue that extends ours (test/fixtures/codegen/extending.yaml): it has every method
 * and imports the runtime from authnzerver/runtime, type-checks against the sources, and its custom type is answered
 * by a typed test-server handler over HTTP.
 */

const generate = runCli;
const { dir } = catalogueFolder();

const yaml = join(dir, 'widgets.yaml');
const out = join(dir, 'client');
// The same client, importing the runtime from src/ by a relative path, for the call over HTTP in vitest (which does
// not read tsconfig paths); the type check uses the one that imports authnzerver/runtime.
const local = join(dir, 'local');
let server: AuthnzerverTestServer | undefined;

let written: { code: number; out: string; err: string };
beforeAll(async () => {
  cpSync(FIXTURE, yaml);
  written = await generate('--catalogue', yaml, '--out', out);
  const relativeRuntime = `${relative(local, join(ROOT, 'src'))}/runtime.js`;
  const second = await generate(
    '--catalogue',
    yaml,
    '--out',
    local,
    '--runtime-import',
    relativeRuntime,
  );
  expect(second.code, second.err).toBe(0);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('a client generated from a catalogue that extends ours', () => {
  it('has every method, ours and the new one, and imports the runtime from authnzerver/runtime', () => {
    expect(written.code, written.err).toBe(0);
    expect(written.out).toContain('5 written');
    const client = readFileSync(join(out, 'client.ts'), 'utf8');
    expect(client).toMatch(/from 'authnzerver\/runtime';/);
    expect(client).toContain(
      'export class WidgetsAuthnzerver extends AuthnzerverClient<T.WidgetsAuthnzerverRequests>',
    );
    const methods = [...client.matchAll(/^ {2}([a-z][A-Za-z]+)\(\n? *body: T\./gm)].map(
      (m) => m[1],
    );
    expect(new Set(methods).size).toBe(39);
    expect(methods).toEqual(
      expect.arrayContaining(['widgetGet', 'sessionExists', 'userLogin', 'internalSessionEdit']),
    );
    expect(readFileSync(join(out, 'types.ts'), 'utf8')).toContain('readonly tenant?: string');
  });

  it('--check works the same way: up to date, then stale when the extension or its base changes', async () => {
    const check = await generate('--catalogue', yaml, '--out', out, '--check');
    expect(check.code, check.err).toBe(0);
    writeFileSync(yaml, readFileSync(FIXTURE, 'utf8').replace('Read one widget', 'Read a widget'));
    const stale = await generate('--catalogue', yaml, '--out', out, '--check');
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('changed: client.ts');
    writeFileSync(yaml, readFileSync(FIXTURE, 'utf8'));

    // A new release of the base (here a copy of ours, extended by path) makes the generated client stale too.
    const baseDir = join(dir, 'base');
    mkdirSync(baseDir, { recursive: true });
    cpSync(OURS, join(baseDir, 'authnzerver.yaml'));
    const byPath = join(dir, 'by-path.yaml');
    writeFileSync(
      byPath,
      readFileSync(FIXTURE, 'utf8').replace(
        'extends: authnzerver',
        'extends: ./base/authnzerver.yaml',
      ),
    );
    const pathOut = join(dir, 'by-path');
    expect((await generate('--catalogue', byPath, '--out', pathOut)).code).toBe(0);
    expect((await generate('--catalogue', byPath, '--out', pathOut, '--check')).code).toBe(0);
    writeFileSync(
      join(baseDir, 'authnzerver.yaml'),
      readFileSync(OURS, 'utf8').replace(
        'End a session by deleting its token.',
        'End a session by deleting its token (new release).',
      ),
    );
    const baseChanged = await generate('--catalogue', byPath, '--out', pathOut, '--check');
    expect(baseChanged.code).toBe(1);
    expect(baseChanged.err).toContain('changed: client.ts');
  });
});

describe('a client generated from a catalogue that extends ours: its types', () => {
  it('type-checks against the package, with the test server handlers typed by it', () => {
    const usage = join(dir, 'usage.ts');
    writeFileSync(
      usage,
      `import { createTestServer } from 'authnzerver/testing';
import { WidgetsAuthnzerver, specs, type WidgetsAuthnzerverRequests } from './client/index.js';

export async function use(): Promise<string | undefined> {
  const server = await createTestServer<WidgetsAuthnzerverRequests, typeof specs>({
    specs,
    handlers: {
      widgetGet: (body) => ({
        success: true,
        widget: { widget_id: body.widget_id, name: 'w', tags: [], owner: null },
      }),
      sessionExists: () => ({ success: false, session_info: null }),
      // @ts-expect-error no request type has this method
      widgetGets: () => ({ success: true }),
    },
  });
  const client = new WidgetsAuthnzerver({ url: server.url, secret: server.secret });
  const got = await client.widgetGet({ session_token: 't', widget_id: 1, client_ipaddr: '127.0.0.1' });
  const names: string = got.success ? got.response.widget.name : '';
  const session = await client.sessionExists({ session_token: 't', client_ipaddr: '127.0.0.1' });
  // @ts-expect-error widget_id is an int
  void client.widgetGet({ session_token: 't', widget_id: 'one', client_ipaddr: '127.0.0.1' });
  await createTestServer<WidgetsAuthnzerverRequests, typeof specs>({
    specs,
    // @ts-expect-error the success reply of widget-get has a widget
    handlers: { widgetGet: () => ({ success: true, gadget: 1 }) },
  });
  await client.close();
  await server.close();
  return session.success ? (session.response.tenant ?? names) : undefined;
}
`,
    );
    expect(typeErrors([usage], dir)).toEqual([]);
  }, 300_000);
});

describe('a client generated from a catalogue that extends ours: its calls over HTTP', () => {
  it('makes real calls: the new type through a typed handler, the replaced one and ours through the test server', async () => {
    for (const file of ['client.ts', 'types.ts', 'schemas.ts', 'specs.ts', 'index.ts']) {
      const strip = (text: string) =>
        text.replace(/^import .*$/gm, '').replace(/^\/\/ Generated.*$/m, '');
      expect(strip(readFileSync(join(local, file), 'utf8')), file).toBe(
        strip(readFileSync(join(out, file), 'utf8')),
      );
    }
    const generated = (await import(join(local, 'index.ts'))) as {
      WidgetsAuthnzerver: new (options: object) => any;
      specs: any;
    };
    const seen: unknown[] = [];
    server = await createTestServer<any, any>({
      specs: generated.specs,
      loginBackoff: false,
      handlers: {
        widgetGet: (body: any) => {
          seen.push(body);
          return body.widget_id === 7
            ? { success: true, widget: { widget_id: 7, name: 'seven', tags: ['x'], owner: null } }
            : {
                success: false,
                widget: null,
                failure_reason: 'no such widget',
                messages: ['No such widget.'],
              };
        },
      },
    });
    const client = new generated.WidgetsAuthnzerver({ url: server.url, secret: server.secret });
    try {
      // One of ours, answered by the in-memory authnzerver.
      const session = await client.sessionNew({
        ip_address: '203.0.113.7',
        user_agent: 'test',
        user_id: null,
        expires: '2099-01-01T00:00:00.000000',
        extra_info_json: null,
        client_ipaddr: '203.0.113.7',
      });
      expect(session.success, JSON.stringify(session)).toBe(true);
      const token = session.response.session_token as string;
      const exists = await client.sessionExists({
        session_token: token,
        client_ipaddr: '203.0.113.7',
      });
      expect(exists.success).toBe(true);

      const got = await client.widgetGet({
        session_token: token,
        widget_id: 7,
        client_ipaddr: '203.0.113.7',
      });
      expect(got.success).toBe(true);
      expect(got.response).toEqual({
        widget: { widget_id: 7, name: 'seven', tags: ['x'], owner: null },
      });
      expect(seen).toEqual([{ session_token: token, widget_id: 7, client_ipaddr: '203.0.113.7' }]);
      const none = await client.widgetGet({
        session_token: token,
        widget_id: 8,
        client_ipaddr: '203.0.113.7',
      });
      expect([none.failure, none.failureReason]).toEqual(['rejected', 'no such widget']);
      // The generated schema checks the reply of the custom type, and its secrets are known to the runtime.
      await expect(
        client.widgetGet({ session_token: token, widget_id: 'x', client_ipaddr: '203.0.113.7' }),
      ).rejects.toThrow(/widget_id/);
      expect(generated.specs['widget-get'].secrets.body).toEqual(['session_token']);

      // The server's parameter check runs on the custom type, with the rules of its own body schema: a client that
      // does not know the type (ours) sends a body without its arguments, and the server refuses it.
      const plain = new Authnzerver({ url: server.url, secret: server.secret });
      try {
        const refused = await plain.request('widget-get', {
          widget_id: 'seven',
          with_owner: 'yes', // as on the real server, a union with None lets anything through
          client_ipaddr: '203.0.113.7',
        });
        expect(refused.failure).toBe('invalid-params');
        expect(refused.response).toMatchObject({
          response: {
            problems: [
              { param: 'session_token', problem: 'missing', required_type: 'str' },
              { param: 'widget_id', problem: 'incorrect type', required_type: 'int' },
            ],
          },
        });
      } finally {
        await plain.close();
      }
      expect(seen).toHaveLength(2);
    } finally {
      await client.close();
    }
  });
});
