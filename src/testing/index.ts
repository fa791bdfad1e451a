/**
 * Testing kit: a real loopback server that speaks authnzerver's protocol, with an in-memory authnzerver behind
 * it, for testing apps without the Python server. Import it as `authnzerver/testing`.
 *
 * - {@link createTestServer}: the test server with rate limiting, the failed-login back-off, typed handlers and
 *   the in-memory authnzerver;
 * - {@link startProtocolServer}: the bare protocol server, answering with one untyped handler;
 * - {@link startTestServerThread}: the test server in a worker thread, for code that uses the sync API.
 *
 * @packageDocumentation
 */
export {
  createTestServer,
  type ActionReplyFor,
  type ActionReplyOf,
  type CustomCatalogueOptions,
  type HandlersFor,
  type AuthnzerverTestServer,
  type CreateTestServerOptions,
  type LoginBackoffOptions,
  type RequestMethodName,
  type RequestTypeName,
  type TestServerHandlers,
  type TypedHandler,
} from './test-server.js';
export {
  startTestServerThread,
  type TestServerThread,
  type TestServerThreadOptions,
  type ThreadAuthnzerver,
} from './thread.js';
export {
  InMemoryAuthnzerver,
  type ActionDict,
  type InMemoryAuthnzerverOptions,
  type NewUser,
  type StoredApiKey,
  type StoredSession,
} from './authnzerver.js';
export { DEFAULT_TYPE_LIMITS, type RateLimitOptions } from './ratelimit.js';
export {
  checkParams,
  paramRules,
  paramRulesOf,
  type ParamProblem,
  type ParamRule,
  type RequiredType,
  type ServerTypeWord,
} from './params.js';
export { ROLES, type Role } from './permissions.js';
export { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './policy.js';
export {
  ERROR_BODIES,
  NOT_FOUND_HTML,
  startProtocolServer,
  wrapAction,
  type ActionReply,
  type Fault,
  type HandlerResult,
  type HttpErrorReply,
  type ReceivedRequest,
  type RequestHandler,
  type ProtocolServer,
  type ProtocolServerOptions,
} from './protocol-server.js';
export {
  createRecorder,
  type RecordedEnvelope,
  type Recorder,
  type RecorderOptions,
  type TranscriptRecord,
} from './recorder.js';
