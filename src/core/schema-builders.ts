import * as z from 'zod/mini';
import { isServerDate } from './datetime.js';

/**
 * Schema helpers that generated code uses: the catalogue types zod has no single word for, and the building of
 * schemas on first use, so that importing a generated client builds none. Hand-written here, once; generated
 * schemas only call them.
 */

/** A value that is neither null nor undefined: TypeScript spells it `{}`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type NonNull = {};

/** `Any` in the catalogue: any JSON value but `null`. */
export function anyValue(): z.ZodMiniType<NonNull> {
  return z.custom<NonNull>((value: unknown) => value !== null && value !== undefined, {
    error: 'expected a value, not null',
  });
}

/**
 * `json[T]` in the catalogue: a string that holds the JSON text of a `T` (the server sends API keys this way).
 * The value stays a string (as the Python client gives it); `JSON.parse` it to read it.
 */
export function jsonString(inner: z.ZodMiniType): z.ZodMiniString {
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

/**
 * `datetime` in the catalogue: a request argument given as a string (sent as it is) or as a `Date`, which the
 * client sends in the server's datetime format (the spec's `datetimes`). A `Date` must be valid and in the years
 * 1 to 9999, which the server can hold.
 */
export function datetime(): z.ZodMiniUnion<
  readonly [z.ZodMiniString<string>, z.ZodMiniDate<Date>]
> {
  return z.union(
    [
      z.string(),
      z
        .date()
        .check(z.refine(isServerDate, { error: 'must be a Date in the years 1 to 9999 (UTC)' })),
    ],
    {
      error: (issue) =>
        issue.input instanceof Date
          ? 'is an invalid Date (its time is NaN): expected a valid Date or a string'
          : "expected a Date or a string in the server's format (YYYY-MM-DDTHH:MM:SS.ffffff, UTC)",
    },
  );
}

/**
 * A schema built on first use, then kept: `build` runs on the first call of the returned function, and every
 * later call returns the same schema. Generated code makes each named type's schema with it.
 */
export function once<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * An object whose properties are built on first read, each once: generated code makes the map of a catalogue's
 * request types to their schemas with it, so that a request type's schemas are built by its first call, and the
 * types never called cost nothing. The keys are there from the start, enumerable and in order; once built, a
 * property becomes a plain read-only value, so later reads cost no call.
 */
export function lazily<B extends Readonly<Record<string, () => unknown>>>(
  builders: B,
): { readonly [K in keyof B]: ReturnType<B[K]> } {
  const out = {};
  for (const [key, build] of Object.entries(builders)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get(): unknown {
        const value = build();
        Object.defineProperty(out, key, { value, enumerable: true, writable: false });
        return value;
      },
    });
  }
  return out as { readonly [K in keyof B]: ReturnType<B[K]> };
}
