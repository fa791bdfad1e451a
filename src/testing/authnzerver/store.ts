/**
 * The in-memory authnzerver's database: its tables (users, sessions, API keys with and without sessions, and
 * the lock-out's pending unlocks), its clock, and the row operations and look-ups that several of the server's
 * actions share, down to the user and session dicts the server builds from rows. It starts with the real
 * server's three system users. The action modules beside it change the tables only as their server actions do;
 * the store knows no request types and sends no messages.
 */
import { randomUUID } from 'node:crypto';
import type { SessionInfo, UserInfo } from '../../../generated/types.js';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../policy.js';
import { isoformat, microsOf, tokenUrlsafe, type Micros } from '../py.js';
import type { ActionDict, Body } from './replies.js';
import { asInteger, clip, clone, hashSecret, isoOrNull } from './values.js';

/** One request type's action: the server's action function, on this store. */
export type Action = (store: Store, body: Body) => ActionDict;

/** A row of the server's users table. */
export interface UserRow {
  user_id: number;
  system_id: string;
  full_name: string | null;
  password: string;
  email: string;
  email_verified: boolean;
  is_active: boolean;
  emailverify_sent_datetime: Micros | null;
  emailforgotpass_sent_datetime: Micros | null;
  emailchangepass_sent_datetime: Micros | null;
  failed_login_tries: number;
  extra_info: Record<string, unknown> | null;
  created_on: Micros;
  last_updated: Micros;
  user_role: string;
}

/** A row of the server's sessions table. */
export interface SessionRow {
  session_token: string;
  ip_address: string;
  user_agent: string;
  user_id: number;
  created: Micros;
  expires: Micros;
  extra_info_json: unknown;
}

/** A row of either API key table. */
export interface KeyRow {
  token: string;
  issued: Micros;
  expires: Micros;
  nbf: Micros;
  user_id: number;
  user_role: string;
  /** The session a key from `apikey-new` belongs to (deleting the session deletes the key). */
  session_token?: string;
  refresh?: { hash: string; issued: Micros; expires: Micros; nbf: Micros };
}

/** A user row to insert, with its password in clear. */
export interface NewUserRow {
  email: string;
  password: string;
  fullName: string;
  role: string;
  active: boolean;
  verified: boolean;
  extraInfo: Record<string, unknown>;
  systemId?: string | undefined;
  emailverifySent?: Micros | null;
}

/** An unlock that the lock-out scheduled. */
export interface Unlock {
  readonly userId: number;
  readonly at: Micros;
}

/** Options of {@link Store}. */
export interface StoreOptions {
  /** The clock, in milliseconds since the epoch (fractions count). */
  readonly clock: () => number;
  /** The server's host name, which a new password must not resemble. */
  readonly serverName: string;
  /** The superuser (user 1). */
  readonly admin: { readonly email: string; readonly password: string };
}

/** Whether a user id (compared as SQLite does) is the system's anonymous or locked user, which no one edits. */
export function isSystemUser(userId: unknown): boolean {
  const id = asInteger(userId);
  return id === 2 || id === 3;
}

/** The roles a user had before the lock-out locked it, oldest first (`['locked']` when none are recorded). */
export function previousRoles(extraInfo: Readonly<Record<string, unknown>>): unknown[] {
  return Array.isArray(extraInfo.previous_user_roles)
    ? (extraInfo.previous_user_roles as unknown[])
    : ['locked'];
}

/** What the server's dicts show of a session after its user id and token, dates as text. */
export interface SessionDetails {
  ip_address: string;
  user_agent: string;
  created: string;
  expires: string;
  extra_info_json: Record<string, unknown> | null;
}

/** A session row's details as the server's dicts show them (a copy). */
export function sessionDetails(session: SessionRow): SessionDetails {
  return {
    ip_address: session.ip_address,
    user_agent: session.user_agent,
    created: isoformat(session.created),
    expires: isoformat(session.expires),
    extra_info_json: clone(session.extra_info_json) as Record<string, unknown> | null,
  };
}

/** The in-memory authnzerver's tables and clock. */
export class Store {
  /** The users table, by user id. */
  readonly users = new Map<number, UserRow>();
  /** The sessions table, by session token. */
  readonly sessions = new Map<string, SessionRow>();
  /** API keys from `apikey-new`, by token. */
  readonly keys = new Map<string, KeyRow>();
  /** API keys from `apikey-new-nosession`, by token. */
  readonly noSessionKeys = new Map<string, KeyRow>();
  /** Unlocks the lock-out scheduled, due or not. */
  readonly unlocks: Unlock[] = [];
  readonly #clock: () => number;
  readonly #serverName: string;

  constructor(options: StoreOptions) {
    this.#clock = options.clock;
    this.#serverName = options.serverName;
    const seed = (email: string, password: string, fullName: string, role: string): void => {
      const active = role !== 'locked';
      const type = active ? 'system-user' : 'locked-user';
      const extraInfo = { provenance: 'auto-created', type };
      this.insertUser({ email, password, fullName, role, active, verified: true, extraInfo });
    };
    seed(options.admin.email, options.admin.password, 'Superuser account', 'superuser');
    seed('anonuser@localhost', tokenUrlsafe(32), 'The systemwide anonymous user', 'anonymous');
    seed('dummyuser@localhost', tokenUrlsafe(32), 'The systemwide locked user', 'locked');
  }

