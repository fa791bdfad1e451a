/**
 * The options of one call (`client.sessionExists(body, options)`) and their registry of known keys. The deadline
 * and retry options are read by `request.ts` (`prepareCall`), which settles the call's rules from them.
 */
import { optionShape, orFalse, type OptionShape } from './options.js';
import type { Reqid } from './result.js';
import { RETRY_OPTIONS, type RetryOptions } from './retry.js';

/** Options of one call. */
export interface CallOptions {
  /** The request id to send. @default 8 random bytes in url-safe base64 */
  readonly reqid?: Reqid | undefined;
  /**
   * The deadline of this call in milliseconds, replacing the one of its deadline class. The call ends by then,
   * whatever happens.
   * @default the client's `timeouts` for the request type's deadline class
   */
  readonly timeout?: number | undefined;
  /**
   * An absolute deadline (a `Date`, or milliseconds since the epoch); the earlier of this and `timeout` wins.
   * @default undefined (none)
   */
  readonly deadline?: Date | number | undefined;
  /**
   * Ends the call early with an `aborted` failure.
   * @default undefined (none)
   */
  readonly signal?: AbortSignal | undefined;
  /** Check the reply against the catalogue's schema. @default the client's `validateResponses` */
  readonly validateResponse?: boolean | undefined;
  /**
   * Retry options for this call, over the client's; `false` turns retries off for it.
   * @default the client's `retry`
   */
  readonly retry?: RetryOptions | false | undefined;
}

/** The options of one call (`CallOptions`). */
export const CALL_OPTIONS: OptionShape = optionShape<CallOptions>(
  {
    reqid: true,
    timeout: true,
    deadline: true,
    signal: true,
    validateResponse: true,
    retry: true,
  },
  { retry: orFalse(RETRY_OPTIONS) },
);
