// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
/** A user account as the user-list, user-lookup, user-edit, user-lock and internal-user requests return it. Datetimes are naive UTC ISO strings. */
export interface UserInfo {
  /** Internal numeric id of the user (1 = superuser, 2 = anonymous, 3 = locked system user). (`int`) */
  readonly user_id: number;
  /** Public id of the user (a UUID unless one was given to user-new). (`str`) */
  readonly system_id: string;
  /** The user's name as stored (HTML-escaped, whitespace squeezed). (`str | None`) */
  readonly full_name: string | null;
  /** The user's email address (Unicode-normalized and case-folded at sign-up). (`str`) */
  readonly email: string;
  /** Whether the email address was confirmed with user-set-emailverified. (`bool`) */
  readonly email_verified: boolean;
  /** Whether the account may log in; false for new, locked and locked-out users. (`bool`) */
  readonly is_active: boolean;
  /** Time of the last login attempt; never written at this server revision, so null. (`str | None`) */
  readonly last_login_try: string | null;
  /** Time of the last successful login; never written at this server revision, so null. (`str | None`) */
  readonly last_login_success: string | null;
  /** Failed-login counter column; the server keeps its real count in memory, so this stays 0. (`int | None`) */
  readonly failed_login_tries: number | null;
  /** When the account was created. (`str`) */
  readonly created_on: string;
  /** When the account row was last changed. (`str`) */
  readonly last_updated: string;
  /** Role name: superuser, staff, authenticated, anonymous or locked. (`str`) */
  readonly user_role: string;
  /** Free-form data about the user; the server adds provenance, type and previous_user_roles keys. (`dict | None`) */
  readonly extra_info: Record<string, unknown> | null;
  /** When a sign-up verification email was last recorded as sent. (`str | None`) */
  readonly emailverify_sent_datetime: string | null;
  /** When a forgot-password email was last recorded as sent. (`str | None`) */
  readonly emailforgotpass_sent_datetime: string | null;
  /** When a password-change email was last sent; not written at this server revision. (`str | None`) */
  readonly emailchangepass_sent_datetime: string | null;
}

/** A live session joined with the columns of the user it belongs to, as session-exists returns it. */
export interface SessionInfo {
  /** Id of the session's user (2 for an anonymous session). (`int`) */
  readonly user_id: number;
  /** Public id of the session's user. (`str`) */
  readonly system_id: string;
  /** Name of the session's user. (`str | None`) */
  readonly full_name: string | null;
  /** Email address of the session's user. (`str`) */
  readonly email: string;
  /** Free-form data stored with the user. (`dict | None`) */
  readonly extra_info: Record<string, unknown> | null;
  /** Whether the user's email address is verified. (`bool`) */
  readonly email_verified: boolean;
  /** When a sign-up verification email was last recorded as sent. (`str | None`) */
  readonly emailverify_sent_datetime: string | null;
  /** Whether the user's account is active. (`bool`) */
  readonly is_active: boolean;
  /** Time of the last login attempt; always null at this server revision. (`str | None`) */
  readonly last_login_try: string | null;
  /** Time of the last successful login; always null at this server revision. (`str | None`) */
  readonly last_login_success: string | null;
  /** When the user's account was created. (`str`) */
  readonly created_on: string;
  /** Role of the session's user. (`str`) */
  readonly user_role: string;
  /** The session token itself. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address given when the session was created (normalized). (`str`) */
  readonly ip_address: string;
  /** User agent given when the session was created. (`str`) */
  readonly user_agent: string;
  /** When the session was created. (`str`) */
  readonly created: string;
  /** When the session expires. (`str`) */
  readonly expires: string;
  /** Free-form data stored with the session. (`dict | None`) */
  readonly extra_info_json: Record<string, unknown> | null;
}

/** The session row (without user columns) that internal-session-edit returns after the update. */
export interface EditedSessionInfo {
  /** Id of the session's user. (`int`) */
  readonly user_id: number;
  /** The session token itself. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address given when the session was created. (`str`) */
  readonly ip_address: string;
  /** User agent given when the session was created. (`str`) */
  readonly user_agent: string;
  /** When the session was created. (`str`) */
  readonly created: string;
  /** When the session expires. (`str`) */
  readonly expires: string;
  /** The session's free-form data after the merge. (`dict`) */
  readonly extra_info_json: Record<string, unknown>;
}

/** The claims of an API key. The server sends a key as a JSON string of this object (apikey); requests that take a key (apikey_dict) expect the parsed object back. */
export interface ApiKeyPayload {
  /** Issuer given when the key was made. (`str`) */
  readonly iss: string;
  /** API version given when the key was made (string or integer, as sent). (`str | int`) */
  readonly ver: string | number;
  /** Id of the user the key belongs to. (`int`) */
  readonly uid: number;
  /** Role of that user when the key was made. (`str`) */
  readonly rol: string;
  /** User agent of the session the key was made for; absent on no-session keys. (Optional, `str`) */
  readonly usa?: string | undefined;
  /** Audience given when the key was made. (`str`) */
  readonly aud: string;
  /** Subject given when the key was made. (`str`) */
  readonly sub: string;
  /** IP address given when the key was made. (`str`) */
  readonly ipa: string;
  /** The random token that identifies the key in the server's store. (`str`, secret: redacted from logs and hooks) */
  readonly tkn: string;
  /** Issue time (naive UTC ISO datetime). (`str`) */
  readonly iat: string;
  /** Not-valid-before time (naive UTC ISO datetime). (`str`) */
  readonly nbf: string;
  /** Expiry time (naive UTC ISO datetime). (`str`) */
  readonly exp: string;
}

