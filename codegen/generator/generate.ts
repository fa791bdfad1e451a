import {
  IndentationText,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type InterfaceDeclarationStructure,
  type PropertySignatureStructure,
  type OptionalKind,
  type StatementStructures,
  type VariableStatementStructure,
} from 'ts-morph';
import type { Catalogue, Field } from './catalogue.js';
import {
  docs,
  importOf,
  paragraphs,
  quoteKey,
  quoteString,
  schemaName,
  tsType,
  zodField,
} from './emit.js';
import { clientFile } from './generate-client.js';
import { analyse, CLIENT_IPADDR, type GenerateOptions, type Model } from './model.js';
import { takesDate } from './types.js';

/**
 * The generator's pure core: from a validated catalogue to a map of file path (relative to the output folder)
 * to text, with no disk or console I/O. The CLI formats the text with prettier and writes it.
 *
 * It first analyses the catalogue into a small resolved model (model.ts: names, imports, order), then builds
 * ts-morph structures in batches (`client.ts` in generate-client.ts), then prints.
 */

function fieldDoc(field: Field): string {
  const type = `${field.optional ? 'Optional, ' : ''}\`${field.typeText}\`${takesDate(field.type) ? ": a `Date`, sent in the server's datetime format, or a string in that format" : ''}${field.secret ? ', secret: redacted from logs and hooks' : ''}.`;
  return paragraphs(field.doc === undefined ? type : `${field.doc} (${type.slice(0, -1)})`);
}

function property(
  field: Field,
  direction: 'request' | 'response',
): OptionalKind<PropertySignatureStructure> {
  const type = tsType(field.type, direction);
  return {
    name: quoteKey(field.name),
    type: field.optional ? `${type} | undefined` : type,
    hasQuestionToken: field.optional,
    isReadonly: true,
    docs: docs(fieldDoc(field)),
  };
}

function interfaceOf(
  name: string,
  description: string,
  fields: readonly Field[],
  direction: 'request' | 'response',
): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: docs(description),
    properties: fields.map((field) => property(field, direction)),
  };
}

/** A reply whose keys the catalogue does not know yet (`success: unknown`): any keys, of unknown types. */
function unknownReplyOf(name: string, description: string): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: docs(
      paragraphs(
        description,
        'Its keys are not in the catalogue yet (`unknown` there): read them as `unknown` and check them yourself.',
      ),
    ),
    indexSignatures: [
      { keyName: 'key', keyType: 'string', returnType: 'unknown', isReadonly: true },
    ],
  };
}

function objectSchema(fields: readonly Field[], strict: boolean): string {
  const entries = fields.map((field) => `${quoteKey(field.name)}: ${zodField(field)}`);
  return `z.${strict ? 'strictObject' : 'looseObject'}({ ${entries.join(', ')} })`;
}

function typesFile(model: Model): StatementStructures[] {
  const { catalogue } = model;
  const named = catalogue.types.map((t) =>
    interfaceOf(t.name, paragraphs(t.doc), t.fields, 'response'),
  );
  const perRequest = model.requests.flatMap(({ request, body, success, failure }) => [
    interfaceOf(
      body,
      paragraphs(`The body of \`${request.type}\`: ${request.summary}`),
      [...request.args, CLIENT_IPADDR],
      'request',
    ),
    request.successUnknown
      ? unknownReplyOf(success, `The reply of \`${request.type}\` on success.`)
      : interfaceOf(
          success,
          paragraphs(`The reply of \`${request.type}\` on success.`),
          request.success,
          'response',
        ),
    request.failureUnknown
      ? unknownReplyOf(
          failure,
          `The reply of \`${request.type}\` when the server turns it down (\`failure: 'rejected'\`).`,
        )
      : interfaceOf(
          failure,
          paragraphs(
            `The reply of \`${request.type}\` when the server turns it down (\`failure: 'rejected'\`).`,
          ),
          request.failure,
          'response',
        ),
  ]);
  const map: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: model.requestsName,
    isExported: true,
    docs: docs(
      `Every request type of the ${catalogue.name} catalogue, by wire name: its body and reply types.`,
    ),
    properties: model.requests.map(({ request, body, success, failure }) => ({
      name: quoteString(request.type),
      isReadonly: true,
      type: `{ readonly body: ${body}; readonly success: ${success}; readonly failure: ${failure} }`,
    })),
  };
  return [...named, ...perRequest, map];
}

