import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../codegen/generator/catalogue.js';
import { driftCommand, scaffoldCommand } from '../../../codegen/tools/commands.js';
import { findPackageCatalogue, loadCatalogueFile } from '../../../codegen/generator/extend.js';
import { Authnzerver } from '../../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../../src/testing/test-server.js';
import { runCli, runCommand } from '../../helpers/codegen-cli.js';
import { typeErrors } from '../../helpers/compile.js';

/**
 * Catalogues that extend ours (`extends: authnzerver`, codegen/extend.ts): test/fixtures/codegen/extending.yaml adds
 * a named type and a request type and replaces session-exists. It loads merged with the package's catalogue (found
 * through the package), generates a client with every method that imports the runtime from authnzerver/runtime,
 * type-checks against the sources, and its custom type is answered by a typed test-server handler over HTTP.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/codegen/extending.yaml');
const OURS = join(ROOT, 'schema/authnzerver.yaml');

const run = runCommand;
const generate = runCli;

// Inside the repository (.tmp-codegen-* is ignored), so that the package resolves from it as from a user's project.
const dir = mkdtempSync(join(ROOT, '.tmp-codegen-extend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a catalogue into the temporary folder; returns its path. */
function catalogue(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEAD = 'version: 1\nname: mine\nextends: authnzerver\n';
const NEW_TYPE = `  widget-get:
    summary: Read a widget.
    sideEffects: read
    args:
      widget_id: { type: int }
    success:
      widget: { type: Widget }
    failure: {}
`;

describe('loading a catalogue that extends ours', () => {
  it('merges: our 38 types and 4 named types, then the new ones; a replaced entry keeps its place', async () => {
    const { catalogue: merged, bases } = await loadCatalogueFile(FIXTURE, { cwd: ROOT });
    const ours = (await loadCatalogueFile(OURS, { cwd: ROOT })).catalogue;
    expect(bases).toEqual(['schema/authnzerver.yaml']);
    expect(merged.source).toBe('test/fixtures/codegen/extending.yaml');
    expect(merged.className).toBe('WidgetsAuthnzerver');
    expect(merged.requests.map((r) => r.type)).toEqual([
      ...ours.requests.map((r) => r.type),
      'widget-get',
    ]);
    expect(merged.types.map((t) => t.name)).toEqual([...ours.types.map((t) => t.name), 'Widget']);
    const replaced = merged.requests.find((r) => r.type === 'session-exists');
    expect(replaced?.success.map((f) => [f.name, f.optional])).toEqual([
      ['session_info', false],
      ['tenant', true],
    ]);
    // Everything else is ours, unchanged.
    const login = (c: typeof ours) => c.requests.find((r) => r.type === 'user-login');
    expect(login(merged)).toEqual(login(ours));
    // The hash covers the merged content: a new release of the base changes it.
    expect(merged.hash).not.toBe(ours.hash);
  });

  it('finds the base through the package, and says so when the package is not installed', async () => {
    expect(findPackageCatalogue([dir])).toBe(OURS);
    const outside = mkdtempSync(join(tmpdir(), 'authnzerver-extend-'));
    try {
      expect(findPackageCatalogue([outside])).toBeUndefined();
      const path = join(outside, 'mine.yaml');
      writeFileSync(path, `${HEAD}requests:\n${NEW_TYPE}`);
      await expect(loadCatalogueFile(path, { cwd: outside })).rejects.toThrow(
        /^mine\.yaml: extends: the authnzerver package is not found from \. or the working folder: install it \(npm install authnzerver\)$/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a clash with one of our names unless the entry says replace: true', async () => {
    const clash = catalogue(
      'clash.yaml',
      `${HEAD}requests:\n  session-new:\n    summary: Mine.\n    sideEffects: write\n`,
    );
    await expect(loadCatalogueFile(clash)).rejects.toThrow(
      'clash.yaml: requests.session-new: is already a request type of schema/authnzerver.yaml, which this catalogue extends: to replace it, give the entry replace: true',
    );
    const typeClash = catalogue(
      'type-clash.yaml',
      `${HEAD}types:\n  UserInfo:\n    fields: { id: int }\nrequests: {}\n`,
    );
    await expect(loadCatalogueFile(typeClash)).rejects.toThrow(
      'type-clash.yaml: types.UserInfo: is already a named type of schema/authnzerver.yaml',
    );
    const nothing = catalogue(
      'nothing.yaml',
      `${HEAD}requests:\n  widget-put:\n    replace: true\n    summary: Mine.\n    sideEffects: write\n`,
    );
    await expect(loadCatalogueFile(nothing)).rejects.toThrow(
      'nothing.yaml: requests.widget-put.replace: schema/authnzerver.yaml has no request type widget-put to replace: remove replace: true to add it',
    );
    const alone = catalogue(
      'alone.yaml',
      'version: 1\nname: mine\nrequests:\n  session-new:\n    replace: true\n    summary: Mine.\n    sideEffects: write\n',
    );
    await expect(loadCatalogueFile(alone)).rejects.toThrow(
      'alone.yaml: requests.session-new.replace: only a catalogue that extends another (extends: authnzerver) can replace its entries',
    );
  });

  it('names the file and the path of a dangling reference, a bad extends and a cycle', async () => {
    const dangling = catalogue('dangling.yaml', `${HEAD}requests:\n${NEW_TYPE}`);
    await expect(loadCatalogueFile(dangling)).rejects.toThrow(
      'dangling.yaml: requests.widget-get.success.widget.type: unknown type "Widget" (not in types)',
    );
    // Our named types are in scope for the extension's fields.
    const usesOurs = catalogue(
      'uses-ours.yaml',
      `${HEAD}requests:\n${NEW_TYPE.replace('type: Widget', 'type: UserInfo')}`,
    );
    expect((await loadCatalogueFile(usesOurs)).catalogue.requests).toHaveLength(39);
    const bogus = catalogue(
      'bogus.yaml',
      HEAD.replace('authnzerver', 'authnzerver@2') + 'requests: {}\n',
    );
    await expect(loadCatalogueFile(bogus)).rejects.toThrow(
      "bogus.yaml: extends: must be authnzerver (the package's own catalogue) or a relative path to a catalogue file (./base.yaml)",
    );
    const missing = catalogue(
      'missing.yaml',
      HEAD.replace('authnzerver', './nope.yaml') + 'requests: {}\n',
    );
    await expect(loadCatalogueFile(missing)).rejects.toThrow(
      /missing\.yaml: extends: cannot load .*nope\.yaml: .*no such file/,
    );
    catalogue('a.yaml', HEAD.replace('authnzerver', './b.yaml') + 'requests: {}\n');
    const b = catalogue('b.yaml', HEAD.replace('authnzerver', './a.yaml') + 'requests: {}\n');
    // The pure loader alone cannot resolve extends, and says where it is done.
    expect(() =>
      loadCatalogue({ version: 1, name: 'x', extends: 'authnzerver', requests: {} }, 'x.yaml'),
    ).toThrow('x.yaml: extends: a catalogue that extends another is read with loadCatalogueFile');
    await expect(loadCatalogueFile(b)).rejects.toThrow(
      /extends: catalogues extend each other in a cycle/,
    );
  });

  it('the CLI and drift report the same errors, with exit status 2', async () => {
    const clash = join(dir, 'clash.yaml');
    const generated = await generate('--catalogue', clash, '--out', join(dir, 'never'));
    expect(generated.code).toBe(2);
    expect(generated.err).toContain('requests.session-new: is already a request type');
    const drift = await run(
      driftCommand,
      '--server-schema',
      join(ROOT, 'test/fixtures/server-schema.json'),
      '--catalogue',
      clash,
    );
    expect(drift.code).toBe(2);
    expect(drift.err).toContain('requests.session-new: is already a request type');
  });

  it('drift compares the merged catalogue: our types agree, the new one is not on the server', async () => {
    const drift = await run(
      driftCommand,
      '--server-schema',
      join(ROOT, 'test/fixtures/server-schema.json'),
      '--catalogue',
      FIXTURE,
      '--json',
    );
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.out) as { findings: { kind: string; type: string }[] };
    expect(report.findings.map((f) => [f.kind, f.type])).toEqual([
      ['type-not-on-server', 'widget-get'],
    ]);
  });
});

describe('drift and scaffold on a catalogue that extends ours, for a server with types of its own', () => {
  it('drift sees our types and the new ones; scaffold appends to the extending file, which then agrees', async () => {
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'test/fixtures/server-schema.json'), 'utf8'),
    ) as Record<string, unknown>;
    schema['widget-get'] = {
      args: [
        { name: 'session_token', type: 'str' },
        { name: 'widget_id', type: 'int' },
      ],
      kwargs: [{ name: 'with_owner', type: ['bool', 'None'] }],
    };
    schema['widget-put'] = { args: [{ name: 'widget_id', type: 'int' }], kwargs: [] };
    const serverSchema = join(dir, 'widgets-server-schema.json');
    writeFileSync(serverSchema, JSON.stringify(schema));
    const yaml = catalogue('scaffolded.yaml', readFileSync(FIXTURE, 'utf8'));
    const before = await run(
      driftCommand,
      '--server-schema',
      serverSchema,
      '--catalogue',
      yaml,
      '--json',
    );
    expect(before.code).toBe(1);
    expect(
      (JSON.parse(before.out) as { findings: { kind: string; type: string }[] }).findings.map(
        (f) => `${f.kind} ${f.type}`,
      ),
    ).toEqual(['type-not-in-catalogue widget-put']);
    const scaffolded = await run(
      scaffoldCommand,
      '--server-schema',
      serverSchema,
      '--catalogue',
      yaml,
      '--missing',
    );
    expect(scaffolded.code, scaffolded.err).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    expect(text.startsWith(readFileSync(FIXTURE, 'utf8'))).toBe(true);
    expect(text).toContain('  widget-put:\n');
    expect((await loadCatalogueFile(yaml)).catalogue.requests).toHaveLength(40);
    const after = await run(driftCommand, '--server-schema', serverSchema, '--catalogue', yaml);
    expect([after.code, after.out]).toEqual([
      0,
      `${relative(process.cwd(), yaml)} agrees with ${relative(process.cwd(), serverSchema)}: 40 request types, 162 arguments, 9 recorded refinements.\n`,
    ]);
  });
});

describe('a client generated from a catalogue that extends ours', () => {
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
