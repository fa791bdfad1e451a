/**
 * The hand-written runtime, without any catalogue: what generated clients (ours in `generated/`, or one made by
 * `authnzerver-codegen` from your own catalogue) build on. Import it as `authnzerver/runtime`.
 */
export * as z from 'zod/mini';
export * as schema from './core/schema-builders.js';
export {
  AuthnzerverClient,
  SyncClient,
  parseRetryAfter,
  type BodyFor,
  type KeyStatus,
  type ResultFor,
} from './client.js';
export { LOG_LEVELS, stderrLogger, type LogLevel, type Logger } from './observe/log.js';
export type {
  AfterResponseEvent,
  BeforeRequestEvent,
  ErrorEvent,
  Hooks,
  RetryEvent,
} from './observe/hooks.js';
export { REDACTED, isSecretKey, redact } from './core/redact.js';
export { CALL_CHANNEL, type CallTrace, type TraceRetry } from './observe/tracing.js';
export { DEFAULT_RETRY, type RetryOptions, type RetryReason } from './core/retry.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  type AuthnzerverOptions,
  type ConfigSummary,
  type ResolvedConfig,
  type TimeoutOptions,
} from './client-options.js';
export { resolveConfig } from './config.js';
export { secretFromEnv, type SecretFromEnvOptions } from './config-sources.js';
export type { TransportPlan } from './transport/plan.js';
export {
  AuthnzerverError,
  ClientClosedError,
  ConfigError,
  FernetKeyError,
  FernetTokenError,
  RequestValidationError,
  type AuthnzerverErrorName,
  type FernetTokenProblem,
  type ValidationIssue,
} from './core/errors.js';
export type {
  HealthFailure,
  HealthFailureKind,
  HealthOptions,
  HealthResult,
  HealthyResult,
} from './health.js';
export {
  Fernet,
  MAX_CLOCK_SKEW_SECONDS,
  generateFernetKey,
  parseFernetKey,
  WebFernet,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
} from './crypto/fernet.js';
export { decodeWire, encodeWire } from './crypto/wire.js';
export {
  COMMUNICATION_MESSAGES,
  FAILURE_KINDS,
  type FailureKind,
  type FailureResult,
  type HttpFailureResult,
  type InvalidParamProblem,
  type InvalidParamsResponse,
  type InvalidParamsResult,
  type InvalidResponseResult,
  type RateLimitedResult,
  type RejectedResult,
  type DatabaseErrorResult,
  type ReplyFailureResult,
  type Reqid,
  type ResponseHeaders,
  type ResponseTuple,
  type SuccessResult,
  type TransportFailureResult,
  type UntypedResponseTuple,
} from './core/result.js';
export type { CallOptions } from './core/call-options.js';
export type {
  DeadlineClass,
  RequestMap,
  RequestShape,
  RequestSpec,
  Schema,
  SideEffects,
  SpecRegistry,
  UntypedBody,
} from './core/spec.js';
export { FetchTransport, type FetchLike } from './transport/fetch.js';
export type {
  Delivery,
  Transport,
  TransportFailure,
  TransportFailureKind,
  TransportOutcome,
  TransportRequest,
  TransportResponse,
} from './transport/types.js';
export { UndiciTransport } from './transport/undici-public.js';
export type { TlsMaterial, UndiciTransportOptions } from './transport/undici.js';
