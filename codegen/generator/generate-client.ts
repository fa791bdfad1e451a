import {
  StructureKind,
  type ClassDeclarationStructure,
  type JSDocStructure,
  type MethodDeclarationStructure,
  type OptionalKind,
  type StatementStructures,
} from 'ts-morph';
import type { CallOptions } from '../../src/runtime.js';
import { docs, docText, importOf, paragraphs, quoteString } from './emit.js';
import type { Model, RequestModel } from './model.js';

/**
 * The client file of the generated code (`client.ts`): the class users construct, with one documented method per
 * request type, and its synchronous twin. Part of the generator's pure core (generate.ts).
 */

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

/** `client.ts`: the client class, one method per request type, and its synchronous twin. */
export function clientFile(model: Model): StatementStructures[] {
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