/** The body of `session-new`: Start a session for the anonymous user or for a user who has just logged in, and get its token. */
export interface SessionNewBody {
  /** IP address of the end user (IPv4 or IPv6); anything else fails with a DB error. (`str`) */
  readonly ip_address: string;
  /** User agent string of the end user. (`str`) */
  readonly user_agent: string;
  /** Id of the logged-in user; null (or 0) makes an anonymous session for user 2. (`int | None`) */
  readonly user_id: number | null;
  /** When the session expires (UTC). (`datetime`: a `Date`, sent in the server's datetime format, or a string in that format) */
  readonly expires: string | Date;
  /** Free-form data to keep with the session. (`dict | None`) */
  readonly extra_info_json: Record<string, unknown> | null;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `session-new` on success. */
export interface SessionNewSuccess {
  /** The new session's token. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** The session's expiry as stored (ISO datetime). (`str`) */
  readonly expires: string;
}

/** The reply of `session-new` when the server turns it down (`failure: 'rejected'`). */
export interface SessionNewFailure {
  /** Always null on failure. (`None`) */
  readonly session_token: null;
  /** Always null on failure. (`None`) */
  readonly expires: null;
}

/** The body of `session-exists`: Look up a live session by its token, with the columns of the user it belongs to. */
export interface SessionExistsBody {
  /** Token of the session to look up. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `session-exists` on success. */
export interface SessionExistsSuccess {
  /** The session and its user. (`SessionInfo`) */
  readonly session_info: SessionInfo;
}

/** The reply of `session-exists` when the server turns it down (`failure: 'rejected'`). */
export interface SessionExistsFailure {
  /** Always null on failure. (`None`) */
  readonly session_info: null;
}

/** The body of `session-delete`: End a session by deleting its token. */
export interface SessionDeleteBody {
  /** Token of the session to delete. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `session-delete` on success. */
export interface SessionDeleteSuccess {}

/** The reply of `session-delete` when the server turns it down (`failure: 'rejected'`). */
export interface SessionDeleteFailure {}

/** The body of `session-delete-userid`: Delete all sessions of a user, sparing the caller's current session. */
export interface SessionDeleteUseridBody {
  /** The caller's current session, which is kept. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Id of the user whose sessions are deleted. (`int`) */
  readonly user_id: number;
  /** Meant to choose whether the current session is kept; ignored by the server (see the defect). (`bool`) */
  readonly keep_current_session: boolean;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `session-delete-userid` on success. */
export interface SessionDeleteUseridSuccess {}

/** The reply of `session-delete-userid` when the server turns it down (`failure: 'rejected'`). */
export interface SessionDeleteUseridFailure {}

/** The body of `user-login`: Check an email and password on an anonymous session and return the user's id and role. */
export interface UserLoginBody {
  /** Token of the anonymous session that is logging in; it is deleted. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Email address of the account, as stored (case-folded). (`str`) */
  readonly email: string;
  /** The account's password. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-login` on success. */
export interface UserLoginSuccess {
  /** Id of the user who logged in; pass it to session-new to start the user's session. (`int`) */
  readonly user_id: number;
  /** Role of the user who logged in. (`str`) */
  readonly user_role: string;
}

/** The reply of `user-login` when the server turns it down (`failure: 'rejected'`). */
export interface UserLoginFailure {
  /** Null, except for a correct password on an active account whose role is locked. (`int | None`) */
  readonly user_id: number | null;
}

/** The body of `user-logout`: Log a user out by deleting the user's session. */
export interface UserLogoutBody {
  /** Token of the user's session. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Id of the user logging out; must own the session. (`int`) */
  readonly user_id: number;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-logout` on success. */
export interface UserLogoutSuccess {
  /** Id of the user who was logged out. (`int`) */
  readonly user_id: number;
}

/** The reply of `user-logout` when the server turns it down (`failure: 'rejected'`). */
export interface UserLogoutFailure {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
}

/** The body of `user-passcheck`: Check a password against the user who owns a session, for example before a sensitive action. */
export interface UserPasscheckBody {
  /** Token of the user's session. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** The password to check. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-passcheck` on success. */
export interface UserPasscheckSuccess {
  /** Id of the session's user. (`int`) */
  readonly user_id: number;
  /** Role of the session's user. (`str`) */
  readonly user_role: string;
}

/** The reply of `user-passcheck` when the server turns it down (`failure: 'rejected'`). */
export interface UserPasscheckFailure {
  /** Null, except for a correct password of an inactive or locked account. (`int | None`) */
  readonly user_id: number | null;
}

/** The body of `user-passcheck-nosession`: Check an email and password without a session. */
export interface UserPasscheckNosessionBody {
  /** Email address of the account, as stored (case-folded). (`str`) */
  readonly email: string;
  /** The password to check. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-passcheck-nosession` on success. */
export interface UserPasscheckNosessionSuccess {
  /** Id of the matching user. (`int`) */
  readonly user_id: number;
  /** Role of the matching user. (`str`) */
  readonly user_role: string;
}

/** The reply of `user-passcheck-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface UserPasscheckNosessionFailure {
  /** Null, except for a correct password of an inactive or locked account. (`int | None`) */
  readonly user_id: number | null;
}

/** The body of `user-new`: Sign up a new user account, which stays locked until its email is verified. */
export interface UserNewBody {
  /** The new user's name; one that looks like a link or domain name is refused. (`str`) */
  readonly full_name: string;
  /** The new user's email address; disposable-mail domains are refused. (`str`) */
  readonly email: string;
  /** The new user's password; it must pass the server's password policy. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** Free-form data to store with the user; the server adds its own keys to it. (Optional, `dict | None`) */
  readonly extra_info?: Record<string, unknown> | null | undefined;
  /** Hours after which signing up again for an unverified email may re-send verification (default 6). (Optional, `int | None`) */
  readonly verify_retry_wait?: number | null | undefined;
  /** Public id to give the user instead of a random UUID. (Optional, `str | None`) */
  readonly system_id?: string | null | undefined;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-new` on success. */
export interface UserNewSuccess {
  /** The email address as stored (Unicode-normalized and case-folded). (`str`) */
  readonly user_email: string;
  /** Id of the new user. (`int`) */
  readonly user_id: number;
  /** Public id of the new user. (`str`) */
  readonly system_id: string;
  /** Always true: the caller should now send a verification email. (`bool`) */
  readonly send_verification: boolean;
}

/** The reply of `user-new` when the server turns it down (`failure: 'rejected'`). */
export interface UserNewFailure {
  /** The normalized email address; null for a refused email or name and for DB errors. (`str | None`) */
  readonly user_email: string | null;
  /** Id of the existing account for "user exists", else null. (`int | None`) */
  readonly user_id: number | null;
  /** Public id of the existing account; only present for "user exists". (Optional, `str`) */
  readonly system_id?: string | undefined;
  /** True only for "user exists" when a new verification email may be sent. (`bool`) */
  readonly send_verification: boolean;
}

/** The body of `user-changepass`: Change a user's password given the current one, logging the user out of other sessions. */
export interface UserChangepassBody {
  /** Id of the user changing their password. (`int`) */
  readonly user_id: number;
  /** The user's current session, which survives the change. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** The user's name, used to reject passwords that resemble it. (`str`) */
  readonly full_name: string;
  /** The user's email address; must match user_id. (`str`) */
  readonly email: string;
  /** The user's current password. (`str`, secret: redacted from logs and hooks) */
  readonly current_password: string;
  /** The new password; it must pass the server's password policy. (`str`, secret: redacted from logs and hooks) */
  readonly new_password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-changepass` on success. */
export interface UserChangepassSuccess {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The reply of `user-changepass` when the server turns it down (`failure: 'rejected'`). */
export interface UserChangepassFailure {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The body of `user-changepass-nosession`: Change a user's password given the current one, without a session. */
export interface UserChangepassNosessionBody {
  /** Id of the user changing their password. (`int`) */
  readonly user_id: number;
  /** The user's name, used to reject passwords that resemble it. (`str`) */
  readonly full_name: string;
  /** The user's email address; must match user_id. (`str`) */
  readonly email: string;
  /** The user's current password. (`str`, secret: redacted from logs and hooks) */
  readonly current_password: string;
  /** The new password; it must pass the server's password policy. (`str`, secret: redacted from logs and hooks) */
  readonly new_password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-changepass-nosession` on success. */
export interface UserChangepassNosessionSuccess {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The reply of `user-changepass-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface UserChangepassNosessionFailure {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The body of `user-delete`: Let a user delete their own account, confirmed by email, id and password. */
export interface UserDeleteBody {
  /** Email address of the account to delete. (`str`) */
  readonly email: string;
  /** Id of the account to delete; must match the email. (`int`) */
  readonly user_id: number;
  /** The account's password. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-delete` on success. */
export interface UserDeleteSuccess {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The reply of `user-delete` when the server turns it down (`failure: 'rejected'`). */
export interface UserDeleteFailure {
  /** The user_id that was sent. (`int`) */
  readonly user_id: number;
  /** The email that was sent. (`str`) */
  readonly email: string;
}

/** The body of `user-list`: Get one user by id, or all users. */
export interface UserListBody {
  /** Id of the user to get, or null for all users. (`int | None`) */
  readonly user_id: number | null;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-list` on success. */
export interface UserListSuccess {
  /** Matching users ordered by id; empty when the id is unknown. (`list[UserInfo]`) */
  readonly user_info: UserInfo[];
}

/** The reply of `user-list` when the server turns it down (`failure: 'rejected'`). */
export interface UserListFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `user-lookup-email`: Find the user with an email address. */
export interface UserLookupEmailBody {
  /** Email address to look up, as stored (case-folded); must not be empty. (`str`) */
  readonly email: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-lookup-email` on success. */
export interface UserLookupEmailSuccess {
  /** The matching user. (`UserInfo`) */
  readonly user_info: UserInfo;
}

/** The reply of `user-lookup-email` when the server turns it down (`failure: 'rejected'`). */
export interface UserLookupEmailFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `user-lookup-match`: Find users whose column equals a value, or whose extra_info contains given keys and values. */
export interface UserLookupMatchBody {
  /** Name of a users column to match, or extra_info. (`str`) */
  readonly by: string;
  /** Value the column must equal; for extra_info, an object whose entries must all match. (`Any`) */
  readonly match: NonNullable<unknown>;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-lookup-match` on success. */
export interface UserLookupMatchSuccess {
  /** Matching users ordered by id; may be empty. (`list[UserInfo]`) */
  readonly user_info: UserInfo[];
}

/** The reply of `user-lookup-match` when the server turns it down (`failure: 'rejected'`). */
export interface UserLookupMatchFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `user-edit`: Edit a user's details as that user or as a superuser. */
export interface UserEditBody {
  /** Id of the user making the edit. (`int`) */
  readonly user_id: number;
  /** Role of the user making the edit; must match the session. (`str`) */
  readonly user_role: string;
  /** Active session of the user making the edit. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Id of the user to edit. (`int`) */
  readonly target_userid: number;
  /** Columns to change and their new values. (`dict`) */
  readonly update_dict: Record<string, unknown>;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-edit` on success. */
export interface UserEditSuccess {
  /** The edited user after the change. (`UserInfo`) */
  readonly user_info: UserInfo;
}

/** The reply of `user-edit` when the server turns it down (`failure: 'rejected'`). */
export interface UserEditFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `user-resetpass`: Set a new password for an active user who forgot it, from a live session. */
export interface UserResetpassBody {
  /** Email address of the active account whose password is reset. (`str`) */
  readonly email_address: string;
  /** The new password; it must pass the server's password policy. (`str`, secret: redacted from logs and hooks) */
  readonly new_password: string;
  /** A live session; it need not belong to the user. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-resetpass` on success. */
export interface UserResetpassSuccess {}

/** The reply of `user-resetpass` when the server turns it down (`failure: 'rejected'`). */
export interface UserResetpassFailure {}

/** The body of `user-resetpass-nosession`: Set a new password for a user without a session, optionally only for an inactive account. */
export interface UserResetpassNosessionBody {
  /** Email address of the account whose password is reset. (`str`) */
  readonly email_address: string;
  /** The new password; it must pass the server's password policy. (`str`, secret: redacted from logs and hooks) */
  readonly new_password: string;
  /** Reset only if the account's is_active equals this value. (`bool`) */
  readonly required_active: boolean;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-resetpass-nosession` on success. */
export interface UserResetpassNosessionSuccess {}

/** The reply of `user-resetpass-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface UserResetpassNosessionFailure {}

/** The body of `user-lock`: Lock or unlock another user's account as a superuser. */
export interface UserLockBody {
  /** Id of the superuser making the change. (`int`) */
  readonly user_id: number;
  /** Role of the user making the change; must be superuser. (`str`) */
  readonly user_role: string;
  /** Active session of the superuser. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Id of the user to lock or unlock; not the caller, not users 2 and 3. (`int`) */
  readonly target_userid: number;
  /** Whether to lock or unlock the account. (`'lock' | 'unlock'`) */
  readonly action: 'lock' | 'unlock';
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-lock` on success. */
export interface UserLockSuccess {
  /** The target user after the change. (`UserInfo`) */
  readonly user_info: UserInfo;
}

/** The reply of `user-lock` when the server turns it down (`failure: 'rejected'`). */
export interface UserLockFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `user-validatepass`: Check whether a password would be accepted for a user, without changing anything. */
export interface UserValidatepassBody {
  /** The password to check. (`str`, secret: redacted from logs and hooks) */
  readonly password: string;
  /** The user's email address; passwords that resemble it are refused. (`str`) */
  readonly email: string;
  /** The user's name; passwords that resemble it are refused. (`str`) */
  readonly full_name: string;
  /** Minimum password length (default 12). (Optional, `int`) */
  readonly min_pass_length?: number | undefined;
  /** Maximum similarity to the email, name or server name (default 33). (Optional, `int`) */
  readonly max_unsafe_similarity?: number | undefined;
  /** Maximum share of one character (default 0.3); the server accepts only a non-integer number here. (Optional, `float`) */
  readonly max_character_frequency?: number | undefined;
  /** Breach count from which a password is refused (default 25). (Optional, `int`) */
  readonly min_pwned_matches?: number | undefined;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-validatepass` on success. */
export interface UserValidatepassSuccess {}

/** The reply of `user-validatepass` when the server turns it down (`failure: 'rejected'`). */
export interface UserValidatepassFailure {}

/** The body of `user-sendemail-signup`: Send the sign-up verification email to a new, still locked user. */
export interface UserSendemailSignupBody {
  /** Email address of the new user; typed int by the server's schema (see the defect). (`int`) */
  readonly email_address: number;
  /** Live session of the person who signed up. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** The user-new reply; typed str by the server's schema although a dict is read (see the defect). (`str`) */
  readonly created_info: string;
  /** Name of the site, used in the email. (`str`) */
  readonly server_name: string;
  /** Base URL of the site, used in the email. (`str`) */
  readonly server_baseurl: string;
  /** Path of the verification page; the server actually reads account_verify_url. (`str`) */
  readonly server_verify_url: string;
  /** The verification code to put in the email. (`str`, secret: redacted from logs and hooks) */
  readonly verification_token: string;
  /** Seconds until the verification code expires. (`int`) */
  readonly verification_expiry: number;
  /** SMTP user name, overriding the server's setting. (Optional, `str | None`) */
  readonly emailuser?: string | null | undefined;
  /** SMTP password, overriding the server's setting. (Optional, `str | None`, secret: redacted from logs and hooks) */
  readonly emailpass?: string | null | undefined;
  /** SMTP server host, overriding the server's setting. (Optional, `str`) */
  readonly emailserver?: string | undefined;
  /** SMTP server port, overriding the server's setting. (Optional, `int`) */
  readonly emailport?: number | undefined;
  /** Sender address, overriding the server's setting. (Optional, `str`) */
  readonly emailsender?: string | undefined;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-sendemail-signup` on success. */
export interface UserSendemailSignupSuccess {
  /** Id of the user who was emailed. (`int`) */
  readonly user_id: number;
  /** Address the email went to. (`str`) */
  readonly email_address: string;
  /** When the email was sent. (`str`) */
  readonly emailverify_sent_datetime: string;
}

/** The reply of `user-sendemail-signup` when the server turns it down (`failure: 'rejected'`). */
export interface UserSendemailSignupFailure {
  /** Always null on failure. (`None`) */
  readonly user_id: null;
  /** Always null on failure. (`None`) */
  readonly email_address: null;
  /** Always null on failure. (`None`) */
  readonly emailverify_sent_datetime: null;
}

/** The body of `user-sendemail-forgotpass`: Send a forgot-password email with a verification code to an active user. */
export interface UserSendemailForgotpassBody {
  /** Email address of the user; typed int by the server's schema (see the defect). (`int`) */
  readonly email_address: number;
  /** Live session of the person asking for the reset. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** Name of the site, used in the email. (`str`) */
  readonly server_name: string;
  /** Base URL of the site, used in the email. (`str`) */
  readonly server_baseurl: string;
  /** Path of the password-reset page, used in the email. (`str`) */
  readonly password_forgot_url: string;
  /** The verification code to put in the email. (`str`, secret: redacted from logs and hooks) */
  readonly verification_token: string;
  /** Seconds until the verification code expires. (`int`) */
  readonly verification_expiry: number;
  /** SMTP user name, overriding the server's setting. (Optional, `str | None`) */
  readonly emailuser?: string | null | undefined;
  /** SMTP password, overriding the server's setting. (Optional, `str | None`, secret: redacted from logs and hooks) */
  readonly emailpass?: string | null | undefined;
  /** SMTP server host, overriding the server's setting. (Optional, `str`) */
  readonly emailserver?: string | undefined;
  /** SMTP server port, overriding the server's setting. (Optional, `int`) */
  readonly emailport?: number | undefined;
  /** Sender address, overriding the server's setting. (Optional, `str`) */
  readonly emailsender?: string | undefined;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-sendemail-forgotpass` on success. */
export interface UserSendemailForgotpassSuccess {
  /** Id of the user who was emailed. (`int`) */
  readonly user_id: number;
  /** Address the email went to. (`str`) */
  readonly email_address: string;
  /** When the email was sent. (`str`) */
  readonly emailforgotpass_sent_datetime: string;
}

/** The reply of `user-sendemail-forgotpass` when the server turns it down (`failure: 'rejected'`). */
export interface UserSendemailForgotpassFailure {
  /** Always null on failure. (`None`) */
  readonly user_id: null;
  /** Always null on failure. (`None`) */
  readonly email_address: null;
  /** Always null on failure. (`None`) */
  readonly emailforgotpass_sent_datetime: null;
}

/** The body of `user-set-emailverified`: Mark a user's email as verified and activate the account. */
export interface UserSetEmailverifiedBody {
  /** Email address of the account, as stored (case-folded); must not be empty. (`str`) */
  readonly email: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-set-emailverified` on success. */
export interface UserSetEmailverifiedSuccess {
  /** Id of the user. (`int`) */
  readonly user_id: number;
  /** Whether the account is now active (true). (`bool`) */
  readonly is_active: boolean;
  /** The account's role afterwards (authenticated for a new sign-up). (`str`) */
  readonly user_role: string;
}

/** The reply of `user-set-emailverified` when the server turns it down (`failure: 'rejected'`). */
export interface UserSetEmailverifiedFailure {
  /** Always null on failure. (`None`) */
  readonly user_id: null;
  /** Always false on failure. (`bool`) */
  readonly is_active: boolean;
  /** Always locked on failure. (`str`) */
  readonly user_role: string;
}

/** The body of `user-set-emailsent`: Record that a sign-up or forgot-password email was just sent to a user. */
export interface UserSetEmailsentBody {
  /** Email address of the account, as stored (case-folded); must not be empty. (`str`) */
  readonly email: string;
  /** Which kind of email was sent. (`'signup' | 'forgotpass'`) */
  readonly email_type: 'signup' | 'forgotpass';
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-set-emailsent` on success. */
export interface UserSetEmailsentSuccess {
  /** Email address of the account. (`str`) */
  readonly email: string;
  /** When a sign-up email was last recorded as sent. (`str | None`) */
  readonly emailverify_sent_datetime: string | null;
  /** When a forgot-password email was last recorded as sent. (`str | None`) */
  readonly emailforgotpass_sent_datetime: string | null;
  /** Id of the user. (`int`) */
  readonly user_id: number;
  /** Whether the account is active. (`bool`) */
  readonly is_active: boolean;
  /** The account's role. (`str`) */
  readonly user_role: string;
}

/** The reply of `user-set-emailsent` when the server turns it down (`failure: 'rejected'`). */
export interface UserSetEmailsentFailure {}

/** The body of `apikey-new`: Issue an API key tied to a user's live session. */
export interface ApikeyNewBody {
  /** Issuer claim to put in the key. (`str`) */
  readonly issuer: string;
  /** Audience claim to put in the key. (`str`) */
  readonly audience: string;
  /** Subject claim to put in the key. (`str`) */
  readonly subject: string;
  /** API version claim to put in the key. (`str | int`) */
  readonly apiversion: string | number;
  /** Days until the key expires. (`int`) */
  readonly expires_days: number;
  /** Seconds from now before the key becomes valid. A whole number is sent as a JSON integer, which the int branch accepts. (`float | int`) */
  readonly not_valid_before: number;
  /** Id of the user the key is for; must own the session. (`int`) */
  readonly user_id: number;
  /** Role of that user; must match the session's user. (`str`) */
  readonly user_role: string;
  /** IP address of that user; must equal the session's. (`str`) */
  readonly ip_address: string;
  /** User agent of that user; must equal the session's. (`str`) */
  readonly user_agent: string;
  /** The user's live session. (`str`, secret: redacted from logs and hooks) */
  readonly session_token: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-new` on success. */
export interface ApikeyNewSuccess {
  /** The new API key as a JSON string; parse it to get the claims. (`json[ApiKeyPayload]`, secret: redacted from logs and hooks) */
  readonly apikey: string;
  /** When the key expires (ISO datetime). (`str`) */
  readonly expires: string;
}

/** The reply of `apikey-new` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyNewFailure {
  /** Null when the session check failed; absent when the role may not issue keys. (Optional, `None`) */
  readonly apikey?: null | undefined;
  /** Null when the session check failed; absent when the role may not issue keys. (Optional, `None`) */
  readonly expires?: null | undefined;
}

/** The body of `apikey-verify`: Check that a session API key is known, unrevoked and inside its validity window. */
export interface ApikeyVerifyBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user presenting the key. (`int`) */
  readonly user_id: number;
  /** Role of the user presenting the key. (`str`) */
  readonly user_role: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-verify` on success. */
export interface ApikeyVerifySuccess {}

/** The reply of `apikey-verify` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyVerifyFailure {}

/** The body of `apikey-revoke`: Revoke a session API key. */
export interface ApikeyRevokeBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user revoking the key. (`int`) */
  readonly user_id: number;
  /** Role of the user revoking the key. (`str`) */
  readonly user_role: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-revoke` on success. */
export interface ApikeyRevokeSuccess {}

/** The reply of `apikey-revoke` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyRevokeFailure {}

/** The body of `apikey-new-nosession`: Issue an API key with a refresh token, without a session. */
export interface ApikeyNewNosessionBody {
  /** Issuer claim to put in the key. (`str`) */
  readonly issuer: string;
  /** Audience claim to put in the key. (`str`) */
  readonly audience: string;
  /** Subject claim to put in the key. (`str`) */
  readonly subject: string;
  /** API version claim to put in the key. (`str | int`) */
  readonly apiversion: string | number;
  /** Seconds until the key expires. (`int`) */
  readonly expires_seconds: number;
  /** Seconds from now before the key becomes valid. A whole number is sent as a JSON integer, which the int branch accepts. (`float | int`) */
  readonly not_valid_before: number;
  /** Id of the user the key is for. (`int`) */
  readonly user_id: number;
  /** Role of that user; must match the account. (`str`) */
  readonly user_role: string;
  /** IP address claim to put in the key. (`str`) */
  readonly ip_address: string;
  /** Seconds until the refresh token expires. (`int`) */
  readonly refresh_expires: number;
  /** Seconds from now before the refresh token becomes valid. A whole number is sent as a JSON integer, which the int branch accepts. (`float | int`) */
  readonly refresh_nbf: number;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-new-nosession` on success. */
export interface ApikeyNewNosessionSuccess {
  /** The new API key as a JSON string; parse it to get the claims. (`json[ApiKeyPayload]`, secret: redacted from logs and hooks) */
  readonly apikey: string;
  /** When the key expires (ISO datetime). (`str`) */
  readonly expires: string;
  /** Token for apikey-refresh-nosession; the server keeps only its hash. (`str`, secret: redacted from logs and hooks) */
  readonly refresh_token: string;
  /** When the refresh token expires (ISO datetime). (`str`) */
  readonly refresh_token_expires: string;
}

/** The reply of `apikey-new-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyNewNosessionFailure {}

/** The body of `apikey-verify-nosession`: Check that a no-session API key is known, unrevoked and inside its validity window. */
export interface ApikeyVerifyNosessionBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user presenting the key. (`int`) */
  readonly user_id: number;
  /** Role of the user presenting the key. (`str`) */
  readonly user_role: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-verify-nosession` on success. */
export interface ApikeyVerifyNosessionSuccess {}

/** The reply of `apikey-verify-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyVerifyNosessionFailure {}

/** The body of `apikey-revoke-nosession`: Revoke a no-session API key. */
export interface ApikeyRevokeNosessionBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user revoking the key. (`int`) */
  readonly user_id: number;
  /** Role of the user revoking the key. (`str`) */
  readonly user_role: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-revoke-nosession` on success. */
export interface ApikeyRevokeNosessionSuccess {}

/** The reply of `apikey-revoke-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyRevokeNosessionFailure {}

/** The body of `apikey-revokeall-nosession`: Revoke every no-session API key of a key's user, given one valid key. */
export interface ApikeyRevokeallNosessionBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user revoking the keys. (`int`) */
  readonly user_id: number;
  /** Role of the user revoking the keys. (`str`) */
  readonly user_role: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-revokeall-nosession` on success. */
export interface ApikeyRevokeallNosessionSuccess {
  /** Number of keys deleted, the presented one included. (`int`) */
  readonly revoked_keys: number;
}

/** The reply of `apikey-revokeall-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyRevokeallNosessionFailure {}

/** The body of `apikey-refresh-nosession`: Exchange a no-session API key and its refresh token for a new key and refresh token. */
export interface ApikeyRefreshNosessionBody {
  /** The key's claims: the apikey JSON string from the issuing reply, parsed. (`ApiKeyPayload`, secret: redacted from logs and hooks) */
  readonly apikey_dict: ApiKeyPayload;
  /** Id of the user the key belongs to. (`int`) */
  readonly user_id: number;
  /** Role of that user. (`str`) */
  readonly user_role: string;
  /** The refresh token issued with the key. (`str`, secret: redacted from logs and hooks) */
  readonly refresh_token: string;
  /** IP address claim for the new key. (`str`) */
  readonly ip_address: string;
  /** Seconds until the new key expires. (`int`) */
  readonly expires_seconds: number;
  /** Seconds from now before the new key becomes valid. A whole number is sent as a JSON integer, which the int branch accepts. (`int | float`) */
  readonly not_valid_before: number;
  /** Seconds until the new refresh token expires. (`int`) */
  readonly refresh_expires: number;
  /** Seconds from now before the new refresh token becomes valid. A whole number is sent as a JSON integer, which the int branch accepts. (`int | float`) */
  readonly refresh_nbf: number;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `apikey-refresh-nosession` on success. */
export interface ApikeyRefreshNosessionSuccess {
  /** The new API key as a JSON string; parse it to get the claims. (`json[ApiKeyPayload]`, secret: redacted from logs and hooks) */
  readonly apikey: string;
  /** When the new key expires (ISO datetime). (`str`) */
  readonly expires: string;
  /** The new refresh token. (`str`, secret: redacted from logs and hooks) */
  readonly refresh_token: string;
  /** When the new refresh token expires (ISO datetime). (`str`) */
  readonly refresh_token_expires: string;
}

/** The reply of `apikey-refresh-nosession` when the server turns it down (`failure: 'rejected'`). */
export interface ApikeyRefreshNosessionFailure {}

/** The body of `user-check-access`: Ask the server's permissions policy whether a user may perform an action on an item. */
export interface UserCheckAccessBody {
  /** Id of the user acting. (`int`) */
  readonly user_id: number;
  /** Role of the user acting; must match the account. (`str`) */
  readonly user_role: string;
  /** The action, for example create, view, list, edit or delete. (`str`) */
  readonly action: string;
  /** Kind of item acted on, for example dataset, object, collection or apikey. (`str`) */
  readonly target_name: string;
  /** Id of the item's owner. (`int`) */
  readonly target_owner: number;
  /** Visibility of the item: public, unlisted, shared or private. (`str`) */
  readonly target_visibility: string;
  /** Comma-separated ids of users the item is shared with, or an empty string. (`str`) */
  readonly target_sharedwith: string;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-check-access` on success. */
export interface UserCheckAccessSuccess {}

/** The reply of `user-check-access` when the server turns it down (`failure: 'rejected'`). */
export interface UserCheckAccessFailure {}

/** The body of `user-check-limit`: Ask the server's permissions policy whether a value is within a role's limit. */
export interface UserCheckLimitBody {
  /** Id of the user. (`int`) */
  readonly user_id: number;
  /** Role of the user; must match the account. (`str`) */
  readonly user_role: string;
  /** Name of the limit in the policy, for example max_requests. (`str`) */
  readonly limit_name: string;
  /** The value to compare with the limit. (`Any`) */
  readonly value_to_check: NonNullable<unknown>;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `user-check-limit` on success. */
export interface UserCheckLimitSuccess {}

/** The reply of `user-check-limit` when the server turns it down (`failure: 'rejected'`). */
export interface UserCheckLimitFailure {}

/** The body of `internal-user-lock`: Lock or unlock a user's account without permission checks (for trusted frontends). */
export interface InternalUserLockBody {
  /** Id of the user to lock or unlock; not users 2 and 3. (`int`) */
  readonly target_userid: number;
  /** Whether to lock or unlock the account. (`'lock' | 'unlock'`) */
  readonly action: 'lock' | 'unlock';
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `internal-user-lock` on success. */
export interface InternalUserLockSuccess {
  /** The target user after the change. (`UserInfo`) */
  readonly user_info: UserInfo;
}

/** The reply of `internal-user-lock` when the server turns it down (`failure: 'rejected'`). */
export interface InternalUserLockFailure {
  /** Always null on failure. (`None`) */
  readonly user_info: null;
}

/** The body of `internal-user-delete`: Delete a user and the user's sessions without any checks (for trusted frontends). */
export interface InternalUserDeleteBody {
  /** Id of the user to delete. (`int`) */
  readonly target_userid: number;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `internal-user-delete` on success. */
export interface InternalUserDeleteSuccess {
  /** The target_userid that was sent. (`int`) */
  readonly user_id: number;
}

/** The reply of `internal-user-delete` when the server turns it down (`failure: 'rejected'`). */
export interface InternalUserDeleteFailure {}

/** The body of `internal-user-edit`: Change any editable column of a user without permission checks (for trusted frontends). */
export interface InternalUserEditBody {
  /** Id of the user to edit. (`int`) */
  readonly target_userid: number;
  /** Columns to change; extra_info is merged into the stored one. (`dict`) */
  readonly update_dict: Record<string, unknown>;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `internal-user-edit` on success. */
export interface InternalUserEditSuccess {
  /** The edited user after the change. (`UserInfo`) */
  readonly user_info: UserInfo;
}

/** The reply of `internal-user-edit` when the server turns it down (`failure: 'rejected'`). */
export interface InternalUserEditFailure {}

/** The body of `internal-session-edit`: Merge data into a live session's extra_info_json (for trusted frontends). */
export interface InternalSessionEditBody {
  /** Token of the session to edit. (`str`, secret: redacted from logs and hooks) */
  readonly target_session_token: string;
  /** Entries to merge into the session's extra_info_json; must not be empty. (`dict`) */
  readonly update_dict: Record<string, unknown>;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `internal-session-edit` on success. */
export interface InternalSessionEditSuccess {
  /** The session after the change. (`EditedSessionInfo`) */
  readonly session_info: EditedSessionInfo;
}

/** The reply of `internal-session-edit` when the server turns it down (`failure: 'rejected'`). */
export interface InternalSessionEditFailure {
  /** Always null on failure. (`None`) */
  readonly session_info: null;
}

/** Every request type of the authnzerver catalogue, by wire name: its body and reply types. */
export interface AuthnzerverRequests {
  readonly 'session-new': {
    readonly body: SessionNewBody;
    readonly success: SessionNewSuccess;
    readonly failure: SessionNewFailure;
  };
  readonly 'session-exists': {
    readonly body: SessionExistsBody;
    readonly success: SessionExistsSuccess;
    readonly failure: SessionExistsFailure;
  };
  readonly 'session-delete': {
    readonly body: SessionDeleteBody;
    readonly success: SessionDeleteSuccess;
    readonly failure: SessionDeleteFailure;
  };
  readonly 'session-delete-userid': {
    readonly body: SessionDeleteUseridBody;
    readonly success: SessionDeleteUseridSuccess;
    readonly failure: SessionDeleteUseridFailure;
  };
  readonly 'user-login': {
    readonly body: UserLoginBody;
    readonly success: UserLoginSuccess;
    readonly failure: UserLoginFailure;
  };
  readonly 'user-logout': {
    readonly body: UserLogoutBody;
    readonly success: UserLogoutSuccess;
    readonly failure: UserLogoutFailure;
  };
  readonly 'user-passcheck': {
    readonly body: UserPasscheckBody;
    readonly success: UserPasscheckSuccess;
    readonly failure: UserPasscheckFailure;
  };
  readonly 'user-passcheck-nosession': {
    readonly body: UserPasscheckNosessionBody;
    readonly success: UserPasscheckNosessionSuccess;
    readonly failure: UserPasscheckNosessionFailure;
  };
  readonly 'user-new': {
    readonly body: UserNewBody;
    readonly success: UserNewSuccess;
    readonly failure: UserNewFailure;
  };
  readonly 'user-changepass': {
    readonly body: UserChangepassBody;
    readonly success: UserChangepassSuccess;
    readonly failure: UserChangepassFailure;
  };
  readonly 'user-changepass-nosession': {
    readonly body: UserChangepassNosessionBody;
    readonly success: UserChangepassNosessionSuccess;
    readonly failure: UserChangepassNosessionFailure;
  };
  readonly 'user-delete': {
    readonly body: UserDeleteBody;
    readonly success: UserDeleteSuccess;
    readonly failure: UserDeleteFailure;
  };
  readonly 'user-list': {
    readonly body: UserListBody;
    readonly success: UserListSuccess;
    readonly failure: UserListFailure;
  };
  readonly 'user-lookup-email': {
    readonly body: UserLookupEmailBody;
    readonly success: UserLookupEmailSuccess;
    readonly failure: UserLookupEmailFailure;
  };
  readonly 'user-lookup-match': {
    readonly body: UserLookupMatchBody;
    readonly success: UserLookupMatchSuccess;
    readonly failure: UserLookupMatchFailure;
  };
  readonly 'user-edit': {
    readonly body: UserEditBody;
    readonly success: UserEditSuccess;
    readonly failure: UserEditFailure;
  };
  readonly 'user-resetpass': {
    readonly body: UserResetpassBody;
    readonly success: UserResetpassSuccess;
    readonly failure: UserResetpassFailure;
  };
  readonly 'user-resetpass-nosession': {
    readonly body: UserResetpassNosessionBody;
    readonly success: UserResetpassNosessionSuccess;
    readonly failure: UserResetpassNosessionFailure;
  };
  readonly 'user-lock': {
    readonly body: UserLockBody;
    readonly success: UserLockSuccess;
    readonly failure: UserLockFailure;
  };
  readonly 'user-validatepass': {
    readonly body: UserValidatepassBody;
    readonly success: UserValidatepassSuccess;
    readonly failure: UserValidatepassFailure;
  };
  readonly 'user-sendemail-signup': {
    readonly body: UserSendemailSignupBody;
    readonly success: UserSendemailSignupSuccess;
    readonly failure: UserSendemailSignupFailure;
  };
  readonly 'user-sendemail-forgotpass': {
    readonly body: UserSendemailForgotpassBody;
    readonly success: UserSendemailForgotpassSuccess;
    readonly failure: UserSendemailForgotpassFailure;
  };
  readonly 'user-set-emailverified': {
    readonly body: UserSetEmailverifiedBody;
    readonly success: UserSetEmailverifiedSuccess;
    readonly failure: UserSetEmailverifiedFailure;
  };
  readonly 'user-set-emailsent': {
    readonly body: UserSetEmailsentBody;
    readonly success: UserSetEmailsentSuccess;
    readonly failure: UserSetEmailsentFailure;
  };
  readonly 'apikey-new': {
    readonly body: ApikeyNewBody;
    readonly success: ApikeyNewSuccess;
    readonly failure: ApikeyNewFailure;
  };
  readonly 'apikey-verify': {
    readonly body: ApikeyVerifyBody;
    readonly success: ApikeyVerifySuccess;
    readonly failure: ApikeyVerifyFailure;
  };
  readonly 'apikey-revoke': {
    readonly body: ApikeyRevokeBody;
    readonly success: ApikeyRevokeSuccess;
    readonly failure: ApikeyRevokeFailure;
  };
  readonly 'apikey-new-nosession': {
    readonly body: ApikeyNewNosessionBody;
    readonly success: ApikeyNewNosessionSuccess;
    readonly failure: ApikeyNewNosessionFailure;
  };
  readonly 'apikey-verify-nosession': {
    readonly body: ApikeyVerifyNosessionBody;
    readonly success: ApikeyVerifyNosessionSuccess;
    readonly failure: ApikeyVerifyNosessionFailure;
  };
  readonly 'apikey-revoke-nosession': {
    readonly body: ApikeyRevokeNosessionBody;
    readonly success: ApikeyRevokeNosessionSuccess;
    readonly failure: ApikeyRevokeNosessionFailure;
  };
  readonly 'apikey-revokeall-nosession': {
    readonly body: ApikeyRevokeallNosessionBody;
    readonly success: ApikeyRevokeallNosessionSuccess;
    readonly failure: ApikeyRevokeallNosessionFailure;
  };
  readonly 'apikey-refresh-nosession': {
    readonly body: ApikeyRefreshNosessionBody;
    readonly success: ApikeyRefreshNosessionSuccess;
    readonly failure: ApikeyRefreshNosessionFailure;
  };
  readonly 'user-check-access': {
    readonly body: UserCheckAccessBody;
    readonly success: UserCheckAccessSuccess;
    readonly failure: UserCheckAccessFailure;
  };
  readonly 'user-check-limit': {
    readonly body: UserCheckLimitBody;
    readonly success: UserCheckLimitSuccess;
    readonly failure: UserCheckLimitFailure;
  };
  readonly 'internal-user-lock': {
    readonly body: InternalUserLockBody;
    readonly success: InternalUserLockSuccess;
    readonly failure: InternalUserLockFailure;
  };
  readonly 'internal-user-delete': {
    readonly body: InternalUserDeleteBody;
    readonly success: InternalUserDeleteSuccess;
    readonly failure: InternalUserDeleteFailure;
  };
  readonly 'internal-user-edit': {
    readonly body: InternalUserEditBody;
    readonly success: InternalUserEditSuccess;
    readonly failure: InternalUserEditFailure;
  };
  readonly 'internal-session-edit': {
    readonly body: InternalSessionEditBody;
    readonly success: InternalSessionEditSuccess;
    readonly failure: InternalSessionEditFailure;
  };
}
