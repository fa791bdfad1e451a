/**
 * `authnzerver/web`: sessions, log-in, sign-up with email verification, log-out, CSRF, client IP, Bearer API
 * keys, guards and limits for web apps, on the typed client and web-standard Request/Response only, so it runs
 * on Node, Bun, Deno, Workers and edge runtimes. The Express, Fastify, Hono, SvelteKit and React Router adapters
 * (`authnzerver/express`, `authnzerver/fastify`, `authnzerver/hono`, `authnzerver/sveltekit`,
 * `authnzerver/react-router`) are thin layers over it.
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * import { createWebAuth } from 'authnzerver/web';
 * const auth = createWebAuth({ client: new Authnzerver(), origin: 'https://app.example.com' });
 * // in a fetch handler:
 * const result = await auth.authenticate(request, { remoteAddress });
 * if (!result.ok) return auth.failureResponse(result.failure, result.setCookies);
 * const { context } = result; // context.session.kind: 'none' | 'anonymous' | 'user'
 *
 * @packageDocumentation
 */
export { createWebAuth, INPUT_LIMITS } from './auth.js';
export {
  failure as authFailure,
  failureHeaders,
  failureJson,
  wantsJson,
  type BearerError,
} from './failure.js';
export { applyCachePolicy, PRIVATE_NO_STORE, type HeaderAccess } from './cache-policy.js';
export {
  memoryStore,
  type AuthStore,
  type Counted,
  type MemoryStore,
  type MemoryStoreOptions,
} from './store.js';
export {
  redisStore,
  type IoRedisClient,
  type NodeRedisClient,
  type RedisStoreOptions,
} from './redis-store.js';
export { memoryMailer, consoleMailer, type MemoryMailer } from './mailer.js';
export { clientIp } from './ip.js';
export type {
  AccessQuery,
  ActionResult,
  AnonymousSession,
  ApiKeyInfo,
  AuthContext,
  AuthenticateOptions,
  AuthenticateResult,
  AuthFailure,
  AuthFailureCode,
  AuthRequest,
  IssuedApiKey,
  IssueApiKeyInput,
  LoginOptions,
  NoSession,
  PasswordCheckInput,
  Principal,
  ProfileInput,
  ProfileValue,
  RequestEnv,
  Session,
  SignupInput,
  SignupValue,
  UserSession,
  WebAuth,
} from './types.js';
export type {
  ApiKeyOptions,
  CookieOptions,
  CsrfOptions,
  EmailVerificationOptions,
  LoginThrottleOptions,
  LoginWindowOptions,
  Mailer,
  MailMessage,
  RememberMeOptions,
  RotationOptions,
  PasswordResetOptions,
  SessionCacheOptions,
  SessionLifetimes,
  TrustProxy,
  WebAuthOptions,
  WebLogger,
} from './options.js';
