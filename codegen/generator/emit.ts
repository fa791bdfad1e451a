import {
  StructureKind,
  type ImportDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
} from 'ts-morph';
import type { Field } from './catalogue.js';
import type { TypeNode } from './types.js';

/**
 * Small, separately tested helpers for the recurring shapes of the generated code: property keys, JSDoc text,
 * TypeScript types and zod/mini expressions of catalogue types, and the ts-morph structures of a JSDoc and an import.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as it must be written: bare when it is an identifier, else a quoted string. */
export function quoteKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quoteString(name);
}

/** A single-quoted TypeScript string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Text made safe for a JSDoc block: `*\/` cannot end the comment early; trailing white space goes. */
export function docText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** Joins JSDoc paragraphs, dropping empty ones. */
export function paragraphs(...parts: (string | undefined | false)[]): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map(docText)
    .join('\n\n');
}

/** Where a type is used: request types accept readonly arrays. */
export type Direction = 'request' | 'response';

/** The TypeScript type of a catalogue type. Named types are referenced by name (`prefix` qualifies them). */
export function tsType(node: TypeNode, direction: Direction, prefix = ''): string {
  switch (node.kind) {
    case 'primitive':
      switch (node.name) {
        case 'str':
          return 'string';
        case 'int':
        case 'float':
          return 'number';
        case 'bool':
          return 'boolean';
        case 'dict':
          return 'Record<string, unknown>';
        case 'list':
          return direction === 'request' ? 'readonly unknown[]' : 'unknown[]';
        case 'Any':
          return 'NonNullable<unknown>';
        case 'None':
          return 'null';
        case 'datetime':
          // Only arguments are datetime (the catalogue's loader sees to it): the client formats a Date.
          return direction === 'request' ? 'string | Date' : 'string';
      }
      break;
    case 'literal':
      return quoteString(node.value);
    case 'list': {
      const inner = tsType(node.of, direction, prefix);
      const item = node.of.kind === 'union' ? `(${inner})` : inner;
      return direction === 'request' ? `readonly ${item}[]` : `${item}[]`;
    }
    case 'json':
      return 'string';
    case 'ref':
      return `${prefix}${node.name}`;
    case 'union': {
      // A datetime member is two (`string | Date`), so that `str | datetime` names `string` once.
      const members = [
        ...new Set(
          node.members.flatMap((m) =>
            m.kind === 'primitive' && m.name === 'datetime' && direction === 'request'
              ? ['string', 'Date']
              : [tsType(m, direction, prefix)],
          ),
        ),
      ];
      // `null` last reads best: `string | null`.
      members.sort((a, b) => Number(a === 'null') - Number(b === 'null'));
      return members.join(' | ');
    }
  }
}

/** The name of the function that returns a named type's zod schema, built on first use. */
export function schemaName(typeName: string): string {
  return `${typeName}Schema`;
}

/**
 * The zod expression that checks a catalogue type, in zod/mini's functional form (`z` from zod/mini and the
 * runtime's `schema` helpers in scope): `z.nullable(z.string())`, not `z.string().nullable()`, so that a bundle
 * holds only the parts of zod it uses. A named type is a call of its schema function.
 */
export function zodExpr(node: TypeNode): string {
  switch (node.kind) {
    case 'primitive':
      switch (node.name) {
        case 'str':
          return 'z.string()';
        case 'int':
          return 'z.int()';
        case 'float':
          return 'z.number()';
        case 'bool':
          return 'z.boolean()';
        case 'dict':
          return 'z.record(z.string(), z.unknown())';
        case 'list':
          return 'z.array(z.unknown())';
        case 'Any':
          return 'schema.anyValue()';
        case 'None':
          return 'z.null()';
        case 'datetime':
          return 'schema.datetime()';
      }
      break;
    case 'literal':
      return `z.literal(${quoteString(node.value)})`;
    case 'list':
      return `z.array(${zodExpr(node.of)})`;
    case 'json':
      return `schema.jsonString(${zodExpr(node.of)})`;
    case 'ref':
      return `${schemaName(node.name)}()`;
    case 'union': {
      const hasFloat = node.members.some((m) => m.kind === 'primitive' && m.name === 'float');
      const nonNull = node.members.filter(
        (m) => !(m.kind === 'primitive' && (m.name === 'None' || (hasFloat && m.name === 'int'))),
      );
      const nullable = node.members.some((m) => m.kind === 'primitive' && m.name === 'None');
      const literals = nonNull.every((m) => m.kind === 'literal');
      let inner: string;
      if (nonNull.length === 0) inner = 'z.null()';
      else if (nonNull.length === 1) inner = zodExpr(nonNull[0] as TypeNode);
      else if (literals)
        inner = `z.enum([${nonNull.map((m) => quoteString((m as { value: string }).value)).join(', ')}])`;
      else inner = `z.union([${nonNull.map(zodExpr).join(', ')}])`;
      return nullable && nonNull.length > 0 ? `z.nullable(${inner})` : inner;
    }
  }
}

/** The zod expression of a field in an object: optional fields may be absent (or undefined). */
export function zodField(field: Field): string {
  const expr = zodExpr(field.type);
  return field.optional ? `z.optional(${expr})` : expr;
}

/**
 * The dotted paths of the secret fields reachable from `fields`, through named types and lists (`[]`), for
 * redaction. A secret field is listed whole; its insides are not listed again.
 */
export function secretPaths(
  fields: readonly Field[],
  named: ReadonlyMap<string, readonly Field[]>,
  prefix = '',
  seen: ReadonlySet<string> = new Set(),
): string[] {
  const paths: string[] = [];
  for (const field of fields) {
    const path = `${prefix}${field.name}`;
    if (field.secret) {
      paths.push(path);
      continue;
    }
    const walk = (node: TypeNode, at: string): void => {
      if (node.kind === 'ref' && !seen.has(node.name)) {
        const inner = named.get(node.name);
        if (inner !== undefined)
          paths.push(...secretPaths(inner, named, `${at}.`, new Set([...seen, node.name])));
      } else if (node.kind === 'list') {
        walk(node.of, `${at}[]`);
      } else if (node.kind === 'union') {
        for (const member of node.members) walk(member, at);
      }
    };
    walk(field.type, path);
  }
  return [...new Set(paths)];
}

/** The JSDoc of a declaration: none for an empty description. */
export function docs(description: string): OptionalKind<JSDocStructure>[] {
  return description === '' ? [] : [{ description }];
}

/** A named import (`import { a, b } from 'module'`, or `import type`). */
export function importOf(
  module: string,
  names: string[],
  typeOnly = false,
): ImportDeclarationStructure {
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: module,
    isTypeOnly: typeOnly,
    namedImports: names,
  };
}
