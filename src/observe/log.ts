/**
 * Logging: the `logger` option's interface, log levels, and the stderr logger. Off unless asked for, and it only
 * ever sees redacted data: the catalogue's secret fields and secret-named keys are replaced by `[redacted]`
 * before anything leaves the client. The hooks are `hooks.ts`.
 */

/** Anything console-like: `console` itself, pino, winston, or your own. Missing levels are skipped. */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn?(message: string, ...details: unknown[]): void;
  error?(message: string, ...details: unknown[]): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const satisfies readonly LogLevel[];

/** Every log level, from the lowest. */
export const LOG_LEVELS: readonly LogLevel[] = LEVELS;

/** The other direction of the check: every level of {@link LogLevel} is in the list (else this does not compile). */
const _everyLevelListed: [Exclude<LogLevel, (typeof LEVELS)[number]>] extends [never]
  ? true
  : never = true;

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
