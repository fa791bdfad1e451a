import {
  IndentationText,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type MethodDeclarationStructure,
  type OptionalKind,
  type PropertySignatureStructure,
  type StatementStructures,
  type VariableStatementStructure,
} from 'ts-morph';
import type { CallOptions } from '../../src/runtime.js';
import {
  CatalogueError,
  pascalCase,
  type Catalogue,
  type Field,
  type RequestType,
} from './catalogue.js';
import { takesDate } from './types.js';
import {
  docText,
  paragraphs,
  quoteKey,
  quoteString,
  schemaName,
  secretPaths,
  tsType,
  zodField,
} from './emit.js';

/**
 * The generator's pure core: from a validated catalogue to a map of file path (relative to the output folder)
 * to text, with no disk or console I/O. The CLI formats the text with prettier and writes it.
 *
 * It first analyses the catalogue into a small resolved model (names, imports, order), then builds ts-morph
 * structures in batches, then prints.
 */

export interface GenerateOptions {
  /** Where the generated files import the runtime from: `authnzerver/runtime`, or a relative path. */
  readonly runtimeImport: string;
  /** The command that regenerates the files, for their header. */
  readonly command: string;
}

/** The resolved names of one request type. */
interface RequestModel {
  readonly request: RequestType;
  readonly body: string;
  readonly success: string;
  readonly failure: string;
  readonly bodySecrets: readonly string[];
  readonly responseSecrets: readonly string[];
  /** The arguments of type `datetime`, which may be given as a `Date`. */
  readonly datetimes: readonly string[];
}

interface Model {
  readonly catalogue: Catalogue;
  readonly requestsName: string;
  readonly requests: readonly RequestModel[];
  readonly header: string;
  readonly runtime: string;
}

const CLIENT_IPADDR: Field = {
  name: 'client_ipaddr',
  type: { kind: 'primitive', name: 'str' },
  typeText: 'str',
  doc: 'IP address of the end user this request is made for: the server rate-limits by it. Required in every body.',
  secret: false,
  optional: false,
};

function analyse(catalogue: Catalogue, options: GenerateOptions): Model {
  const named = new Map(catalogue.types.map((t) => [t.name, t.fields]));
  const taken = new Set(catalogue.types.map((t) => t.name));
  const requests = catalogue.requests.map((request) => {
    const base = pascalCase(request.type);
    const names = { body: `${base}Body`, success: `${base}Success`, failure: `${base}Failure` };
    for (const name of Object.values(names)) {
      if (taken.has(name))
        throw new CatalogueError(
          catalogue.source,
          ['types', name],
          `clashes with a generated name of ${request.type}`,
        );
      taken.add(name);
    }
    return {
      request,
      ...names,
      bodySecrets: secretPaths(request.args, named),
      responseSecrets: [
        ...secretPaths(request.success, named),
        ...secretPaths(request.failure, named),
      ].filter((path, i, all) => all.indexOf(path) === i),
      datetimes: request.args.filter((field) => takesDate(field.type)).map((field) => field.name),
    };
  });
  return {
    catalogue,
    requestsName: `${catalogue.className}Requests`,
    requests,
    header: `// Generated from ${catalogue.source} by authnzerver-codegen. Do not edit: change the YAML, then run ${options.command}.`,
    runtime: options.runtimeImport,
  };
}

function docs(description: string): OptionalKind<JSDocStructure>[] {
  return description === '' ? [] : [{ description }];
}

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

function importOf(module: string, names: string[], typeOnly = false): ImportDeclarationStructure {
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: module,
    isTypeOnly: typeOnly,
    namedImports: names,
  };
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

/**
 * The options every generated method takes, in the order its JSDoc lists them: each key of the runtime's
 * `CallOptions`, once. `satisfies` makes a missing or an unknown key a compile error, so the list cannot drift from
 * the type.
 */
const CALL_OPTIONS = Object.keys({
  reqid: true,
  timeout: true,
  deadline: true,
  signal: true,
  validateResponse: true,
  retry: true,
} satisfies Record<keyof CallOptions, true>);