function schemasFile(model: Model): StatementStructures[] {
  const { catalogue } = model;
  // Every schema is built on first use: importing the client builds none, and a call builds only its own
  // request type's (with the named types it uses). zod/mini's functional form keeps a bundle to what it uses.
  const namedSchemas: VariableStatementStructure[] = catalogue.types.map((t) => ({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: docs(
      `Returns the schema that checks a {@link T.${t.name}} (unknown keys are kept), built on its first call.`,
    ),
    declarations: [
      {
        name: schemaName(t.name),
        initializer: `schema.once(() => ${objectSchema(t.fields, false)} satisfies z.ZodMiniType<T.${t.name}>)`,
      },
    ],
  }));
  const entries = model.requests.map(
    ({ request, body, success, failure }) =>
      `${quoteString(request.type)}: () => ({
        body: ${objectSchema([...request.args, CLIENT_IPADDR], true)} satisfies z.ZodMiniType<T.${body}>,
        success: ${objectSchema(request.success, false)} satisfies z.ZodMiniType<T.${success}>,
        failure: ${objectSchema(request.failure, false)} satisfies z.ZodMiniType<T.${failure}>,
      })`,
  );
  return [
    // zod/mini itself, not the runtime's `z`: a bundler tree-shakes a namespace import, not a re-exported one.
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: 'zod/mini',
      namespaceImport: 'z',
    },
    importOf(model.runtime, ['schema']),
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: './types.js',
      isTypeOnly: true,
      namespaceImport: 'T',
    },
    ...namedSchemas,
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: docs(
        "The zod/mini schemas of every request type, by wire name: `body` is strict (unknown keys are errors), `success` and `failure` are loose (unknown keys are kept). A request type's three schemas are built when it is first read.",
      ),
      declarations: [{ name: 'schemas', initializer: `schema.lazily({ ${entries.join(',\n')} })` }],
    },
  ];
}

function specsFile(model: Model): StatementStructures[] {
  const { catalogue } = model;
  const entries = model.requests.map(
    ({ request, bodySecrets, responseSecrets, datetimes }) =>
      `${quoteString(request.type)}: {
        type: ${quoteString(request.type)},
        method: ${quoteString(request.method)},
        sideEffects: ${quoteString(request.sideEffects)},
        timeout: ${quoteString(request.timeout)},
        secrets: { body: [${bodySecrets.map(quoteString).join(', ')}], response: [${responseSecrets.map(quoteString).join(', ')}] },${datetimes.length === 0 ? '' : `\n        datetimes: [${datetimes.map(quoteString).join(', ')}],`}
        get body() { return schemas[${quoteString(request.type)}].body; },
        get success() { return schemas[${quoteString(request.type)}].success; },
        get failure() { return schemas[${quoteString(request.type)}].failure; },
      }`,
  );
  const constant = (
    name: string,
    initializer: string,
    description: string,
  ): VariableStatementStructure => ({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: docs(description),
    declarations: [{ name, initializer }],
  });
  return [
    importOf(model.runtime, ['SpecRegistry'], true),
    importOf('./schemas.js', ['schemas']),
    importOf('./types.js', [model.requestsName], true),
    constant(
      'CATALOGUE_NAME',
      quoteString(catalogue.name),
      'The name of the catalogue this client was generated from.',
    ),
    constant(
      'CATALOGUE_HASH',
      quoteString(catalogue.hash),
      'sha256 of the catalogue this client was generated from, to tell generated clients apart.',
    ),
    constant(
      'REQUEST_TYPES',
      `[${model.requests.map(({ request }) => quoteString(request.type)).join(', ')}] as const`,
      'Every request type of the catalogue, in catalogue order.',
    ),
    constant(
      'specs',
      `{ ${entries.join(',\n')} } as const satisfies SpecRegistry<${model.requestsName}>`,
      'What the client knows of each request type: its method, retry class, deadline class, secret fields, the fields that take a `Date`, and schemas (read from `schemas`, so built by their first use).',
    ),
  ];
}

function indexFile(model: Model): StatementStructures[] {
  return [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: './types.js', isTypeOnly: true },
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: './schemas.js',
      namedExports: ['schemas'],
    },
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: './specs.js',
      namedExports: ['CATALOGUE_HASH', 'CATALOGUE_NAME', 'REQUEST_TYPES', 'specs'],
    },
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: './client.js',
      namedExports: [model.catalogue.className, `${model.catalogue.className}Sync`],
    },
  ];
}

/**
 * Generates the client for a catalogue: `types.ts`, `schemas.ts`, `specs.ts`, `client.ts` and `index.ts`.
 * @throws {CatalogueError} when a named type takes a name the client needs (`UserLoginBody` for `user-login`).
 */
export function generate(catalogue: Catalogue, options: GenerateOptions): Map<string, string> {
  const model = analyse(catalogue, options);
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      quoteKind: QuoteKind.Single,
      indentationText: IndentationText.TwoSpaces,
    },
  });
  const files: [string, StatementStructures[]][] = [
    ['types.ts', typesFile(model)],
    ['schemas.ts', schemasFile(model)],
    ['specs.ts', specsFile(model)],
    ['client.ts', clientFile(model)],
    ['index.ts', indexFile(model)],
  ];
  const out = new Map<string, string>();
  for (const [path, statements] of files) {
    const file = project.createSourceFile(path, { statements }, { overwrite: true });
    out.set(path, `${model.header}\n${file.getFullText()}`);
  }
  return out;
}
