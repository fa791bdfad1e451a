/**
 * Checking a value against a spec's schema: the body before it is sent, the reply when it comes back. zod/mini
 * (which the generated schemas use) parses objects without zod's JIT, several times slower than classic zod on a
 * reply of 20 fields, so on the runtimes that allow `new Function` (Node, Bun, Deno: the platform's
 * `compileSchema`, which the caller passes in) a schema checked often is compiled with zod's own `compile`: one
 * generated function for the whole schema, which falls back to the ordinary parser for anything it cannot model.
 * Messages are zod's English ones whatever the app's zod configuration.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { ParseOptions, Schema } from './spec.js';

/**
 * zod's English messages for every check (zod/mini loads no locale and says only "Invalid input"). Frozen: zod
 * copies the options on every parse, and V8 copies an unfrozen object holding a function several times slower
 * (about 4 µs a parse).
 */
const PARSE_OPTIONS: ParseOptions = Object.freeze({ error: en().localeError });

/**
 * How many checks a schema gets on zod's ordinary parser before it is compiled. Compiling costs about a
 * millisecond per schema, which a short script that calls once should not pay, while a server checks the same
 * few schemas thousands of times.
 */
export const COMPILE_AFTER = 8;

/** zod's `compile`, where the runtime allows `new Function` (the platform's `compileSchema`). */
export type SchemaCompiler = (schema: z.ZodMiniType) => z.ZodMiniType;

interface Tier {
  uses: number;
  schema: Schema;
}

const tiers = new WeakMap<Schema, Tier>();

/** Whether a schema is zod's (4.x, classic or mini): only those can be compiled. */
function isZod(schema: Schema): schema is Schema & z.ZodMiniType {
  return typeof (schema as { _zod?: unknown })._zod === 'object';
}

/** The schema to parse with: itself for its first checks, then its compiled clone (with a compiler). */
function tierOf(schema: Schema, compile: SchemaCompiler | undefined): Schema {
  let tier = tiers.get(schema);
  if (tier === undefined) {
    tier = { uses: 0, schema };
    tiers.set(schema, tier);
  }
  if (tier.uses < COMPILE_AFTER) {
    tier.uses += 1;
    // An app that turned zod's JIT off (`z.config({ jitless: true })`, for a no-eval policy) gets no compiling.
    if (
      tier.uses === COMPILE_AFTER &&
      compile !== undefined &&
      isZod(schema) &&
      !z.config().jitless
    )
      tier.schema = compile(schema);
  }
  return tier.schema;
}

/**
 * Checks `value` against `schema`, with English messages; the result is the schema's `safeParse` result. With
 * `compile`, a schema checked often is compiled (see {@link COMPILE_AFTER}).
 */
export function check(
  schema: Schema,
  value: unknown,
  compile?: SchemaCompiler,
): ReturnType<Schema['safeParse']> {
  return tierOf(schema, compile).safeParse(value, PARSE_OPTIONS);
}
