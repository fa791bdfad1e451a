import * as z from 'zod';

/**
 * The catalogue file's format (schema/README.md), as zod checks it: keys, their kinds, names and the messages of
 * their problems. Type expressions are strings here; catalogue.ts parses them and checks the rest (references,
 * cycles, methods, refinements).
 */

const doc = z.string().trim().min(1).optional();
const typeText = z.string().trim().min(1, 'a type expression is required');

const REASON_REQUIRED =
  "a refinement needs its reason: say why the catalogue's type is narrower than the server's";
/** An argument, in `args` or `kwargs`. */
export const argField = z.strictObject({
  type: typeText,
  doc,
  secret: z.boolean().optional(),
  refines: z
    .strictObject({
      server: typeText,
      reason: z.string({ error: REASON_REQUIRED }).trim().min(1, REASON_REQUIRED),
    })
    .optional(),
});
/** A key of a reply shape or a field of a named type: its type alone, or with more. */
export const replyField = z.union([
  typeText,
  z.strictObject({
    type: typeText,
    doc,
    secret: z.boolean().optional(),
    optional: z.boolean().optional(),
  }),
]);
const fieldMap = <T extends z.ZodType>(field: T) => z.record(z.string().min(1), field).nullish();
/**
 * A reply shape: its keys, or `unknown` (not catalogued yet, as `authnzerver-codegen scaffold` writes it), which
 * loads as no keys; `loadCatalogue` reads the flag from the data itself.
 */
const replyShape = z.preprocess(
  (value) => (value === 'unknown' ? null : value),
  z
    .record(z.string().min(1), replyField, {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'a reply shape is a mapping of its keys, or unknown (not catalogued yet)'
          : undefined,
    })
    .nullish(),
);

/** A request type's entry under `requests`. */
export const requestEntry = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a JavaScript identifier')
    .optional(),
  summary: z.string().trim().min(1, 'a one-line summary is required'),
  doc,
  defect: doc,
  sideEffects: z.enum(['read', 'write']),
  timeout: z.enum(['default', 'login']).default('default'),
  args: fieldMap(argField),
  kwargs: fieldMap(argField),
  success: replyShape,
  failure: replyShape,
});

/** The whole file. */
export const catalogueFile = z.strictObject({
  version: z.literal(1),
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter: letters, digits, - and _'),
  className: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9_]*$/, 'must be a PascalCase identifier')
    .optional(),
  description: doc,
  types: z
    .record(
      z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, 'a type name must be PascalCase'),
      z.strictObject({ doc, fields: z.record(z.string().min(1), replyField) }),
    )
    .optional(),
  requests: z.record(
    z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a request type is lower case words joined by -'),
    requestEntry,
  ),
});
