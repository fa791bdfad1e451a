// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
import { AuthnzerverClient, SyncClient } from '../src/runtime.js';
import type { AuthnzerverOptions, CallOptions, ResponseTuple } from '../src/runtime.js';
import { specs } from './specs.js';
import type * as T from './types.js';

/**
 * The authnzerver client: one typed method per request type of the catalogue, and the generic `request(type, body, reqid?)`.
 *
 * Typed catalogue of the 38 request types of the authnzerver auth server at git 9a038e3: for each type, its required and optional arguments, the keys of its success and failure replies (the action dict without success, messages and failure_reason), whether it is safe to retry and which deadline class applies. Derived from the server's request schema and action code and from 207 recorded calls.
 *
 * @example
 * const client = new Authnzerver(); // AUTHNZERVER_URL and AUTHNZERVER_SECRET
 * const result = await client.sessionNew({ ip_address, user_agent, user_id, expires, extra_info_json, client_ipaddr: req.ip });
 * if (result.success) console.log(result.response);
 * else console.log(result.failure, result.messages);
 */
export class Authnzerver extends AuthnzerverClient<T.AuthnzerverRequests> {
  /**
   * @param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and `AUTHNZERVER_SECRET`.
   *
   * @throws {ConfigError} when an option is missing or malformed; it names the option and its variable.
   */
  constructor(options?: AuthnzerverOptions) {
    super(options, specs);
  }

  /** The same methods, synchronous, for scripts and start-up code: `client.sync.sessionNew(body)` returns the tuple itself. Same validation, deadlines, retries and failure kinds; the network I/O runs in a worker thread while the caller blocks. */
  get sync(): AuthnzerverSync {
    return this.syncView(AuthnzerverSync);
  }

