import * as z from 'zod';

/**
 * Schema helpers that generated code uses for the catalogue types zod has no single word for. Hand-written
 * here, once; generated schemas only call them.
 */

/** A value that is neither null nor undefined: TypeScript spells it `{}`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type NonNull = {};

/** `Any` in the catalogue: any JSON value but `null`. */
export function anyValue(): z.ZodType<NonNull> {
  return z.custom<NonNull>((value) => value !== null && value !== undefined, {
    error: 'expected a value, not null',
  });
}

/**
 * `json[T]` in the catalogue: a string that holds the JSON text of a `T` (the server sends API keys this way).
 * The value stays a string (as the Python client gives it); `JSON.parse` it to read it.
 */
export function jsonString(inner: z.ZodType): z.ZodString {
  return z.string().check(
    z.refine(
      (text) => {
        try {
          return inner.safeParse(JSON.parse(text)).success;
        } catch {
          return false;
        }
      },
      { error: 'expected a JSON string of the documented shape' },
    ),
  );
}
