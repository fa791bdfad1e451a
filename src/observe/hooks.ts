/**
 * The hooks: observers of every call, handed redacted copies of the plaintext envelopes (the catalogue's secret
 * fields and secret-named keys are `[redacted]`). What they return is ignored, and a hook that throws or rejects
 * is logged, never passed on to the call. `observer.ts` calls them from the core's events.
 */
import { optionShape, type OptionShape } from '../core/options.js';
import type { LevelLogger } from './log.js';

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

/** The known keys of `hooks` (see `core/options.ts`). */
export const HOOK_OPTIONS: OptionShape = optionShape<Hooks>({
  beforeRequest: true,
  afterResponse: true,
  onRetry: true,
  onError: true,
});