  /** The clock's time, to the microsecond. */
  now(): Micros {
    return microsOf(this.#clock());
  }

  /**
   * Inserts a user with the next id, its password hashed.
   * @throws {Error} when the email address or system id is taken.
   */
  insertUser(user: NewUserRow): UserRow {
    if (this.emailTaken(user.email)) throw new Error(`a user with email ${user.email} exists`);
    const systemId = user.systemId ?? randomUUID();
    if (this.systemIdTaken(systemId)) throw new Error(`a user with system id ${systemId} exists`);
    const now = this.now();
    // SQLite gives a new row the highest id plus one.
    const id = Math.max(0, ...this.users.keys()) + 1;
    const row: UserRow = {
      user_id: id,
      system_id: systemId,
      full_name: user.fullName,
      password: hashSecret(clip(user.password)),
      email: user.email,
      email_verified: user.verified,
      is_active: user.active,
      emailverify_sent_datetime: user.emailverifySent ?? null,
      emailforgotpass_sent_datetime: null,
      emailchangepass_sent_datetime: null,
      failed_login_tries: 0,
      extra_info: user.extraInfo,
      created_on: now,
      last_updated: now,
      user_role: user.role,
    };
    this.users.set(id, row);
    return row;
  }

  /** Updates a user row and its `last_updated`. */
  touch(row: UserRow, changes: Partial<UserRow>): void {
    Object.assign(row, changes, { last_updated: this.now() });
  }

  /** Deletes a user with its sessions and API keys. */
  deleteUser(userId: number): void {
    this.users.delete(userId);
    this.deleteSessionsOf(userId);
    for (const table of [this.keys, this.noSessionKeys])
      for (const [token, key] of table) if (key.user_id === userId) table.delete(token);
  }

  /** Deletes a session with the API keys issued in it; false when there was none. */
  deleteSession(token: string): boolean {
    if (!this.sessions.delete(token)) return false;
    for (const [key, row] of this.keys) if (row.session_token === token) this.keys.delete(key);
    return true;
  }

  /** Deletes a user's sessions, expired ones included, but the one to keep; returns how many went. */
  deleteSessionsOf(userId: number | undefined, keep?: unknown): number {
    let deleted = 0;
    for (const session of [...this.sessions.values()]) {
      if (session.user_id !== userId || session.session_token === keep) continue;
      this.deleteSession(session.session_token);
      deleted++;
    }
    return deleted;
  }

  /** The user with this email address, compared exactly. */
  userByEmail(email: unknown): UserRow | undefined {
    for (const row of this.users.values()) if (row.email === email) return row;
    return undefined;
  }

  /** The user with this id, compared as SQLite compares an integer column. */
  userById(id: unknown): UserRow | undefined {
    const number = asInteger(id);
    return number === undefined ? undefined : this.users.get(number);
  }

  /** Every user, ordered by user id. */
  sortedUsers(): UserRow[] {
    return [...this.users.values()].sort((a, b) => a.user_id - b.user_id);
  }

  /** Whether a user other than `except` has this email address. */
  emailTaken(email: unknown, except?: UserRow): boolean {
    return (
      typeof email === 'string' &&
      [...this.users.values()].some((other) => other !== except && other.email === email)
    );
  }

  /** Whether a user has this system id. */
  systemIdTaken(systemId: string): boolean {
    return [...this.users.values()].some((row) => row.system_id === systemId);
  }

  /** The session with this token if it has not expired and its user exists. */
  liveSession(token: unknown): SessionRow | undefined {
    const row = typeof token === 'string' ? this.sessions.get(token) : undefined;
    if (row === undefined || row.expires <= this.now() || !this.users.has(row.user_id))
      return undefined;
    return row;
  }

  /**
   * Whether the live session with this token belongs to this active user (id compared as SQLite does) with this
   * role, as the admin actions check the user who asks.
   */
  sessionIsUser(token: unknown, userId: unknown, role: unknown): boolean {
    const session = this.liveSession(token);
    const user = session === undefined ? undefined : this.users.get(session.user_id);
    return (
      user !== undefined &&
      user.is_active &&
      user.user_id === asInteger(userId) &&
      user.user_role === role
    );
  }

  /** A user row as the server's user dict. */
  userDict(row: UserRow): UserInfo {
    return {
      user_id: row.user_id,
      system_id: row.system_id,
      full_name: row.full_name,
      email: row.email,
      email_verified: row.email_verified,
      is_active: row.is_active,
      last_login_try: null,
      last_login_success: null,
      failed_login_tries: row.failed_login_tries,
      created_on: isoformat(row.created_on),
      last_updated: isoformat(row.last_updated),
      user_role: row.user_role,
      extra_info: clone(row.extra_info),
      emailverify_sent_datetime: isoOrNull(row.emailverify_sent_datetime),
      emailforgotpass_sent_datetime: isoOrNull(row.emailforgotpass_sent_datetime),
      emailchangepass_sent_datetime: isoOrNull(row.emailchangepass_sent_datetime),
    };
  }

  /** A live session and its user as the server's session dict (the session's columns last). */
  sessionDict(session: SessionRow): SessionInfo {
    const user = this.users.get(session.user_id) as UserRow;
    return {
      user_id: user.user_id,
      system_id: user.system_id,
      full_name: user.full_name,
      email: user.email,
      extra_info: clone(user.extra_info),
      email_verified: user.email_verified,
      emailverify_sent_datetime: isoOrNull(user.emailverify_sent_datetime),
      is_active: user.is_active,
      last_login_try: null,
      last_login_success: null,
      created_on: isoformat(user.created_on),
      user_role: user.user_role,
      session_token: session.session_token,
      ...sessionDetails(session),
    };
  }

  /** The server's password policy check, against this server's name. */
  passwordCheck(
    fullName: string,
    email: string,
    password: string,
  ): { ok: boolean; messages: string[] } {
    return checkPassword(fullName, email, password, this.#serverName, DEFAULT_PASSWORD_POLICY);
  }
}
