import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../codegen/generator/catalogue.js';
import { PRETTIER_OPTIONS, formatFiles } from '../../../codegen/generator/format.js';
import { generate } from '../../../codegen/generator/generate.js';

const read = (path: string): string =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

async function generateFrom(
  path: string,
  runtimeImport: string,
  command: string,
): Promise<Map<string, string>> {
  return formatFiles(generate(loadCatalogue(parse(read(path)), path), { runtimeImport, command }));
}

describe('golden files of a small catalogue (test/fixtures/codegen/widgets.yaml)', async () => {
  // The golden files sit in test/codegen/generator/__golden__/widgets/, where `npm run typecheck` compiles them against the
  // runtime in src/: the generated output compiles.
  const files = await generateFrom(
    'test/fixtures/codegen/widgets.yaml',
    '../../../../../src/runtime.js',
    'npm test',
  );

  it('makes the five files', () => {
    expect([...files.keys()]).toEqual([
      'types.ts',
      'schemas.ts',
      'specs.ts',
      'client.ts',
      'index.ts',
    ]);
  });

  it.each(['types.ts', 'schemas.ts', 'specs.ts', 'client.ts', 'index.ts'])(
    '%s matches its golden file',
    async (name) => {
      await expect(files.get(name)).toMatchFileSnapshot(`__golden__/widgets/${name}`);
    },
  );

  it('starts every file with the one header line that names the source and the command', () => {
    for (const text of files.values()) {
      expect(text.split('\n')[0]).toBe(
        '// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.',
      );
    }
  });

  it('is deterministic, with LF line endings', async () => {
    const again = await generateFrom(
      'test/fixtures/codegen/widgets.yaml',
      '../../../../../src/runtime.js',
      'npm test',
    );
    expect([...again]).toEqual([...files]);
    for (const text of files.values()) expect(text).not.toContain('\r');
  });

  it('keeps each method body to one line that carries only data', () => {
    const client = files.get('client.ts')!;
    const bodies = [
      ...client.matchAll(/\): Promise<ResponseTuple<[^>]+>> \{\n([^}]*)\n {2}\}/g),
    ].map((m) => m[1]!.trim());
    expect(bodies).toEqual([
      "return this.call(specs['widget-new'], body, options);",
      "return this.call(specs['widget-get'], body, options);",
      "return this.call(specs['widget-ping'], body, options);",
    ]);
  });

  it("lists every call option in each method's JSDoc, with a link to CallOptions", () => {
    // A method's options follow its body (the constructor's options are AuthnzerverOptions).
    const params = [
      ...files.get('client.ts')!.matchAll(/@param body .*\n\s*\* @param options (.*)$/gm),
    ].map((m) => m[1]);
    expect(params).toEqual(
      Array(3).fill(
        '{@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.',
      ),
    );
  });

  it('escapes */ in docs and quotes keys that are not identifiers', () => {
    expect(files.get('types.ts')).toContain('has a *\\/ in its doc');
    expect(files.get('types.ts')).toContain(
      "readonly 'x-legacy'?: NonNullable<unknown> | undefined;",
    );
    expect(files.get('schemas.ts')).toContain("'x-legacy': z.optional(schema.anyValue())");
  });

  it('lists secret fields for redaction, through named types', () => {
    expect(files.get('specs.ts')).toContain(
      "secrets: { body: ['owner_password'], response: ['widget.owner.api_token', 'token'] }",
    );
  });
});

describe('the committed generated/ folder', () => {
  it('is exactly what npm run generate makes from schema/authnzerver.yaml', async () => {
    const files = await generateFrom(
      'schema/authnzerver.yaml',
      '../src/runtime.js',
      'npm run generate',
    );
    const committed = readdirSync(new URL('../../../generated/', import.meta.url)).sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(read(`generated/${name}`), name).toBe(text);
  });

  it('has one method per request type, async and sync: 38 of 38 each', () => {
    const client = read('generated/client.ts');
    const sync = client.indexOf('export class AuthnzerverSync');
    const names = (text: string): string[] =>
      [...text.matchAll(/^ {2}([a-z][A-Za-z]+)\(\n? *body: T\./gm)].map((m) => m[1]!);
    const asyncMethods = names(client.slice(0, sync));
    expect(asyncMethods).toHaveLength(38);
    expect(asyncMethods).toContain('userPasscheckNosession');
    expect(names(client.slice(sync))).toEqual(asyncMethods);
  });
});

describe('formatting', () => {
  it('uses the same prettier settings as the project, so generated files pass prettier --check', () => {
    expect(JSON.parse(read('.prettierrc.json'))).toEqual(PRETTIER_OPTIONS);
  });
});
