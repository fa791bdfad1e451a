import {
  CatalogueError,
  pascalCase,
  type Catalogue,
  type Field,
  type RequestType,
} from './catalogue.js';
import { secretPaths } from './emit.js';
import { takesDate } from './types.js';

/**
 * The generator's first step: the catalogue analysed into a small resolved model (names, secrets, the arguments
 * that take a `Date`, the header), which generate.ts and generate-client.ts build the files from.
 */

/** What `generate` needs besides the catalogue. */
export interface GenerateOptions {
  /** Where the generated files import the runtime from: `authnzerver/runtime`, or a relative path. */
  readonly runtimeImport: string;
  /** The command that regenerates the files, for their header. */
  readonly command: string;
}

/** The resolved names of one request type. */
export interface RequestModel {
  readonly request: RequestType;
  readonly body: string;
  readonly success: string;
  readonly failure: string;
  readonly bodySecrets: readonly string[];
  readonly responseSecrets: readonly string[];
  /** The arguments of type `datetime`, which may be given as a `Date`. */
  readonly datetimes: readonly string[];
}

/** The catalogue, resolved: every name the files use, and what they import. */
export interface Model {
  readonly catalogue: Catalogue;
  readonly requestsName: string;
  readonly requests: readonly RequestModel[];
  readonly header: string;
  readonly runtime: string;
}

/** The argument every body has, which the catalogue does not list (schema/README.md). */
export const CLIENT_IPADDR: Field = {
  name: 'client_ipaddr',
  type: { kind: 'primitive', name: 'str' },
  typeText: 'str',
  doc: 'IP address of the end user this request is made for: the server rate-limits by it. Required in every body.',
  secret: false,
  optional: false,
};

/**
 * Resolves the names of each request type's interfaces (refusing a clash with a named type), its secret paths and
 * the arguments that take a `Date`.
 * @throws {CatalogueError} when a named type takes a generated name.
 */
export function analyse(catalogue: Catalogue, options: GenerateOptions): Model {
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
