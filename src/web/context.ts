/**
 * `Context`, the per-request context a handler sees (`AuthContext`): the request's session, caller and key, and
 * every action, each run by its flow (`sessions.ts`, `signup.ts`, `apikey-actions.ts`, `guards.ts`,
 * `limits.ts`) on the app's core and this request's state. It holds no logic of its own.
 */
import { applyCachePolicy } from './cache-policy.js';
import { wantsJson } from './failure.js';
import type { WebCore } from './core.js';
import { changePassword, logoutEverywhere } from './account.js';
import { issueApiKey, revokeApiKey } from './apikey-actions.js';
import { requireAccess, requireApiKey, requireRole, requireUser } from './guards.js';
import { checkLimit, limitRequests } from './limits.js';
import { requestPasswordReset, resetPassword } from './password-reset.js';
import { checkPassword, confirmEmailChange, editProfile, resendVerification } from './profile.js';
import { ensureSession, login, logout } from './sessions.js';
import { sessionData, setData } from './session-data.js';
import { signup, verifyEmail } from './signup.js';
import { confirmPassword, deleteAccount, requireRecentAuth } from './step-up.js';
import type { RequestState } from './state.js';
import type {
  AccessQuery,
  ActionResult,
  ApiKeyInfo,
  AuthContext,
  AuthFailure,
  IssueApiKeyInput,
  IssuedApiKey,
  LoginOptions,
  PasswordCheckInput,
  Principal,
  ProfileInput,
  ProfileValue,
  Session,
  SignupValue,
  UserSession,
} from './types.js';

const COOKIE_ONLY: readonly string[] = Object.freeze(['Cookie']);
const COOKIE_AND_AUTHORIZATION: readonly string[] = Object.freeze(['Cookie', 'Authorization']);

/** One request's context. */
export class Context implements AuthContext {
  readonly #core: WebCore;
  readonly #state: RequestState;

  constructor(core: WebCore, state: RequestState) {
    this.#core = core;
    this.#state = state;
  }

  get clientIp(): string {
    return this.#state.clientIp;
  }

  get origin(): string {
    return this.#state.origin;
  }

  get session(): Session {
    return this.#state.session;
  }

  get user(): Principal | null {
    return this.#state.user;
  }

  get apiKey(): ApiKeyInfo | null {
    return this.#state.apiKey;
  }

  get setCookies(): readonly string[] {
    return this.#state.setCookies;
  }

  get personal(): boolean {
    return this.#state.personal;
  }

  get varyOn(): readonly string[] {
    return this.#core.settings.apiKeys === null && this.#state.apiKey === null
      ? COOKIE_ONLY
      : COOKIE_AND_AUTHORIZATION;
  }

  get wantsJson(): boolean {
    return wantsJson(this.#state.request.headers);
  }

  ensureSession(): Promise<ActionResult<Session>> {
    return ensureSession(this.#core, this.#state);
  }

  login(
    email: unknown,
    password: unknown,
    options?: LoginOptions,
  ): Promise<ActionResult<UserSession>> {
    return login(this.#core, this.#state, email, password, options);
  }

  get data(): Readonly<Record<string, unknown>> {
    return sessionData(this.#state);
  }

  setData(patch: unknown): Promise<ActionResult<Readonly<Record<string, unknown>>>> {
    return setData(this.#core, this.#state, patch);
  }

  logout(): Promise<ActionResult<null>> {
    return logout(this.#core, this.#state);
  }

  signup(input: {
    fullName: unknown;
    email: unknown;
    password: unknown;
  }): Promise<ActionResult<SignupValue>> {
    return signup(this.#core, this.#state, input);
  }

  verifyEmail(token: unknown, email?: string): Promise<ActionResult<{ readonly email: string }>> {
    return verifyEmail(this.#core, this.#state, token, email);
  }

  issueApiKey(input: IssueApiKeyInput = {}): Promise<ActionResult<IssuedApiKey>> {
    return issueApiKey(this.#core, this.#state, input);
  }

  revokeApiKey(token: unknown): Promise<ActionResult<null>> {
    return revokeApiKey(this.#core, this.#state, token);
  }

  requireUser(): AuthFailure | null {
    return requireUser(this.#core, this.#state);
  }

  requireApiKey(): AuthFailure | null {
    return requireApiKey(this.#core, this.#state);
  }

  requireRole(...roles: readonly string[]): AuthFailure | null {
    return requireRole(this.#core, this.#state, roles);
  }

  requireAccess(query: AccessQuery): Promise<AuthFailure | null> {
    return requireAccess(this.#core, this.#state, query);
  }

  checkLimit(limitName: string, value: unknown, retryAfter?: number): Promise<AuthFailure | null> {
    return checkLimit(this.#core, this.#state, limitName, value, retryAfter);
  }

  limitRequests(
    limitName = 'max_requests_per_minute',
    windowSeconds = 60,
  ): Promise<AuthFailure | null> {
    return limitRequests(this.#core, this.#state, limitName, windowSeconds);
  }

  requestPasswordReset(email: unknown): Promise<ActionResult<{ readonly email: string }>> {
    return requestPasswordReset(this.#core, this.#state, email);
  }

  resetPassword(
    token: unknown,
    newPassword: unknown,
  ): Promise<ActionResult<{ readonly email: string }>> {
    return resetPassword(this.#core, this.#state, token, newPassword);
  }

  changePassword(current: unknown, next: unknown): Promise<ActionResult<null>> {
    return changePassword(this.#core, this.#state, current, next);
  }

  logoutEverywhere(options: { keepCurrent?: boolean } = {}): Promise<ActionResult<null>> {
    return logoutEverywhere(this.#core, this.#state, options);
  }

  confirmPassword(password: unknown): Promise<ActionResult<null>> {
    return confirmPassword(this.#core, this.#state, password);
  }

  requireRecentAuth(maxAgeSeconds: number): AuthFailure | null {
    return requireRecentAuth(this.#core, this.#state, maxAgeSeconds);
  }

  deleteAccount(password: unknown): Promise<ActionResult<null>> {
    return deleteAccount(this.#core, this.#state, password);
  }

  editProfile(input: ProfileInput): Promise<ActionResult<ProfileValue>> {
    return editProfile(this.#core, this.#state, input);
  }

  confirmEmailChange(token: unknown): Promise<ActionResult<{ readonly email: string }>> {
    return confirmEmailChange(this.#core, this.#state, token);
  }

  resendVerification(email: unknown): Promise<ActionResult<{ readonly email: string }>> {
    return resendVerification(this.#core, this.#state, email);
  }

  checkPassword(input: PasswordCheckInput): Promise<ActionResult<{ readonly valid: boolean }>> {
    return checkPassword(this.#core, this.#state, input);
  }

  apply(response: Response): Response {
    for (const value of this.#state.setCookies) response.headers.append('set-cookie', value);
    applyCachePolicy(this, response.headers);
    return response;
  }
}
