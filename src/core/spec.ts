/**
 * What a spec is: the data the generated code hands the runtime about each request type of the catalogue
 * (`generated/specs.ts`), and the part of a schema the runtime uses. Types only.
 */

/**
 * What the client passes to `safeParse`: zod's per-parse options, of which it sets only the error map (for
 * English messages). A schema that is not zod's may ignore them.
 */
export interface ParseOptions {
  readonly error?: (issue: never) => unknown;
}

/**
 * The part of a schema the client uses: zod schemas fit it, and so does anything with a compatible `safeParse`.
 */
export interface Schema<T = unknown> {
  safeParse(
    value: unknown,
    options?: ParseOptions,
  ):
    | { readonly success: true; readonly data: T }
    | {
        readonly success: false;
        readonly error: {
          readonly issues: readonly {
            readonly path: readonly PropertyKey[];
            readonly message: string;
          }[];
        };
      };
}

/** Whether a request type may be sent again when it is not known to have reached the server. */
export type SideEffects = 'read' | 'write';
/** Which deadline applies (the catalogue's `timeout` field): `timeouts.request` or `timeouts.login`. */
export type DeadlineClass = 'default' | 'login';

/** What the generated code tells the client about one request type: data only, no behaviour. */
export interface RequestSpec {
  /** The wire name, e.g. `user-login`. */
  readonly type: string;
  /** The method name, e.g. `userLogin`. */
  readonly method: string;
  readonly sideEffects: SideEffects;
  /** The catalogue's `timeout`: which of the client's deadlines applies. */
  readonly timeout: DeadlineClass;
  /** Dotted paths of secret fields, in the body and in the replies, for redaction. `[]` marks list items. */
  readonly secrets: { readonly body: readonly string[]; readonly response: readonly string[] };
  /**
   * The body's fields of catalogue type `datetime`: each may hold a `Date`, which the client sends in the server's
   * datetime format (`YYYY-MM-DDTHH:MM:SS.ffffff`, UTC). Absent when there are none.
   */
  readonly datetimes?: readonly string[];
  /** Strict schema of the body (with `client_ipaddr`). */
  readonly body: Schema;
  /** Loose schema of the cleaned success reply. */
  readonly success: Schema;
  /** Loose schema of the cleaned failure reply. */
  readonly failure: Schema;
}

/** The types of one request type, as the generated code declares them. */
export interface RequestShape {
  readonly body: object;
  readonly success: object;
  readonly failure: object;
}

/** A map from wire name to {@link RequestShape}; the generated `AuthnzerverRequests` is one. */
export type RequestMap<M> = { readonly [K in keyof M]: RequestShape };

/** The registry of specs the generated client passes to the runtime, keyed by wire name. */
export type SpecRegistry<M> = { readonly [K in keyof M]: RequestSpec };

/** The body of a request type that is not in the catalogue: any object with the end user's IP address. */
export interface UntypedBody {
  /** The IP address of the end user this request is made for; the server rate-limits by it. */
  readonly client_ipaddr: string;
  readonly [key: string]: unknown;
}
