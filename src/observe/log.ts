/**
 * Logging and hooks. Both are off unless asked for, and both only ever see redacted data: the catalogue's secret
 * fields and secret-named keys are replaced by `[redacted]` before anything leaves the client.
 */

/** Anything console-like: `console` itself, pino, winston, or your own. Missing levels are skipped. */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn?(message: string, ...details: unknown[]): void;
  error?(message: string, ...details: unknown[]): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

const RANK: Readonly<Record<LogLevel, number>> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

/** Writes one line per entry to stderr, so that logs never mix with a program's output on stdout. */
export const stderrLogger: Logger = Object.freeze({
  debug: (message: string, ...details: unknown[]) => {
    writeLine('debug', message, details);
  },
  info: (message: string, ...details: unknown[]) => {
    writeLine('info', message, details);
  },
  warn: (message: string, ...details: unknown[]) => {
    writeLine('warn', message, details);
  },
  error: (message: string, ...details: unknown[]) => {
    writeLine('error', message, details);
  },
});

function writeLine(level: LogLevel, message: string, details: unknown[]): void {
  const tail =
    details.length === 0
      ? ''
      : ` ${details.map((d) => (typeof d === 'string' ? d : safeJson(d))).join(' ')}`;
  const line = `authnzerver ${level}: ${message}${tail}`;
  // Runtimes without a process's stderr (Cloudflare Workers, edge functions) log to the console's error stream.
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process
    ?.stderr;
  if (stderr === undefined) console.error(line);
  else stderr.write(`${line}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A logger bound to a level: calls below it cost one comparison. */
export class LevelLogger {
  readonly #logger: Logger | undefined;
  readonly #rank: number;

  constructor(logger: Logger | undefined, level: LogLevel) {
    this.#logger = level === 'silent' ? undefined : logger;
    this.#rank = RANK[level];
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return this.#logger !== undefined && RANK[level] >= this.#rank;
  }

  log(
    level: Exclude<LogLevel, 'silent'>,
    message: string,
    details?: Record<string, unknown>,
  ): void {
    const logger = this.#logger;
    if (logger === undefined || !this.enabled(level)) return;
    try {
      if (details === undefined) logger[level]?.(message);
      else logger[level]?.(message, details);
    } catch {
      // A broken logger must not break a call.
    }
  }
}

/** Called before each attempt, with the plaintext envelope (secrets redacted). */
export interface BeforeRequestEvent {
  readonly type: string;
  readonly reqid: string | number;
  readonly attempt: number;
  readonly envelope: Readonly<Record<string, unknown>>;
}

/** Called after each attempt that got an HTTP reply, with the decrypted envelope when there is one (secrets redacted). */
export interface AfterResponseEvent {
  readonly type: string;
  readonly reqid: string | number;
  readonly attempt: number;
  readonly statusCode: number;
  readonly durationMs: number;
  /** The decrypted reply envelope, or null when the reply was not one (an HTTP error page, a failure to decrypt). */
  readonly envelope: Readonly<Record<string, unknown>> | null;
  readonly success: boolean;
  readonly failure: string | null;
}

/** Called before an attempt is sent again. */
export interface RetryEvent {
  readonly type: string;
  readonly reqid: string | number;
  /** The attempt that is about to be made (2 for the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why (see `RetryReason`); `key-refused`: sent again at once with the next key of `secret`. */
  readonly reason: 'not-sent' | 'transient' | 'rate-limited' | 'key-refused';
  readonly failure: string;
  readonly failureReason: string | null;
}

/** Called once per call that ends in a failure other than `rejected` (the server saying no is not an error). */
export interface ErrorEvent {
  readonly type: string;
  readonly reqid: string | number;
  readonly attempts: number;
  readonly failure: string;
  readonly failureReason: string | null;
  readonly statusCode: number | null;
}

/**
 * Observers of every call. They get redacted copies and cannot change the request; what they return is ignored,
 * and an exception or a rejected promise from a hook is logged, never passed on to the call.
 */
export interface Hooks {
  readonly beforeRequest?: ((event: BeforeRequestEvent) => unknown) | undefined;
  readonly afterResponse?: ((event: AfterResponseEvent) => unknown) | undefined;
  readonly onRetry?: ((event: RetryEvent) => unknown) | undefined;
  readonly onError?: ((event: ErrorEvent) => unknown) | undefined;
}

/** Calls a hook, containing its failures. */
export function callHook<E>(
  name: keyof Hooks,
  hook: ((event: E) => unknown) | undefined,
  event: E,
  logger: LevelLogger,
): void {
  if (hook === undefined) return;
  const report = (error: unknown): void => {
    logger.log(
      'error',
      `the ${name} hook failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  try {
    const returned = hook(event);
    if (returned instanceof Promise) returned.catch(report);
  } catch (error) {
    report(error);
  }
}