  /**
   * Start a session for the anonymous user or for a user who has just logged in, and get its token.
   *
   * The server trusts user_id: only pass an id that user-login just returned. Give expires as a Date: the client
   * sends it as the server parses it (naive UTC with microseconds). A string is sent as it is and must carry the
   * fractional seconds (a trailing Z is tolerated); an expiry without them, an invalid IP address or an unknown
   * user id all fail with "DB error when making new session".
   *
   * Sends `session-new`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `session-new`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.SessionNewSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.SessionNewFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  sessionNew(
    body: T.SessionNewBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.SessionNewSuccess, T.SessionNewFailure>> {
    return this.call(specs['session-new'], body, options);
  }

  /**
   * Look up a live session by its token, with the columns of the user it belongs to.
   *
   * Expired and unknown tokens both fail with "session does not exist or expired".
   *
   * Sends `session-exists`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `session-exists`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.SessionExistsSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.SessionExistsFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  sessionExists(
    body: T.SessionExistsBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.SessionExistsSuccess, T.SessionExistsFailure>> {
    return this.call(specs['session-exists'], body, options);
  }

  /**
   * End a session by deleting its token.
   *
   * A token that matches no session (for example one already deleted) fails with no failure_reason.
   *
   * Sends `session-delete`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `session-delete`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.SessionDeleteSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.SessionDeleteFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  sessionDelete(
    body: T.SessionDeleteBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.SessionDeleteSuccess, T.SessionDeleteFailure>> {
    return this.call(specs['session-delete'], body, options);
  }

  /**
   * Delete all sessions of a user, sparing the caller's current session.
   *
   * The server does not check that session_token exists or belongs to user_id. The reply is a failure with no
   * failure_reason when no session was deleted.
   *
   * **Known server defect:** The server ignores keep_current_session and tests the session token instead, so the session named by a non-empty
   * session_token is always kept, even with keep_current_session false.
   *
   * Sends `session-delete-userid`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `session-delete-userid`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.SessionDeleteUseridSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.SessionDeleteUseridFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  sessionDeleteUserid(
    body: T.SessionDeleteUseridBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.SessionDeleteUseridSuccess, T.SessionDeleteUseridFailure>> {
    return this.call(specs['session-delete-userid'], body, options);
  }

  /**
   * Check an email and password on an anonymous session and return the user's id and role.
   *
   * The given session is always deleted, whether the login succeeds or fails: on success create a new session with
   * session-new and the returned user_id, on failure create a new anonymous session before trying again. Only active
   * accounts with a verified email can log in; unknown, unverified and inactive accounts all fail with "user does
   * not exist or password doesn't match". An unknown token fails with "session does not exist".
   *
   * Every failure, including invalid parameters and an unknown session, counts against the email in server memory
   * and is answered only after a back-off of 1.5^(n-1) seconds (capped at 40 s); a success resets the count. Once
   * the count passes the server's lock-out threshold (10 by default) the account is locked for an hour (role locked,
   * inactive) and the reply is a failure with user_id null and no failure_reason.
   *
   * Sends `user-login`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.login`: the server delays failed log-ins by up to 40 s.
   * @param body the arguments of `user-login`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserLoginSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserLoginFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userLogin(
    body: T.UserLoginBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserLoginSuccess, T.UserLoginFailure>> {
    return this.call(specs['user-login'], body, options);
  }

  /**
   * Log a user out by deleting the user's session.
   *
   * An unknown or expired token fails with "session does not exist"; a session that belongs to another user fails
   * with "user does not exist" and is kept.
   *
   * Sends `user-logout`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-logout`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserLogoutSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserLogoutFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userLogout(
    body: T.UserLogoutBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserLogoutSuccess, T.UserLogoutFailure>> {
    return this.call(specs['user-logout'], body, options);
  }

  /**
   * Check a password against the user who owns a session, for example before a sensitive action.
   *
   * Changes nothing on the server and, unlike user-passcheck-nosession, is not subject to the failed-login back-off
   * or lock-out. Reasons: "session does not exist", "user does not exist or password doesn't match", "user exists
   * but is inactive".
   *
   * Sends `user-passcheck`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-passcheck`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserPasscheckSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserPasscheckFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userPasscheck(
    body: T.UserPasscheckBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserPasscheckSuccess, T.UserPasscheckFailure>> {
    return this.call(specs['user-passcheck'], body, options);
  }

  /**
   * Check an email and password without a session.
   *
   * A correct password of an inactive or locked account fails with "user exists but is inactive" and that user's id.
   *
   * Every failure, including invalid parameters, counts against the email in server memory and is answered only
   * after a back-off of 1.5^(n-1) seconds (capped at 40 s); a success resets the count. Once the count passes the
   * server's lock-out threshold (10 by default) the account is locked for an hour (role locked, inactive) and the
   * reply is a failure with user_id null and no failure_reason.
   *
   * Sends `user-passcheck-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.login`: the server delays failed log-ins by up to 40 s.
   * @param body the arguments of `user-passcheck-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserPasscheckNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserPasscheckNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userPasscheckNosession(
    body: T.UserPasscheckNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserPasscheckNosessionSuccess, T.UserPasscheckNosessionFailure>> {
    return this.call(specs['user-passcheck-nosession'], body, options);
  }

  /**
   * Sign up a new user account, which stays locked until its email is verified.
   *
   * The account is created inactive with role locked and is not logged in. Send the verification email yourself,
   * then call user-set-emailverified, which activates it with role authenticated; then session-new, user-login and
   * session-new with the user_id.
   *
   * The email is stored Unicode-normalized and case-folded, and other requests compare emails exactly, so send the
   * stored form afterwards.
   *
   * Reasons: "invalid email", "invalid full name", "invalid password" (messages say why), "user exists" and "DB
   * issue with user creation" (for example extra_info that is not an object). For "user exists" on an unverified
   * account whose last verification is older than verify_retry_wait hours, the server overwrites that account with
   * this request's name, password and extra_info and sets send_verification true. The messages end with "User
   * account created..." even on failure; rely on success only.
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-new`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-new`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserNewSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserNewFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userNew(
    body: T.UserNewBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserNewSuccess, T.UserNewFailure>> {
    return this.call(specs['user-new'], body, options);
  }

  /**
   * Change a user's password given the current one, logging the user out of other sessions.
   *
   * The server does not check session_token; it only spares that session when it deletes the user's other sessions
   * after a successful change. Reasons: "user does not exist" (no active user with that id and email), "user
   * password does not match", "password did not change", "new password is insecure" (messages say why).
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-changepass`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-changepass`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserChangepassSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserChangepassFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userChangepass(
    body: T.UserChangepassBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserChangepassSuccess, T.UserChangepassFailure>> {
    return this.call(specs['user-changepass'], body, options);
  }

  /**
   * Change a user's password given the current one, without a session.
   *
   * Same checks and reasons as user-changepass, but the user's sessions are left alone.
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-changepass-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-changepass-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserChangepassNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserChangepassNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userChangepassNosession(
    body: T.UserChangepassNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserChangepassNosessionSuccess, T.UserChangepassNosessionFailure>> {
    return this.call(specs['user-changepass-nosession'], body, options);
  }

  /**
   * Let a user delete their own account, confirmed by email, id and password.
   *
   * Also deletes the user's sessions. Reasons: "invalid email" (no account with that id and email), "invalid
   * password", "can't delete superusers".
   *
   * Sends `user-delete`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-delete`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserDeleteSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserDeleteFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userDelete(
    body: T.UserDeleteBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserDeleteSuccess, T.UserDeleteFailure>> {
    return this.call(specs['user-delete'], body, options);
  }

  /**
   * Get one user by id, or all users.
   *
   * An unknown user_id is not an error: the reply is a success with an empty list.
   *
   * Sends `user-list`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-list`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserListSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserListFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userList(
    body: T.UserListBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserListSuccess, T.UserListFailure>> {
    return this.call(specs['user-list'], body, options);
  }

  /**
   * Find the user with an email address.
   *
   * An unknown address fails with "user email not found in DB". A missing or empty email is refused by the server's
   * rate limiter with HTTP 429.
   *
   * Sends `user-lookup-email`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-lookup-email`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserLookupEmailSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserLookupEmailFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userLookupEmail(
    body: T.UserLookupEmailBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserLookupEmailSuccess, T.UserLookupEmailFailure>> {
    return this.call(specs['user-lookup-email'], body, options);
  }

  /**
   * Find users whose column equals a value, or whose extra_info contains given keys and values.
   *
   * An object match is only allowed with by extra_info, and by extra_info needs an object (otherwise an "invalid
   * request" failure); an unknown column fails with "exception in DB access". On SQLite, extra_info values are
   * compared as strings.
   *
   * Sends `user-lookup-match`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-lookup-match`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserLookupMatchSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserLookupMatchFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userLookupMatch(
    body: T.UserLookupMatchBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserLookupMatchSuccess, T.UserLookupMatchFailure>> {
    return this.call(specs['user-lookup-match'], body, options);
  }

  /**
   * Edit a user's details as that user or as a superuser.
   *
   * Authenticated and staff users may change only their own full_name and email. A superuser may change full_name,
   * email, is_active, user_role (a known role) and email_verified of any user. Users 2 and 3 (the anonymous and
   * locked system users) cannot be edited. The session must be active and belong to user_id with user_role. Other
   * roles, authenticated or staff users editing someone else, and superusers with a bad session fail with "invalid
   * session for edit attempt"; an authenticated or staff user with a bad session fails with "no valid session found
   * for originating user_id".
   *
   * Sends `user-edit`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-edit`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserEditSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserEditFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userEdit(
    body: T.UserEditBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserEditSuccess, T.UserEditFailure>> {
    return this.call(specs['user-edit'], body, options);
  }

  /**
   * Set a new password for an active user who forgot it, from a live session.
   *
   * The server only checks that the session exists: the caller must have verified the forgot-password token first.
   * Re-using the old password is allowed. Reasons: "session does not exist", "user does not exist", "invalid
   * password" (messages say why).
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-resetpass`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-resetpass`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserResetpassSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserResetpassFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userResetpass(
    body: T.UserResetpassBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserResetpassSuccess, T.UserResetpassFailure>> {
    return this.call(specs['user-resetpass'], body, options);
  }

  /**
   * Set a new password for a user without a session, optionally only for an inactive account.
   *
   * Reasons: "user does not exist or is_active was not as required", "invalid new password" (messages say why).
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-resetpass-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-resetpass-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserResetpassNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserResetpassNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userResetpassNosession(
    body: T.UserResetpassNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserResetpassNosessionSuccess, T.UserResetpassNosessionFailure>> {
    return this.call(specs['user-resetpass-nosession'], body, options);
  }

  /**
   * Lock or unlock another user's account as a superuser.
   *
   * Locking sets role locked and is_active false, appends the old role to extra_info.previous_user_roles and deletes
   * all the target's sessions; unlocking restores the last previous role. Locking a locked account (or unlocking an
   * unlocked one) succeeds without a change.
   *
   * Sends `user-lock`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-lock`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserLockSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserLockFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userLock(
    body: T.UserLockBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserLockSuccess, T.UserLockFailure>> {
    return this.call(specs['user-lock'], body, options);
  }

  /**
   * Check whether a password would be accepted for a user, without changing anything.
   *
   * messages lists the problems found (empty when the password is fine); a refused password fails with "password is
   * insecure or invalid". A running server applies its configured password policy, which overrides all four kwargs.
   * max_character_frequency is checked as a Python float only when non-zero: JavaScript sends 1.0 as 1, which the
   * server rejects as invalid parameters, so pass a fractional value.
   *
   * Password validation pauses at random (up to 0.7 seconds) and then asks an external breached-password service
   * with a 5-second timeout, so the reply can take several seconds.
   *
   * Sends `user-validatepass`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-validatepass`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserValidatepassSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserValidatepassFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userValidatepass(
    body: T.UserValidatepassBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserValidatepassSuccess, T.UserValidatepassFailure>> {
    return this.call(specs['user-validatepass'], body, options);
  }

  /**
   * Send the sign-up verification email to a new, still locked user.
   *
   * Rate-limited to 2 calls a minute per client address and per email_address.
   *
   * **Known server defect:** Cannot succeed at server revision 9a038e3: the schema types email_address as int and created_info as str, while
   * the action needs an email string, a created_info dict and an account_verify_url key that the schema does not
   * list. A string email_address is refused as invalid parameters, a request without account_verify_url fails with
   * "invalid request: missing 'account_verify_url' in request", and one with it makes the server answer HTTP 400.
   *
   * Sends `user-sendemail-signup`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-sendemail-signup`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserSendemailSignupSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserSendemailSignupFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userSendemailSignup(
    body: T.UserSendemailSignupBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserSendemailSignupSuccess, T.UserSendemailSignupFailure>> {
    return this.call(specs['user-sendemail-signup'], body, options);
  }

  /**
   * Send a forgot-password email with a verification code to an active user.
   *
   * Rate-limited to 2 calls a minute per client address and per email_address; at most one email a day per user.
   *
   * **Known server defect:** Cannot succeed for a real address at server revision 9a038e3: the schema types email_address as int, so a string
   * address is refused as invalid parameters, and an integer matches no user's email ("invalid user for forgot-pass
   * email request").
   *
   * Sends `user-sendemail-forgotpass`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-sendemail-forgotpass`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserSendemailForgotpassSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserSendemailForgotpassFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userSendemailForgotpass(
    body: T.UserSendemailForgotpassBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserSendemailForgotpassSuccess, T.UserSendemailForgotpassFailure>> {
    return this.call(specs['user-sendemail-forgotpass'], body, options);
  }

  /**
   * Mark a user's email as verified and activate the account.
   *
   * Any inactive account with this email is activated with its previous role (authenticated for a new sign-up),
   * including one locked by a superuser or by the login lock-out; an already active account succeeds unchanged. An
   * unknown email fails with "could not find user in DB by email"; a missing or empty email gets HTTP 429 from the
   * rate limiter.
   *
   * Sends `user-set-emailverified`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-set-emailverified`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserSetEmailverifiedSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserSetEmailverifiedFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userSetEmailverified(
    body: T.UserSetEmailverifiedBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserSetEmailverifiedSuccess, T.UserSetEmailverifiedFailure>> {
    return this.call(specs['user-set-emailverified'], body, options);
  }

  /**
   * Record that a sign-up or forgot-password email was just sent to a user.
   *
   * An unknown email fails with "could not update the email sent status in DB". Rate-limited to 2 calls a minute per
   * client address and per email; a missing or empty email gets HTTP 429.
   *
   * Sends `user-set-emailsent`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-set-emailsent`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserSetEmailsentSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserSetEmailsentFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userSetEmailsent(
    body: T.UserSetEmailsentBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserSetEmailsentSuccess, T.UserSetEmailsentFailure>> {
    return this.call(specs['user-set-emailsent'], body, options);
  }

  /**
   * Issue an API key tied to a user's live session.
   *
   * The user must be active with that role and allowed to create API keys ("user not allowed to issue API key"); the
   * session must match user_id, user_role, ip_address and user_agent exactly ("invalid session for user requesting
   * API key issuance"). Pass the parsed key as apikey_dict to apikey-verify and apikey-revoke.
   *
   * Sends `apikey-new`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-new`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyNewSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyNewFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyNew(
    body: T.ApikeyNewBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyNewSuccess, T.ApikeyNewFailure>> {
    return this.call(specs['apikey-new'], body, options);
  }

  /**
   * Check that a session API key is known, unrevoked and inside its validity window.
   *
   * The presenting user must be active with that role and allowed to view the key owner's keys. The server checks
   * only tkn, uid and rol against its store and the issue, not-before and expiry times; check aud, ipa and usa
   * yourself. Reasons: "originating user is not allowed to operate on this API key", and "key validation failed,
   * ..." for a key that is unknown, revoked, expired or not yet valid.
   *
   * Sends `apikey-verify`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-verify`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyVerifySuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyVerifyFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyVerify(
    body: T.ApikeyVerifyBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyVerifySuccess, T.ApikeyVerifyFailure>> {
    return this.call(specs['apikey-verify'], body, options);
  }

  /**
   * Revoke a session API key.
   *
   * The user must be allowed to delete the key owner's keys ("originating user is not allowed to operate on this API
   * key"). A key that is already gone fails with no failure_reason.
   *
   * Sends `apikey-revoke`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-revoke`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyRevokeSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyRevokeFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyRevoke(
    body: T.ApikeyRevokeBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyRevokeSuccess, T.ApikeyRevokeFailure>> {
    return this.call(specs['apikey-revoke'], body, options);
  }

  /**
   * Issue an API key with a refresh token, without a session.
   *
   * No session is checked: the caller must have authenticated the user. The user must be active with that role and
   * allowed to create API keys ("originating user is not allowed to issue an API key"). The key has no usa claim.
   *
   * Sends `apikey-new-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-new-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyNewNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyNewNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyNewNosession(
    body: T.ApikeyNewNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyNewNosessionSuccess, T.ApikeyNewNosessionFailure>> {
    return this.call(specs['apikey-new-nosession'], body, options);
  }

  /**
   * Check that a no-session API key is known, unrevoked and inside its validity window.
   *
   * Same checks and reasons as apikey-verify, against the store of no-session keys.
   *
   * Sends `apikey-verify-nosession`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-verify-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyVerifyNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyVerifyNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyVerifyNosession(
    body: T.ApikeyVerifyNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyVerifyNosessionSuccess, T.ApikeyVerifyNosessionFailure>> {
    return this.call(specs['apikey-verify-nosession'], body, options);
  }

  /**
   * Revoke a no-session API key.
   *
   * The user must be allowed to delete the key owner's keys. A key that is already gone fails with no
   * failure_reason.
   *
   * Sends `apikey-revoke-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-revoke-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyRevokeNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyRevokeNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyRevokeNosession(
    body: T.ApikeyRevokeNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyRevokeNosessionSuccess, T.ApikeyRevokeNosessionFailure>> {
    return this.call(specs['apikey-revoke-nosession'], body, options);
  }

  /**
   * Revoke every no-session API key of a key's user, given one valid key.
   *
   * The presented key must still verify ("provided API key is invalid, revoke-all operation requires a valid key to
   * start with"); all no-session keys with its uid and rol are then deleted.
   *
   * Sends `apikey-revokeall-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-revokeall-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyRevokeallNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyRevokeallNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyRevokeallNosession(
    body: T.ApikeyRevokeallNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyRevokeallNosessionSuccess, T.ApikeyRevokeallNosessionFailure>> {
    return this.call(specs['apikey-revokeall-nosession'], body, options);
  }

  /**
   * Exchange a no-session API key and its refresh token for a new key and refresh token.
   *
   * The refresh token must match the stored hash and be inside its own validity window. On success the old key and
   * refresh token are revoked; the new key keeps the old key's iss, ver, aud and sub. Reasons: "provided API key has
   * no stored refresh token, probably invalid", "provided refresh token does not match stored refresh token".
   *
   * Sends `apikey-refresh-nosession`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `apikey-refresh-nosession`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.ApikeyRefreshNosessionSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.ApikeyRefreshNosessionFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  apikeyRefreshNosession(
    body: T.ApikeyRefreshNosessionBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.ApikeyRefreshNosessionSuccess, T.ApikeyRefreshNosessionFailure>> {
    return this.call(specs['apikey-refresh-nosession'], body, options);
  }

  /**
   * Ask the server's permissions policy whether a user may perform an action on an item.
   *
   * A denied action fails with "action not permitted". The acting user must be active with that role ("user
   * initiating request is not valid"), and the owner and every shared-with user must be active users ("users
   * specified as owner or shared-with not found"). A non-numeric shared-with entry fails with "exception when
   * checking the DB".
   *
   * Sends `user-check-access`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-check-access`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserCheckAccessSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserCheckAccessFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userCheckAccess(
    body: T.UserCheckAccessBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserCheckAccessSuccess, T.UserCheckAccessFailure>> {
    return this.call(specs['user-check-access'], body, options);
  }

  /**
   * Ask the server's permissions policy whether a value is within a role's limit.
   *
   * A value over the limit fails with "user is over limit"; a user who is not active with that role fails with "user
   * attempting access not found".
   *
   * Sends `user-check-limit`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `user-check-limit`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.UserCheckLimitSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.UserCheckLimitFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  userCheckLimit(
    body: T.UserCheckLimitBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.UserCheckLimitSuccess, T.UserCheckLimitFailure>> {
    return this.call(specs['user-check-limit'], body, options);
  }

  /**
   * Lock or unlock a user's account without permission checks (for trusted frontends).
   *
   * Same effects as user-lock (locking deletes the user's sessions). An unknown user fails with "exception
   * encountered when trying lock toggle action".
   *
   * Sends `internal-user-lock`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `internal-user-lock`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.InternalUserLockSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.InternalUserLockFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  internalUserLock(
    body: T.InternalUserLockBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.InternalUserLockSuccess, T.InternalUserLockFailure>> {
    return this.call(specs['internal-user-lock'], body, options);
  }

  /**
   * Delete a user and the user's sessions without any checks (for trusted frontends).
   *
   * Succeeds even when no such user exists, and can delete superusers.
   *
   * Sends `internal-user-delete`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `internal-user-delete`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.InternalUserDeleteSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.InternalUserDeleteFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  internalUserDelete(
    body: T.InternalUserDeleteBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.InternalUserDeleteSuccess, T.InternalUserDeleteFailure>> {
    return this.call(specs['internal-user-delete'], body, options);
  }

  /**
   * Change any editable column of a user without permission checks (for trusted frontends).
   *
   * Ids, password, timestamps and the login counter cannot be changed ("invalid request: disallowed keys in
   * update_dict: ..."). In extra_info a value "__delete__" removes an existing key; for a key that is not there the
   * marker itself is stored. An empty update_dict fails, an unknown user fails with "no such user" and an unknown
   * column with "DB error when updating user info".
   *
   * Sends `internal-user-edit`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `internal-user-edit`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.InternalUserEditSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.InternalUserEditFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  internalUserEdit(
    body: T.InternalUserEditBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.InternalUserEditSuccess, T.InternalUserEditFailure>> {
    return this.call(specs['internal-user-edit'], body, options);
  }

  /**
   * Merge data into a live session's extra_info_json (for trusted frontends).
   *
   * A value "__delete__" removes an existing key; for a key that is not there the marker itself is stored. An
   * unknown or expired token fails with "no such session"; an empty update_dict fails with "invalid request: missing
   * 'update_dict' in request".
   *
   * Sends `internal-session-edit`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `internal-session-edit`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.InternalSessionEditSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.InternalSessionEditFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  internalSessionEdit(
    body: T.InternalSessionEditBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.InternalSessionEditSuccess, T.InternalSessionEditFailure>> {
    return this.call(specs['internal-session-edit'], body, options);
  }
}

/** The synchronous methods of {@link Authnzerver}, as `client.sync`. */
export class AuthnzerverSync extends SyncClient<T.AuthnzerverRequests> {
  /** Start a session for the anonymous user or for a user who has just logged in, and get its token. The synchronous {@link Authnzerver.sessionNew}: it returns the tuple itself. */
  sessionNew(
    body: T.SessionNewBody,
    options?: CallOptions,
  ): ResponseTuple<T.SessionNewSuccess, T.SessionNewFailure> {
    return this.call(specs['session-new'], body, options);
  }