function methodDoc(model: RequestModel): OptionalKind<JSDocStructure> {
  const { request } = model;
  const behaviour =
    `Sends \`${request.type}\`. ` +
    (request.sideEffects === 'read'
      ? 'It only reads, so it may be retried after a transient failure.'
      : 'It changes state on the server, so it is retried only when it provably never left.') +
    (request.timeout === 'login'
      ? ' Its deadline is `timeouts.login`: the server delays failed log-ins by up to 40 s.'
      : ' Its deadline is `timeouts.request`.');
  return {
    description: paragraphs(
      request.summary,
      request.doc,
      request.defect !== undefined && `**Known server defect:** ${request.defect}`,
      behaviour,
    ),
    tags: [
      {
        tagName: 'param',
        text: `body the arguments of \`${request.type}\`, with the end user's \`client_ipaddr\`.`,
      },
      {
        tagName: 'param',
        text: `options {@link CallOptions}: ${CALL_OPTIONS.map((name) => `\`${name}\``).join(', ')}.`,
      },
      {
        tagName: 'returns',
        text: docText(
          `the response tuple: on success \`response\` is a {@link T.${model.success}}; when the server turns the request down (\`failure: 'rejected'\`) it is a {@link T.${model.failure}}. Transport and server failures are failure tuples, never exceptions.`,
        ),
      },
      {
        tagName: 'throws',
        text: '{RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.',
      },
    ],
  };
}

function exampleOf(model: Model): string {
  const first = model.requests.find(({ request }) =>
    request.args.every((arg) => /^[A-Za-z_$][\w$]*$/.test(arg.name)),
  );
  const call =
    first === undefined
      ? `client.request('some-type', { client_ipaddr: req.ip })`
      : `client.${first.request.method}({ ${[...first.request.args.filter((a) => !a.optional).map((a) => a.name), 'client_ipaddr: req.ip'].join(', ')} })`;
  return [
    '@example',
    `const client = new ${model.catalogue.className}(); // AUTHNZERVER_URL and AUTHNZERVER_SECRET`,
    `const result = await ${call};`,
    'if (result.success) console.log(result.response);',
    'else console.log(result.failure, result.messages);',
  ].join('\n');
}

function clientFile(model: Model): StatementStructures[] {
  const { catalogue } = model;
  const syncName = `${catalogue.className}Sync`;
  const methods: OptionalKind<MethodDeclarationStructure>[] = model.requests.map((entry) => ({
    name: entry.request.method,
    docs: [methodDoc(entry)],
    parameters: [
      { name: 'body', type: `T.${entry.body}` },
      { name: 'options', type: 'CallOptions', hasQuestionToken: true },
    ],
    returnType: `Promise<ResponseTuple<T.${entry.success}, T.${entry.failure}>>`,
    statements: `return this.call(specs[${quoteString(entry.request.type)}], body, options);`,
  }));
  const client: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: catalogue.className,
    isExported: true,
    extends: `AuthnzerverClient<T.${model.requestsName}>`,
    docs: docs(
      paragraphs(
        `The ${catalogue.name} client: one typed method per request type of the catalogue, and the generic \`request(type, body, reqid?)\`.`,
        catalogue.description,
        exampleOf(model),
      ),
    ),
    getAccessors: [
      {
        name: 'sync',
        returnType: syncName,
        docs: docs(
          paragraphs(
            `The same methods, synchronous, for scripts and start-up code: \`client.sync.${model.requests[0]?.request.method ?? 'request'}(body)\` returns the tuple itself. Same validation, deadlines, retries and failure kinds; the network I/O runs in a worker thread while the caller blocks.`,
          ),
        ),
        statements: `return this.syncView(${syncName});`,
      },
    ],
    ctors: [
      {
        docs: docs(
          paragraphs(
            '@param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and `AUTHNZERVER_SECRET`.',
            '@throws {ConfigError} when an option is missing or malformed; it names the option and its variable.',
          ),
        ),
        parameters: [{ name: 'options', type: 'AuthnzerverOptions', hasQuestionToken: true }],
        statements: 'super(options, specs);',
      },
    ],
    methods,
  };
  const syncMethods: OptionalKind<MethodDeclarationStructure>[] = model.requests.map((entry) => ({
    name: entry.request.method,
    docs: docs(
      paragraphs(
        `${entry.request.summary} The synchronous {@link ${catalogue.className}.${entry.request.method}}: it returns the tuple itself.`,
      ),
    ),
    parameters: [
      { name: 'body', type: `T.${entry.body}` },
      { name: 'options', type: 'CallOptions', hasQuestionToken: true },
    ],
    returnType: `ResponseTuple<T.${entry.success}, T.${entry.failure}>`,
    statements: `return this.call(specs[${quoteString(entry.request.type)}], body, options);`,
  }));
  const syncClient: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: syncName,
    isExported: true,
    extends: `SyncClient<T.${model.requestsName}>`,
    docs: docs(`The synchronous methods of {@link ${catalogue.className}}, as \`client.sync\`.`),
    methods: syncMethods,
  };
  return [
    importOf(model.runtime, ['AuthnzerverClient', 'SyncClient']),
    importOf(model.runtime, ['AuthnzerverOptions', 'CallOptions', 'ResponseTuple'], true),
    importOf('./specs.js', ['specs']),
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: './types.js',
      isTypeOnly: true,
      namespaceImport: 'T',
    },
    client,
    syncClient,
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
