/**
 * The errors this package throws. Only programmer errors throw: bad options, an invalid request body, a bad
 * Fernet key, use of a closed client. Transport and server failures never throw; they come back as failure
 * tuples (see `ResponseTuple`).
 *
 * Every class carries a brand (a `Symbol.for` key, the same in every copy), so `AuthnzerverError.is(x)` works
 * across realms (worker threads, vm contexts) and across copies of this package: its ES module and CommonJS
 * builds, when an app loads both, or two installed versions. `instanceof` works across copies too: each class's
 * `Symbol.hasInstance` falls back to its `is()`. So every error class here must define its own `static is()`.
 */

const BRAND = Symbol.for('authnzerver.error');

/** The names of the error classes, for narrowing on `error.name`. */
export type AuthnzerverErrorName =
  | 'AuthnzerverError'
  | 'ConfigError'
  | 'RequestValidationError'
  | 'FernetKeyError'
  | 'FernetTokenError'
  | 'ClientClosedError';

function hasBrand(value: unknown): value is { name: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** The base class of every error this package throws. */
export class AuthnzerverError extends Error {
  override name: AuthnzerverErrorName = 'AuthnzerverError';
  declare readonly [BRAND]: true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any error of this package, also one from another realm or copy of the package. */
  static is(value: unknown): value is AuthnzerverError {
    return hasBrand(value);
  }

  /**
   * `error instanceof ConfigError` (any class of this file): true for an instance of the class, and for an error
   * of the same class from another copy of this package (the other build, ES module or CommonJS). A subclass of
   * yours that does not define its own `is()` keeps plain `instanceof`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return Object.hasOwn(this, 'is') && (this as { is(value: unknown): boolean }).is(value);
  }
}

/**
 * A client option is missing or malformed. `option` names the constructor option, `envVar` the environment
 * variable it falls back to, if any. The message never contains the value of a secret.
 */
export class ConfigError extends AuthnzerverError {
  override name = 'ConfigError' as const;
  readonly option: string;
  readonly envVar: string | undefined;

  constructor(
    message: string,
    details: { option: string; envVar?: string | undefined; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.option = details.option;
    this.envVar = details.envVar;
  }

  static override is(value: unknown): value is ConfigError {
    return hasBrand(value) && value.name === 'ConfigError';
  }
}

/** One problem with a request body: where it is (`path`, as keys from the body's root) and what is wrong. */
export interface ValidationIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'body';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * A request body (or a request id) is invalid. Nothing was sent. `issues` lists every problem found, each
 * with the path of the field; the message names them all. Values are never included.
 */
export class RequestValidationError extends AuthnzerverError {
  override name = 'RequestValidationError' as const;
  readonly requestType: string;
  readonly issues: readonly ValidationIssue[];

  constructor(requestType: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
    super(`invalid body for request '${requestType}' (nothing was sent):\n${lines.join('\n')}`);
    this.requestType = requestType;
    this.issues = issues;
  }

  static override is(value: unknown): value is RequestValidationError {
    return hasBrand(value) && value.name === 'RequestValidationError';
  }
}

/** A Fernet key is malformed. The message says what is wrong with it, never what it is. */
export class FernetKeyError extends AuthnzerverError {
  override name = 'FernetKeyError' as const;

  static override is(value: unknown): value is FernetKeyError {
    return hasBrand(value) && value.name === 'FernetKeyError';
  }
}

/** Why a Fernet token was refused. */
export type FernetTokenProblem =
  'malformed' | 'version' | 'signature' | 'padding' | 'expired' | 'future';

/** A Fernet token could not be decrypted: tampered with, made with another key, expired or malformed. */
export class FernetTokenError extends AuthnzerverError {
  override name = 'FernetTokenError' as const;
  readonly problem: FernetTokenProblem;

  constructor(problem: FernetTokenProblem, message: string) {
    super(message);
    this.problem = problem;
  }

  static override is(value: unknown): value is FernetTokenError {
    return hasBrand(value) && value.name === 'FernetTokenError';
  }
}

/** A request was made on a client after `close()`. */
export class ClientClosedError extends AuthnzerverError {
  override name = 'ClientClosedError' as const;

  constructor() {
    super('this Authnzerver client was closed; make a new one to send more requests');
  }

  static override is(value: unknown): value is ClientClosedError {
    return hasBrand(value) && value.name === 'ClientClosedError';
  }
}