  /** Look up a live session by its token, with the columns of the user it belongs to. The synchronous {@link Authnzerver.sessionExists}: it returns the tuple itself. */
  sessionExists(
    body: T.SessionExistsBody,
    options?: CallOptions,
  ): ResponseTuple<T.SessionExistsSuccess, T.SessionExistsFailure> {
    return this.call(specs['session-exists'], body, options);
  }

  /** End a session by deleting its token. The synchronous {@link Authnzerver.sessionDelete}: it returns the tuple itself. */
  sessionDelete(
    body: T.SessionDeleteBody,
    options?: CallOptions,
  ): ResponseTuple<T.SessionDeleteSuccess, T.SessionDeleteFailure> {
    return this.call(specs['session-delete'], body, options);
  }

  /** Delete all sessions of a user, sparing the caller's current session. The synchronous {@link Authnzerver.sessionDeleteUserid}: it returns the tuple itself. */
  sessionDeleteUserid(
    body: T.SessionDeleteUseridBody,
    options?: CallOptions,
  ): ResponseTuple<T.SessionDeleteUseridSuccess, T.SessionDeleteUseridFailure> {
    return this.call(specs['session-delete-userid'], body, options);
  }

  /** Check an email and password on an anonymous session and return the user's id and role. The synchronous {@link Authnzerver.userLogin}: it returns the tuple itself. */
  userLogin(
    body: T.UserLoginBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserLoginSuccess, T.UserLoginFailure> {
    return this.call(specs['user-login'], body, options);
  }

  /** Log a user out by deleting the user's session. The synchronous {@link Authnzerver.userLogout}: it returns the tuple itself. */
  userLogout(
    body: T.UserLogoutBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserLogoutSuccess, T.UserLogoutFailure> {
    return this.call(specs['user-logout'], body, options);
  }

  /** Check a password against the user who owns a session, for example before a sensitive action. The synchronous {@link Authnzerver.userPasscheck}: it returns the tuple itself. */
  userPasscheck(
    body: T.UserPasscheckBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserPasscheckSuccess, T.UserPasscheckFailure> {
    return this.call(specs['user-passcheck'], body, options);
  }

  /** Check an email and password without a session. The synchronous {@link Authnzerver.userPasscheckNosession}: it returns the tuple itself. */
  userPasscheckNosession(
    body: T.UserPasscheckNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserPasscheckNosessionSuccess, T.UserPasscheckNosessionFailure> {
    return this.call(specs['user-passcheck-nosession'], body, options);
  }

  /** Sign up a new user account, which stays locked until its email is verified. The synchronous {@link Authnzerver.userNew}: it returns the tuple itself. */
  userNew(
    body: T.UserNewBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserNewSuccess, T.UserNewFailure> {
    return this.call(specs['user-new'], body, options);
  }

  /** Change a user's password given the current one, logging the user out of other sessions. The synchronous {@link Authnzerver.userChangepass}: it returns the tuple itself. */
  userChangepass(
    body: T.UserChangepassBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserChangepassSuccess, T.UserChangepassFailure> {
    return this.call(specs['user-changepass'], body, options);
  }

  /** Change a user's password given the current one, without a session. The synchronous {@link Authnzerver.userChangepassNosession}: it returns the tuple itself. */
  userChangepassNosession(
    body: T.UserChangepassNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserChangepassNosessionSuccess, T.UserChangepassNosessionFailure> {
    return this.call(specs['user-changepass-nosession'], body, options);
  }

  /** Let a user delete their own account, confirmed by email, id and password. The synchronous {@link Authnzerver.userDelete}: it returns the tuple itself. */
  userDelete(
    body: T.UserDeleteBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserDeleteSuccess, T.UserDeleteFailure> {
    return this.call(specs['user-delete'], body, options);
  }

  /** Get one user by id, or all users. The synchronous {@link Authnzerver.userList}: it returns the tuple itself. */
  userList(
    body: T.UserListBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserListSuccess, T.UserListFailure> {
    return this.call(specs['user-list'], body, options);
  }

  /** Find the user with an email address. The synchronous {@link Authnzerver.userLookupEmail}: it returns the tuple itself. */
  userLookupEmail(
    body: T.UserLookupEmailBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserLookupEmailSuccess, T.UserLookupEmailFailure> {
    return this.call(specs['user-lookup-email'], body, options);
  }

  /** Find users whose column equals a value, or whose extra_info contains given keys and values. The synchronous {@link Authnzerver.userLookupMatch}: it returns the tuple itself. */
  userLookupMatch(
    body: T.UserLookupMatchBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserLookupMatchSuccess, T.UserLookupMatchFailure> {
    return this.call(specs['user-lookup-match'], body, options);
  }

  /** Edit a user's details as that user or as a superuser. The synchronous {@link Authnzerver.userEdit}: it returns the tuple itself. */
  userEdit(
    body: T.UserEditBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserEditSuccess, T.UserEditFailure> {
    return this.call(specs['user-edit'], body, options);
  }

  /** Set a new password for an active user who forgot it, from a live session. The synchronous {@link Authnzerver.userResetpass}: it returns the tuple itself. */
  userResetpass(
    body: T.UserResetpassBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserResetpassSuccess, T.UserResetpassFailure> {
    return this.call(specs['user-resetpass'], body, options);
  }

  /** Set a new password for a user without a session, optionally only for an inactive account. The synchronous {@link Authnzerver.userResetpassNosession}: it returns the tuple itself. */
  userResetpassNosession(
    body: T.UserResetpassNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserResetpassNosessionSuccess, T.UserResetpassNosessionFailure> {
    return this.call(specs['user-resetpass-nosession'], body, options);
  }

  /** Lock or unlock another user's account as a superuser. The synchronous {@link Authnzerver.userLock}: it returns the tuple itself. */
  userLock(
    body: T.UserLockBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserLockSuccess, T.UserLockFailure> {
    return this.call(specs['user-lock'], body, options);
  }

  /** Check whether a password would be accepted for a user, without changing anything. The synchronous {@link Authnzerver.userValidatepass}: it returns the tuple itself. */
  userValidatepass(
    body: T.UserValidatepassBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserValidatepassSuccess, T.UserValidatepassFailure> {
    return this.call(specs['user-validatepass'], body, options);
  }

  /** Send the sign-up verification email to a new, still locked user. The synchronous {@link Authnzerver.userSendemailSignup}: it returns the tuple itself. */
  userSendemailSignup(
    body: T.UserSendemailSignupBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserSendemailSignupSuccess, T.UserSendemailSignupFailure> {
    return this.call(specs['user-sendemail-signup'], body, options);
  }

  /** Send a forgot-password email with a verification code to an active user. The synchronous {@link Authnzerver.userSendemailForgotpass}: it returns the tuple itself. */
  userSendemailForgotpass(
    body: T.UserSendemailForgotpassBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserSendemailForgotpassSuccess, T.UserSendemailForgotpassFailure> {
    return this.call(specs['user-sendemail-forgotpass'], body, options);
  }

  /** Mark a user's email as verified and activate the account. The synchronous {@link Authnzerver.userSetEmailverified}: it returns the tuple itself. */
  userSetEmailverified(
    body: T.UserSetEmailverifiedBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserSetEmailverifiedSuccess, T.UserSetEmailverifiedFailure> {
    return this.call(specs['user-set-emailverified'], body, options);
  }

  /** Record that a sign-up or forgot-password email was just sent to a user. The synchronous {@link Authnzerver.userSetEmailsent}: it returns the tuple itself. */
  userSetEmailsent(
    body: T.UserSetEmailsentBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserSetEmailsentSuccess, T.UserSetEmailsentFailure> {
    return this.call(specs['user-set-emailsent'], body, options);
  }

  /** Issue an API key tied to a user's live session. The synchronous {@link Authnzerver.apikeyNew}: it returns the tuple itself. */
  apikeyNew(
    body: T.ApikeyNewBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyNewSuccess, T.ApikeyNewFailure> {
    return this.call(specs['apikey-new'], body, options);
  }

  /** Check that a session API key is known, unrevoked and inside its validity window. The synchronous {@link Authnzerver.apikeyVerify}: it returns the tuple itself. */
  apikeyVerify(
    body: T.ApikeyVerifyBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyVerifySuccess, T.ApikeyVerifyFailure> {
    return this.call(specs['apikey-verify'], body, options);
  }

  /** Revoke a session API key. The synchronous {@link Authnzerver.apikeyRevoke}: it returns the tuple itself. */
  apikeyRevoke(
    body: T.ApikeyRevokeBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyRevokeSuccess, T.ApikeyRevokeFailure> {
    return this.call(specs['apikey-revoke'], body, options);
  }

  /** Issue an API key with a refresh token, without a session. The synchronous {@link Authnzerver.apikeyNewNosession}: it returns the tuple itself. */
  apikeyNewNosession(
    body: T.ApikeyNewNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyNewNosessionSuccess, T.ApikeyNewNosessionFailure> {
    return this.call(specs['apikey-new-nosession'], body, options);
  }

  /** Check that a no-session API key is known, unrevoked and inside its validity window. The synchronous {@link Authnzerver.apikeyVerifyNosession}: it returns the tuple itself. */
  apikeyVerifyNosession(
    body: T.ApikeyVerifyNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyVerifyNosessionSuccess, T.ApikeyVerifyNosessionFailure> {
    return this.call(specs['apikey-verify-nosession'], body, options);
  }

  /** Revoke a no-session API key. The synchronous {@link Authnzerver.apikeyRevokeNosession}: it returns the tuple itself. */
  apikeyRevokeNosession(
    body: T.ApikeyRevokeNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyRevokeNosessionSuccess, T.ApikeyRevokeNosessionFailure> {
    return this.call(specs['apikey-revoke-nosession'], body, options);
  }

  /** Revoke every no-session API key of a key's user, given one valid key. The synchronous {@link Authnzerver.apikeyRevokeallNosession}: it returns the tuple itself. */
  apikeyRevokeallNosession(
    body: T.ApikeyRevokeallNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyRevokeallNosessionSuccess, T.ApikeyRevokeallNosessionFailure> {
    return this.call(specs['apikey-revokeall-nosession'], body, options);
  }

  /** Exchange a no-session API key and its refresh token for a new key and refresh token. The synchronous {@link Authnzerver.apikeyRefreshNosession}: it returns the tuple itself. */
  apikeyRefreshNosession(
    body: T.ApikeyRefreshNosessionBody,
    options?: CallOptions,
  ): ResponseTuple<T.ApikeyRefreshNosessionSuccess, T.ApikeyRefreshNosessionFailure> {
    return this.call(specs['apikey-refresh-nosession'], body, options);
  }

  /** Ask the server's permissions policy whether a user may perform an action on an item. The synchronous {@link Authnzerver.userCheckAccess}: it returns the tuple itself. */
  userCheckAccess(
    body: T.UserCheckAccessBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserCheckAccessSuccess, T.UserCheckAccessFailure> {
    return this.call(specs['user-check-access'], body, options);
  }

  /** Ask the server's permissions policy whether a value is within a role's limit. The synchronous {@link Authnzerver.userCheckLimit}: it returns the tuple itself. */
  userCheckLimit(
    body: T.UserCheckLimitBody,
    options?: CallOptions,
  ): ResponseTuple<T.UserCheckLimitSuccess, T.UserCheckLimitFailure> {
    return this.call(specs['user-check-limit'], body, options);
  }

  /** Lock or unlock a user's account without permission checks (for trusted frontends). The synchronous {@link Authnzerver.internalUserLock}: it returns the tuple itself. */
  internalUserLock(
    body: T.InternalUserLockBody,
    options?: CallOptions,
  ): ResponseTuple<T.InternalUserLockSuccess, T.InternalUserLockFailure> {
    return this.call(specs['internal-user-lock'], body, options);
  }

  /** Delete a user and the user's sessions without any checks (for trusted frontends). The synchronous {@link Authnzerver.internalUserDelete}: it returns the tuple itself. */
  internalUserDelete(
    body: T.InternalUserDeleteBody,
    options?: CallOptions,
  ): ResponseTuple<T.InternalUserDeleteSuccess, T.InternalUserDeleteFailure> {
    return this.call(specs['internal-user-delete'], body, options);
  }

  /** Change any editable column of a user without permission checks (for trusted frontends). The synchronous {@link Authnzerver.internalUserEdit}: it returns the tuple itself. */
  internalUserEdit(
    body: T.InternalUserEditBody,
    options?: CallOptions,
  ): ResponseTuple<T.InternalUserEditSuccess, T.InternalUserEditFailure> {
    return this.call(specs['internal-user-edit'], body, options);
  }

  /** Merge data into a live session's extra_info_json (for trusted frontends). The synchronous {@link Authnzerver.internalSessionEdit}: it returns the tuple itself. */
  internalSessionEdit(
    body: T.InternalSessionEditBody,
    options?: CallOptions,
  ): ResponseTuple<T.InternalSessionEditSuccess, T.InternalSessionEditFailure> {
    return this.call(specs['internal-session-edit'], body, options);
  }
}
