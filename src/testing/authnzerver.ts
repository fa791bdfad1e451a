import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { SessionInfo, UserInfo } from '../../generated/types.js';
import {
  checkItemAccess,
  checkRoleLimit,
  ROLES,
  sharedWithIds,
  UnknownRoleError,
  type Role,
} from './permissions.js';
import {
  checkPassword,
  DEFAULT_PASSWORD_POLICY,
  emailAcceptable,
  fullNameLooksLikeLink,
  normalizeEmail,
} from './policy.js';
import {
  addSeconds,
  codePoints,
  isoformat,
  microsOf,
  pyInt,
  pyJsonDumps,
  PythonError,
  secondsBetween,
  squeeze,
  strptimeMicros,
  tokenUrlsafe,
  truthy,
  xhtmlEscape,
  type Micros,
} from './py.js';

/**
 * An authnzerver in memory: users, sessions, API keys and access checks with the real server's rules, reply
 * shapes, success values and user-facing messages, for tests and demos without the Python server. It answers
 * the 36 request types that can succeed on the real server (the two `user-sendemail-*` types answer as the real
 * server does at its git HEAD, where neither can succeed). It does not send email, keep data on disk, check
 * passwords against haveibeenpwned.com, or consult the real server's large lists of common passwords and
 * throw-away email domains (it has short lists of its own).
 */

/** Options of {@link InMemoryAuthnzerver}. */
export interface InMemoryAuthnzerverOptions {
  /**
   * The superuser (user 1), as the real server's `AUTHNZERVER_ADMIN_EMAIL` and `AUTHNZERVER_ADMIN_PASSWORD` make it.
   * @default `admin@localhost` and a random password (read it from `authnzerver.admin`)
   */
  readonly admin?: { readonly email?: string; readonly password?: string };
  /** The server's host name, which a new password must not resemble (the real server's FQDN). @default 'localhost' */
  readonly serverName?: string;
  /** The clock, in milliseconds since the epoch (fractions count). @default the system clock, to the microsecond */
  readonly now?: () => number;
}

/** A user to add directly with {@link InMemoryAuthnzerver.addUser}, verified and active unless said otherwise. */
export interface NewUser {
  readonly email: string;
  readonly password: string;
  /** @default the email's local part */
  readonly fullName?: string;
  /** @default 'authenticated' */
  readonly role?: Role;
  /** Verified and active, as after `user-set-emailverified`; false makes a fresh sign-up (inactive, locked). @default true */
  readonly verified?: boolean;
  /** @default a random UUID */
  readonly systemId?: string;
  readonly extraInfo?: Readonly<Record<string, unknown>>;
}

/** A session as stored, for inspection. */
export interface StoredSession {
  readonly session_token: string;
  readonly user_id: number;
  readonly ip_address: string;
  readonly user_agent: string;
  readonly created: string;
  readonly expires: string;
  readonly extra_info_json: unknown;
}

/** An API key as stored (without its token), for inspection. */
export interface StoredApiKey {
  /** `session` for keys from `apikey-new`, `nosession` for keys from `apikey-new-nosession`. */
  readonly kind: 'session' | 'nosession';
  readonly user_id: number;
  readonly user_role: string;
  readonly issued: string;
  readonly expires: string;
  readonly not_valid_before: string;
}

/** An action dict, as an authnzerver action function returns it. */
export type ActionDict = { success: boolean; messages: string[] } & Record<string, unknown>;
type Body = Readonly<Record<string, unknown>>;

interface UserRow {
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

interface SessionRow {
  session_token: string;
  ip_address: string;
  user_agent: string;
  user_id: number;
  created: Micros;
  expires: Micros;
  extra_info_json: unknown;
}

interface KeyRow {
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

function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret, salt, 32, { N: 1024, r: 8, p: 1 });
  return `${salt.toString('base64')}$${key.toString('base64')}`;
}

function verifySecret(stored: string, secret: string): boolean {
  const [salt = '', key = ''] = stored.split('$');
  const expected = Buffer.from(key, 'base64');
  const actual = scryptSync(secret, Buffer.from(salt, 'base64'), 32, { N: 1024, r: 8, p: 1 });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The first 256 code points, as the server truncates passwords. */
const clip = (text: string): string => codePoints(text).slice(0, 256).join('');

/** Python's `ipaddress.ip_address(text)`, as text. @throws {PythonError} */
function normalizeIp(value: unknown): string {
  if (typeof value === 'string') {
    if (isIPv4(value)) return value;
    const [address = '', zone] = value.split('%');
    if (isIPv6(address)) {
      const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
      return zone === undefined ? host : `${host}%${zone}`;
    }
  }
  throw new PythonError(`ValueError: ${JSON.stringify(value)} does not appear to be an IP address`);
}

/** A JSON value as SQLite compares it with an integer column: numbers, booleans (as 0/1) and numeric text. */
function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+(\.0*)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The dict key that Python's `payload[key]` would raise for. */
function need(dict: unknown, key: string): unknown {
  if (typeof dict !== 'object' || dict === null || !(key in dict))
    throw new PythonError(`KeyError: '${key}'`);
  return (dict as Record<string, unknown>)[key];
}

/** The columns of the server's users table. */
const USER_COLUMNS = [
  'user_id',
  'system_id',
  'full_name',
  'password',
  'email',
  'email_verified',
  'is_active',
  'emailverify_sent_datetime',
  'emailforgotpass_sent_datetime',
  'emailchangepass_sent_datetime',
  'last_login_success',
  'last_login_try',
  'failed_login_tries',
  'extra_info',
  'created_on',
  'last_updated',
  'user_role',
];

/** `column == value` in SQLite for one user row (integer and boolean columns compare numerically). */
function columnEquals(row: UserRow, column: string, value: unknown): boolean {
  switch (column) {
    case 'user_id':
    case 'failed_login_tries':
      return asInteger(value) === row[column];
    case 'email_verified':
    case 'is_active':
      return asInteger(value) === (row[column] ? 1 : 0);
    case 'system_id':
    case 'full_name':
    case 'email':
    case 'user_role':
      return row[column] === value;
    default:
      // Datetimes are stored in another text form, and the password only as a hash.
      return false;
  }
}

const bool = (value: boolean): string => (value ? 'True' : 'False');

/** Python's `str()` of a JSON value, near enough to compare values as text. */
const pyStr = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'boolean'
      ? bool(value)
      : JSON.stringify(value);

/** Merges an update into a stored dict: the value `"__delete__"` removes an existing key. */
function mergeUpdate(
  base: Readonly<Record<string, unknown>> | null,
  update: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged = new Map(Object.entries(base ?? {}));
  for (const [key, value] of Object.entries(update)) {
    if (value === '__delete__' && merged.has(key)) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}
const clone = <T>(value: T): T => structuredClone(value);
const systemClock = (): number => performance.timeOrigin + performance.now();

/** The in-memory authnzerver behind {@link createTestServer}; read and seed its state through it. */
export class InMemoryAuthnzerver {
  /** The superuser's email address and password (user 1). */
  readonly admin: { readonly email: string; readonly password: string };
  private readonly serverName: string;
  private readonly clock: () => number;
  private readonly users = new Map<number, UserRow>();
  private readonly sessions = new Map<string, SessionRow>();
  private readonly keys = new Map<string, KeyRow>();
  private readonly noSessionKeys = new Map<string, KeyRow>();
  private readonly unlocks: { userId: number; at: Micros }[] = [];
  private readonly actions: Readonly<Record<string, (body: Body) => ActionDict>>;

  constructor(options: InMemoryAuthnzerverOptions = {}) {
    this.admin = {
      email: options.admin?.email ?? 'admin@localhost',
      password: options.admin?.password ?? tokenUrlsafe(16),
    };
    this.serverName = options.serverName ?? 'localhost';
    this.clock = options.now ?? systemClock;
    const system = { provenance: 'auto-created', type: 'system-user' };
    const seed = (email: string, password: string, fullName: string, role: Role): void => {
      const active = role !== 'locked';
      const extraInfo = active
        ? { ...system }
        : { provenance: 'auto-created', type: 'locked-user' };
      this.insertUser({ email, password, fullName, role, active, verified: true, extraInfo });
    };
    seed(this.admin.email, this.admin.password, 'Superuser account', 'superuser');
    seed('anonuser@localhost', tokenUrlsafe(32), 'The systemwide anonymous user', 'anonymous');
    seed('dummyuser@localhost', tokenUrlsafe(32), 'The systemwide locked user', 'locked');
    this.actions = {
      'session-new': (b) => this.sessionNew(b),
      'session-exists': (b) => this.sessionExists(b),
      'session-delete': (b) => this.sessionDelete(b),
      'session-delete-userid': (b) => this.sessionDeleteUserid(b),
      'user-login': (b) => this.userLogin(b),
      'user-logout': (b) => this.userLogout(b),
      'user-passcheck': (b) => this.userPasscheck(b),
      'user-passcheck-nosession': (b) => this.userPasscheckNosession(b),
      'user-new': (b) => this.userNew(b),
      'user-changepass': (b) => this.userChangepass(b, true),
      'user-changepass-nosession': (b) => this.userChangepass(b, false),
      'user-delete': (b) => this.userDelete(b),
      'user-list': (b) => this.userList(b),
      'user-lookup-email': (b) => this.userLookupEmail(b),
      'user-lookup-match': (b) => this.userLookupMatch(b),
      'user-edit': (b) => this.userEdit(b),
      'user-resetpass': (b) => this.userResetpass(b, true),
      'user-resetpass-nosession': (b) => this.userResetpass(b, false),
      'user-lock': (b) => this.userLock(b),
      'user-validatepass': (b) => this.userValidatepass(b),
      'user-sendemail-signup': (b) => this.userSendemailSignup(b),
      'user-sendemail-forgotpass': () => this.userSendemailForgotpass(),
      'user-set-emailverified': (b) => this.userSetEmailverified(b),
      'user-set-emailsent': (b) => this.userSetEmailsent(b),
      'apikey-new': (b) => this.apikeyNew(b),
      'apikey-verify': (b) => this.apikeyVerify(b, this.keys, 'API key verified successfully.'),
      'apikey-revoke': (b) => this.apikeyRevoke(b, this.keys),
      'apikey-new-nosession': (b) => this.apikeyNewNosession(b),
      'apikey-verify-nosession': (b) =>
        this.apikeyVerify(b, this.noSessionKeys, 'No-session API key verified successfully.'),
      'apikey-revoke-nosession': (b) => this.apikeyRevoke(b, this.noSessionKeys),
      'apikey-revokeall-nosession': (b) => this.apikeyRevokeall(b),
      'apikey-refresh-nosession': (b) => this.apikeyRefresh(b),
      'user-check-access': (b) => this.userCheckAccess(b),
      'user-check-limit': (b) => this.userCheckLimit(b),
      'internal-user-lock': (b) => this.internalUserLock(b),
      'internal-user-delete': (b) => this.internalUserDelete(b),
      'internal-user-edit': (b) => this.internalUserEdit(b),
      'internal-session-edit': (b) => this.internalSessionEdit(b),
    };
  }

  // ---- public surface ------------------------------------------------------------------------------------

  /** Whether the in-memory server answers this request type. */
  implements(type: string): boolean {
    return Object.hasOwn(this.actions, type);
  }

  /**
   * Runs one request's action on a body that passed the server's parameter check, as the server's action
   * function would, and returns its action dict.
   * @throws {PythonError} (or another error) where the real server fails inside the action; the test server
   *   answers that with HTTP 400, as the real one does.
   */
  handle(type: string, body: Body): ActionDict {
    const action = this.actions[type];
    if (action === undefined) throw new PythonError(`unknown request type ${JSON.stringify(type)}`);
    this.runUnlocks();
    return action(body);
  }

  /**
   * Adds a user directly, verified and active by default (as after sign-up and `user-set-emailverified`), so a
   * test can log in at once. The email is stored as given (sign-up would normalize it).
   * @throws {Error} when the email address or system id is taken.
   */
  addUser(user: NewUser): UserInfo {
    const verified = user.verified ?? true;
    const row = this.insertUser({
      email: user.email,
      password: user.password,
      fullName: user.fullName ?? user.email.split('@')[0] ?? user.email,
      role: verified ? (user.role ?? 'authenticated') : 'locked',
      active: verified,
      verified,
      extraInfo: { ...user.extraInfo, provenance: 'test-created', type: 'normal-user' },
      systemId: user.systemId,
      emailverifySent: this.now(),
    });
    return this.userDict(row);
  }

  /** Every user, as `user-list` returns them (ordered by user id). */
  listUsers(): UserInfo[] {
    this.runUnlocks();
    return [...this.users.values()]
      .sort((a, b) => a.user_id - b.user_id)
      .map((row) => this.userDict(row));
  }

  /** One user by id or email address (exact), as `user-list` returns it; undefined when there is none. */
  findUser(idOrEmail: number | string): UserInfo | undefined {
    this.runUnlocks();
    const row =
      typeof idOrEmail === 'number' ? this.users.get(idOrEmail) : this.userByEmail(idOrEmail);
    return row === undefined ? undefined : this.userDict(row);
  }

  /** Every stored session, expired ones included. */
  listSessions(): StoredSession[] {
    return [...this.sessions.values()].map((row) => ({
      session_token: row.session_token,
      user_id: row.user_id,
      ip_address: row.ip_address,
      user_agent: row.user_agent,
      created: isoformat(row.created),
      expires: isoformat(row.expires),
      extra_info_json: clone(row.extra_info_json),
    }));
  }

  /** Every stored API key, without tokens. */
  listApiKeys(): StoredApiKey[] {
    const view = (kind: StoredApiKey['kind']) => (row: KeyRow) => ({
      kind,
      user_id: row.user_id,
      user_role: row.user_role,
      issued: isoformat(row.issued),
      expires: isoformat(row.expires),
      not_valid_before: isoformat(row.nbf),
    });
    return [
      ...[...this.keys.values()].map(view('session')),
      ...[...this.noSessionKeys.values()].map(view('nosession')),
    ];
  }

  /**
   * Locks the account with this email after repeated failed log-ins, as the server's lock-out does: role
   * `locked`, inactive, sessions deleted, and an unlock after `unlockAfterSeconds`.
   * @returns whether there was such a user to lock.
   */
  lockOut(email: unknown, unlockAfterSeconds: number): boolean {
    const row = this.userByEmail(email);
    if (row === undefined) return false;
    const locked = this.toggleLock(row.user_id, 'lock');
    if (locked.success)
      this.unlocks.push({ userId: row.user_id, at: addSeconds(this.now(), unlockAfterSeconds) });
    return locked.success;
  }

  // ---- storage -------------------------------------------------------------------------------------------

  private now(): Micros {
    return microsOf(this.clock());
  }

  private runUnlocks(): void {
    const now = this.now();
    for (let i = this.unlocks.length - 1; i >= 0; i--) {
      const due = this.unlocks[i] as { userId: number; at: Micros };
      if (due.at > now) continue;
      this.unlocks.splice(i, 1);
      this.toggleLock(due.userId, 'unlock');
    }
  }

  private insertUser(user: {
    email: string;
    password: string;
    fullName: string;
    role: string;
    active: boolean;
    verified: boolean;
    extraInfo: Record<string, unknown>;
    systemId?: string | undefined;
    emailverifySent?: Micros | null;
  }): UserRow {
    if (this.userByEmail(user.email) !== undefined)
      throw new Error(`a user with email ${user.email} exists`);
    const systemId = user.systemId ?? randomUUID();
    if ([...this.users.values()].some((row) => row.system_id === systemId))
      throw new Error(`a user with system id ${systemId} exists`);
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

  private touch(row: UserRow, changes: Partial<UserRow>): void {
    Object.assign(row, changes, { last_updated: this.now() });
  }

  private deleteUserRow(userId: number): void {
    this.users.delete(userId);
    for (const session of [...this.sessions.values()])
      if (session.user_id === userId) this.deleteSession(session.session_token);
    for (const store of [this.keys, this.noSessionKeys])
      for (const [token, key] of store) if (key.user_id === userId) store.delete(token);
  }

  private deleteSession(token: string): boolean {
    if (!this.sessions.delete(token)) return false;
    for (const [key, row] of this.keys) if (row.session_token === token) this.keys.delete(key);
    return true;
  }

  private userByEmail(email: unknown): UserRow | undefined {
    for (const row of this.users.values()) if (row.email === email) return row;
    return undefined;
  }

  private userById(id: unknown): UserRow | undefined {
    const number = asInteger(id);
    return number === undefined ? undefined : this.users.get(number);
  }

  private liveSession(token: unknown): SessionRow | undefined {
    const row = typeof token === 'string' ? this.sessions.get(token) : undefined;
    if (row === undefined || row.expires <= this.now() || !this.users.has(row.user_id))
      return undefined;
    return row;
  }

  private userDict(row: UserRow): UserInfo {
    const at = (micros: Micros | null): string | null =>
      micros === null ? null : isoformat(micros);
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
      emailverify_sent_datetime: at(row.emailverify_sent_datetime),
      emailforgotpass_sent_datetime: at(row.emailforgotpass_sent_datetime),
      emailchangepass_sent_datetime: at(row.emailchangepass_sent_datetime),
    };
  }

  private sessionDict(session: SessionRow): SessionInfo {
    const user = this.users.get(session.user_id) as UserRow;
    return {
      user_id: user.user_id,
      system_id: user.system_id,
      full_name: user.full_name,
      email: user.email,
      extra_info: clone(user.extra_info),
      email_verified: user.email_verified,
      emailverify_sent_datetime:
        user.emailverify_sent_datetime === null ? null : isoformat(user.emailverify_sent_datetime),
      is_active: user.is_active,
      last_login_try: null,
      last_login_success: null,
      created_on: isoformat(user.created_on),
      user_role: user.user_role,
      session_token: session.session_token,
      ip_address: session.ip_address,
      user_agent: session.user_agent,
      created: isoformat(session.created),
      expires: isoformat(session.expires),
      extra_info_json: clone(session.extra_info_json) as Record<string, unknown> | null,
    };
  }

  /** The server's password policy check, against this server's name. */
  private passwordCheck(
    fullName: string,
    email: string,
    password: string,
  ): { ok: boolean; messages: string[] } {
    return checkPassword(fullName, email, password, this.serverName, DEFAULT_PASSWORD_POLICY);
  }

  /**
   * The server's `check_user_access`: the model's answer, then whether the asking user exists with that role
   * and is active, then whether the owner and the shared-with users exist and are active.
   */
  private accessCheck(
    userIdValue: unknown,
    role: unknown,
    action: unknown,
    targetName: unknown,
    ownerValue: unknown,
    visibility: unknown,
    sharedWith: unknown,
  ): ActionDict {
    const userId = pyInt(userIdValue);
    const owner = pyInt(ownerValue);
    if (userId === undefined || owner === undefined) throw new PythonError('ValueError: int()');
    const notValid = (reason: string, message: string): ActionDict => ({
      success: false,
      failure_reason: reason,
      messages: [message],
    });
    try {
      const granted = checkItemAccess({
        userId,
        role: String(role),
        action: String(action),
        targetName: String(targetName),
        targetOwner: owner,
        visibility: String(visibility),
        sharedWith,
      });
      const ids = new Set([userId, owner, ...sharedWithIds(sharedWith)]);
      const asker = this.users.get(userId);
      if (asker === undefined || asker.user_role !== role || !asker.is_active)
        return notValid(
          'user initiating request is not valid',
          'Access request check successful. Access granted: False.',
        );
      const found = [...ids].filter((id) => this.users.get(id)?.is_active === true);
      if (found.length !== ids.size)
        return notValid(
          'users specified as owner or shared-with not found',
          'Access request check successful. Access granted: False.',
        );
      const reply: ActionDict = {
        success: granted,
        messages: [`Access request check successful. Access granted: ${bool(granted)}.`],
      };
      if (!granted) reply.failure_reason = 'action not permitted';
      return reply;
    } catch (error) {
      if (!(error instanceof UnknownRoleError) && !(error instanceof SyntaxError)) throw error;
      return notValid(
        'exception when checking the DB',
        'Could not validate access to the requested item.',
      );
    }
  }

  private toggleLock(target: unknown, action: 'lock' | 'unlock'): ActionDict {
    const failed: ActionDict = {
      success: false,
      user_info: null,
      failure_reason: 'exception encountered when trying lock toggle action',
      messages: ['User lock toggle failed.'],
    };
    const row = this.userById(target);
    if (row === undefined || row.extra_info === null) return failed;
    const previous = Array.isArray(row.extra_info.previous_user_roles)
      ? (row.extra_info.previous_user_roles as unknown[])
      : ['locked'];
    const done = (): ActionDict => ({
      success: true,
      user_info: this.userDict(row),
      messages: ['User lock toggle successful.'],
    });
    if ((row.user_role === 'locked') === (action === 'lock')) return done();
    if (action === 'lock') {
      this.touch(row, {
        is_active: false,
        user_role: 'locked',
        extra_info: { ...row.extra_info, previous_user_roles: [...previous, row.user_role] },
      });
      for (const session of [...this.sessions.values()])
        if (session.user_id === row.user_id) this.deleteSession(session.session_token);
    } else {
      this.touch(row, { is_active: true, user_role: String(previous.at(-1)) });
    }
    return done();
  }

  // ---- sessions ------------------------------------------------------------------------------------------

  private sessionNew(body: Body): ActionDict {
    try {
      const ip = normalizeIp(body.ip_address);
      const userId = truthy(body.user_id) ? asInteger(body.user_id) : 2;
      if (typeof body.expires !== 'string') throw new PythonError('expires is not a datetime');
      const expires = strptimeMicros(body.expires.replace(/Z/g, ''));
      if (userId === undefined || !this.users.has(userId))
        throw new PythonError('IntegrityError: FOREIGN KEY constraint failed');
      if (typeof body.user_agent !== 'string') throw new PythonError('user_agent');
      const token = tokenUrlsafe(32);
      this.sessions.set(token, {
        session_token: token,
        ip_address: ip,
        user_agent: body.user_agent,
        user_id: userId,
        created: this.now(),
        expires,
        extra_info_json: clone(body.extra_info_json),
      });
      return {
        success: true,
        session_token: token,
        expires: isoformat(expires),
        messages: ['Generated session_token successfully. Session initiated.'],
      };
    } catch (error) {
      if (!(error instanceof PythonError)) throw error;
      return {
        failure_reason: 'DB error when making new session',
        success: false,
        session_token: null,
        expires: null,
        messages: ['Could not create a new session.'],
      };
    }
  }

  private sessionExists(body: Body): ActionDict {
    const session = this.liveSession(body.session_token);
    if (session === undefined)
      return {
        success: false,
        failure_reason: 'session does not exist or expired',
        session_info: null,
        messages: ['Session look up failed.'],
      };
    return {
      success: true,
      session_info: this.sessionDict(session),
      messages: ['Session look up successful.'],
    };
  }

  private sessionDelete(body: Body): ActionDict {
    const deleted =
      typeof body.session_token === 'string' && this.deleteSession(body.session_token);
    return { success: deleted, messages: [`Session delete processed, success: ${bool(deleted)}.`] };
  }

  private sessionDeleteUserid(body: Body): ActionDict {
    const userId = asInteger(body.user_id);
    // At this server revision, keep_current_session is read from session_token, so any token keeps its session.
    const keep = truthy(body.session_token);
    let deleted = 0;
    for (const session of [...this.sessions.values()]) {
      if (session.user_id !== userId || (keep && session.session_token === body.session_token))
        continue;
      this.deleteSession(session.session_token);
      deleted++;
    }
    return {
      success: deleted > 0,
      messages: [`Sessions delete processed. Success: ${bool(deleted > 0)}.`],
    };
  }

  // ---- log-in and passwords ------------------------------------------------------------------------------

  private userLogin(body: Body): ActionDict {
    const mismatch: ActionDict = {
      success: false,
      failure_reason: "user does not exist or password doesn't match",
      user_id: null,
      messages: ["Sorry, that user ID and password combination didn't work."],
    };
    const session = this.liveSession(body.session_token);
    if (session === undefined)
      return {
        success: false,
        failure_reason: 'session does not exist',
        user_id: null,
        messages: ['No session token provided.'],
      };
    const user = this.userByEmail(body.email);
    const ok =
      user !== undefined &&
      user.is_active &&
      user.email_verified &&
      verifySecret(user.password, clip(String(body.password)));
    // The session that logs in is always deleted; the app makes a new one for the user.
    this.deleteSession(session.session_token);
    if (!ok) return mismatch;
    if (user.user_role === 'locked')
      return {
        success: false,
        failure_reason: 'user exists but is inactive',
        user_id: user.user_id,
        messages: mismatch.messages,
      };
    return {
      success: true,
      user_id: user.user_id,
      user_role: user.user_role,
      messages: ['Login successful.'],
    };
  }

  private userLogout(body: Body): ActionDict {
    const session = this.liveSession(body.session_token);
    const failed = (reason: string): ActionDict => ({
      success: false,
      failure_reason: reason,
      user_id: body.user_id,
      messages: ['Logout failed. Invalid session_token for user_id.'],
    });
    if (session === undefined) return failed('session does not exist');
    if (asInteger(body.user_id) !== session.user_id) return failed('user does not exist');
    this.deleteSession(session.session_token);
    return { success: true, user_id: session.user_id, messages: ['Logout successful.'] };
  }

  private passcheckReply(user: UserRow | undefined, password: unknown): ActionDict {
    if (user === undefined || !verifySecret(user.password, clip(String(password))))
      return {
        success: false,
        failure_reason: "user does not exist or password doesn't match",
        user_id: null,
        messages: ["Sorry, that user ID and password combination didn't work."],
      };
    if (user.is_active && user.user_role !== 'locked')
      return {
        success: true,
        user_id: user.user_id,
        user_role: user.user_role,
        messages: ['Verification successful.'],
      };
    return {
      success: false,
      failure_reason: 'user exists but is inactive',
      user_id: user.user_id,
      messages: ["Sorry, that user ID and password combination didn't work."],
    };
  }

  private userPasscheck(body: Body): ActionDict {
    const session = this.liveSession(body.session_token);
    if (session === undefined)
      return {
        success: false,
        failure_reason: 'session does not exist',
        user_id: null,
        messages: ['No session token provided.'],
      };
    return this.passcheckReply(this.users.get(session.user_id), body.password);
  }

  private userPasscheckNosession(body: Body): ActionDict {
    return this.passcheckReply(this.userByEmail(body.email), body.password);
  }

  private userValidatepass(body: Body): ActionDict {
    // A running server applies its configured policy; the request's own policy kwargs are ignored.
    const check = this.passwordCheck(
      String(body.full_name),
      String(body.email),
      String(body.password),
    );
    const reply: ActionDict = { success: check.ok, messages: check.messages };
    if (!check.ok) reply.failure_reason = 'password is insecure or invalid';
    return reply;
  }

  private userChangepass(body: Body, withSession: boolean): ActionDict {
    const reply = (success: boolean, reason: string | null, messages: string[]): ActionDict => ({
      success,
      ...(reason === null ? {} : { failure_reason: reason }),
      user_id: body.user_id,
      email: body.email,
      messages,
    });
    const user = this.userById(body.user_id);
    if (user === undefined || user.email !== body.email || !user.is_active)
      return reply(false, 'user does not exist', [
        'Your current password did not match the stored password.',
      ]);
    const current = clip(String(body.current_password));
    const next = clip(String(body.new_password));
    if (!verifySecret(user.password, current))
      return reply(false, 'user password does not match', [
        'Your current password did not match the stored password.',
      ]);
    if (verifySecret(user.password, next))
      return reply(false, 'password did not change', [
        'Your new password cannot be the same as your old password.',
      ]);
    const check = this.passwordCheck(String(body.full_name), user.email, next);
    if (!check.ok)
      return reply(false, 'new password is insecure', [
        ...check.messages,
        'The new password you entered is insecure. It must be at least 12 characters long and be sufficiently complex.',
      ]);
    this.touch(user, { password: hashSecret(next) });
    if (!withSession)
      return reply(true, null, [...check.messages, 'Password changed successfully.']);
    this.sessionDeleteUserid({ session_token: body.session_token, user_id: user.user_id });
    return reply(true, null, [
      ...check.messages,
      'Password changed successfully.',
      'For security purposes, you have been logged out of all other sessions.',
    ]);
  }

  private userResetpass(body: Body, withSession: boolean): ActionDict {
    if (withSession && this.liveSession(body.session_token) === undefined)
      return {
        success: false,
        failure_reason: 'session does not exist',
        messages: ['Invalid session token for password reset request.'],
      };
    const active = withSession ? true : body.required_active;
    const user = this.userByEmail(body.email_address);
    if (user === undefined || user.is_active !== active)
      return {
        success: false,
        failure_reason: withSession
          ? 'user does not exist'
          : 'user does not exist or is_active was not as required',
        messages: ['Invalid user for password reset request.'],
      };
    const next = clip(String(body.new_password));
    if (user.full_name === null)
      throw new PythonError("AttributeError: 'NoneType' has no casefold");
    const check = this.passwordCheck(user.full_name, String(body.email_address), next);
    if (!check.ok)
      return withSession
        ? {
            success: false,
            failure_reason: 'invalid password',
            messages: ['Insecure password for password reset request.', ...check.messages],
          }
        : {
            success: false,
            failure_reason: 'invalid new password',
            messages: ['Insecure new password for password reset request.', ...check.messages],
          };
    this.touch(user, { password: hashSecret(next) });
    return { success: true, messages: [...check.messages, 'Password changed successfully.'] };
  }

  // ---- users ---------------------------------------------------------------------------------------------

  private userNew(body: Body): ActionDict {
    const refused = (reason: string, messages: string[], email: unknown = null): ActionDict => ({
      success: false,
      user_email: email,
      user_id: null,
      send_verification: false,
      failure_reason: reason,
      messages,
    });
    const rawEmail = String(body.email);
    if (!emailAcceptable(rawEmail))
      return refused('invalid email', [
        "The email address provided doesn't seem to be a valid email address and cannot be used to sign up for an account on this server.",
      ]);
    const email = normalizeEmail(rawEmail);
    const fullName = squeeze(xhtmlEscape(String(body.full_name).normalize('NFKC')));
    if (fullNameLooksLikeLink(fullName))
      return refused('invalid full name', [
        'The full name provided appears to contain an HTTP link, and cannot be used to sign up for an account on this server.',
      ]);
    let retryWait = pyInt(body.verify_retry_wait ?? 6) ?? 6;
    if (retryWait < 1) retryWait = 1;
    const systemId = typeof body.system_id === 'string' ? body.system_id : randomUUID();
    const password = clip(String(body.password));
    const check = this.passwordCheck(fullName, email, password);
    if (!check.ok) return refused('invalid password', check.messages, email);
    const messages = [
      ...check.messages,
      'User account created. Please verify your email address to log in.',
    ];

    const given = body.extra_info;
    const extraOk = !truthy(given) || (typeof given === 'object' && !Array.isArray(given));
    const extraInfo = {
      ...(truthy(given) ? clone(given as Record<string, unknown>) : {}),
      provenance: 'request-created',
      type: 'normal-user',
      verify_retry_wait: retryWait,
    };
    const existing = this.userByEmail(email);
    const systemTaken = [...this.users.values()].some((row) => row.system_id === systemId);
    if (extraOk && existing === undefined && !systemTaken) {
      const row = this.insertUser({
        email,
        password,
        fullName,
        role: 'locked',
        active: false,
        verified: false,
        extraInfo,
        systemId,
        emailverifySent: this.now(),
      });
      return {
        success: true,
        user_email: row.email,
        user_id: row.user_id,
        system_id: row.system_id,
        send_verification: true,
        messages,
      };
    }
    if (existing === undefined)
      return {
        success: false,
        user_email: null,
        user_id: null,
        send_verification: false,
        failure_reason: 'DB issue with user creation',
        messages,
      };
    if (existing.emailverify_sent_datetime === null)
      throw new PythonError(
        "TypeError: unsupported operand type(s) for -: 'datetime' and 'NoneType'",
      );
    const resend =
      !existing.is_active &&
      secondsBetween(existing.emailverify_sent_datetime, this.now()) > retryWait * 3600;
    if (resend && extraOk) {
      this.touch(existing, {
        full_name: fullName,
        password: hashSecret(password),
        email_verified: false,
        is_active: false,
        emailverify_sent_datetime: this.now(),
        user_role: 'locked',
        extra_info: extraInfo,
      });
    }
    return {
      success: false,
      user_email: existing.email,
      user_id: existing.user_id,
      system_id: existing.system_id,
      send_verification: resend,
      failure_reason: 'user exists',
      messages,
    };
  }

  private userDelete(body: Body): ActionDict {
    const reply = (success: boolean, reason: string | null, message: string): ActionDict => ({
      success,
      ...(reason === null ? {} : { failure_reason: reason }),
      user_id: body.user_id,
      email: body.email,
      messages: [message],
    });
    const user = this.userById(body.user_id);
    if (user === undefined || user.email !== body.email)
      return reply(false, 'invalid email', 'We could not verify your email address or password.');
    if (!verifySecret(user.password, clip(String(body.password))))
      return reply(
        false,
        'invalid password',
        'We could not verify your email address or password.',
      );
    if (user.user_role === 'superuser')
      return reply(false, "can't delete superusers", "Can't delete superusers.");
    this.deleteUserRow(user.user_id);
    return reply(true, null, 'User successfully deleted from DB.');
  }

  private userList(body: Body): ActionDict {
    const rows =
      body.user_id === null
        ? [...this.users.values()]
        : [this.userById(body.user_id)].filter((row): row is UserRow => row !== undefined);
    return {
      success: true,
      user_info: rows.sort((a, b) => a.user_id - b.user_id).map((row) => this.userDict(row)),
      messages: ['User look up successful.'],
    };
  }

  private userLookupEmail(body: Body): ActionDict {
    const user = this.userByEmail(body.email);
    if (user === undefined)
      return {
        success: false,
        user_info: null,
        failure_reason: 'user email not found in DB',
        messages: ['User look up failed.'],
      };
    return {
      success: true,
      user_info: this.userDict(user),
      messages: ['User look up successful.'],
    };
  }

  private userLookupMatch(body: Body): ActionDict {
    const by = body.by;
    const match = body.match;
    const isDict = typeof match === 'object' && match !== null && !Array.isArray(match);
    if (isDict !== (by === 'extra_info'))
      return {
        success: false,
        user_info: null,
        failure_reason:
          "invalid request: 'by' is 'extra_info' but 'match' is not a dict or 'match' is a dict and 'by' is not 'extra_info'",
        messages: ['Invalid match condition provided.'],
      };
    const rows = [...this.users.values()].sort((a, b) => a.user_id - b.user_id);
    let found: UserRow[];
    if (isDict) {
      // SQLite compares each stored JSON value with Python's str() of the wanted value: only text can match.
      found = rows.filter((row) =>
        Object.entries(match as Record<string, unknown>).every(([key, wanted]) => {
          const stored = row.extra_info?.[key];
          return typeof stored === 'string' && stored === pyStr(wanted);
        }),
      );
    } else {
      if (typeof by !== 'string' || !USER_COLUMNS.includes(by))
        return {
          success: false,
          user_info: null,
          failure_reason: 'exception in DB access',
          messages: ['User look up failed.'],
        };
      found = rows.filter((row) => columnEquals(row, by, match));
    }
    return {
      success: true,
      user_info: found.map((row) => this.userDict(row)),
      messages: ['User look up successful.'],
    };
  }

  private userEdit(body: Body): ActionDict {
    const failed = (reason: string, message: string): ActionDict => ({
      success: false,
      user_info: null,
      failure_reason: reason,
      messages: [message],
    });
    const update = body.update_dict as Record<string, unknown>;
    const target = asInteger(body.target_userid);
    if (target === 2 || target === 3)
      return failed(
        "invalid request: can't edit anonymous/locked users",
        'Editing anonymous/locked user accounts not allowed.',
      );
    const userId = asInteger(body.user_id);
    const role = body.user_role;
    const session = this.liveSession(body.session_token);
    const sessionUser = session === undefined ? undefined : this.users.get(session.user_id);
    const sessionOk =
      sessionUser !== undefined &&
      sessionUser.is_active &&
      sessionUser.user_id === userId &&
      sessionUser.user_role === role;
    const keys = Object.keys(update);
    if (target === userId && (role === 'authenticated' || role === 'staff')) {
      if (!sessionOk)
        return {
          success: false,
          failure_reason: 'no valid session found for originating user_id',
          user_info: null,
          messages: ['User session info not available for this user edit attempt.'],
        };
      if (keys.some((key) => key !== 'full_name' && key !== 'email'))
        return failed(
          `role '${role}' can't edit anything other than 'full_name', 'email'`,
          'extra elements in update_dict not allowed',
        );
    } else if (role === 'superuser') {
      if (!sessionOk)
        return failed(
          'invalid session for edit attempt',
          'Superuser session info not available for this user edit attempt.',
        );
      const allowed = ['full_name', 'email', 'is_active', 'user_role', 'email_verified'];
      if (keys.some((key) => !allowed.includes(key)))
        return failed(
          `role: 'superuser' is not allowed to edit items: '[${keys.map((key) => `'${key}'`).join(', ')}]'`,
          'extra elements in update_dict not allowed',
        );
      if ('user_role' in update && !(ROLES as readonly unknown[]).includes(update.user_role))
        return failed(
          'role change requested is not valid',
          'unknown role change request in update_dict',
        );
    } else {
      return failed(
        'invalid session for edit attempt',
        'user_id or session info not available for this user edit attempt.',
      );
    }
    const row = target === undefined ? undefined : this.users.get(target);
    const clash =
      typeof update.email === 'string' &&
      [...this.users.values()].some((other) => other !== row && other.email === update.email);
    const badFlag = ['is_active', 'email_verified'].some(
      (key) => key in update && typeof update[key] !== 'boolean',
    );
    if (row === undefined || clash || badFlag)
      return failed('exception when trying to update user', 'User update failed.');
    this.touch(row, clone(update));
    return { success: true, user_info: this.userDict(row), messages: ['User update successful.'] };
  }

  private userLock(body: Body): ActionDict {
    const failed = (reason: string, message: string): ActionDict => ({
      success: false,
      user_info: null,
      failure_reason: reason,
      messages: [message],
    });
    if (body.user_role !== 'superuser')
      return failed(
        "user role is not 'superuser', required to toggle locks",
        "You don't have lock/unlock privileges.",
      );
    if (asInteger(body.target_userid) === asInteger(body.user_id))
      return failed(
        "can't toggle a lock state on self",
        "You can't lock/unlock your own user account.",
      );
    if (body.action !== 'lock' && body.action !== 'unlock')
      return failed(
        "action must be one of 'lock', 'unlock'",
        'Unknown action requested for toggle_user_lock.',
      );
    const target = asInteger(body.target_userid);
    if (target === 2 || target === 3)
      return failed(
        "can't toggle lock state for system anonymous/locked accounts",
        'Editing anonymous/locked user accounts not allowed.',
      );
    const session = this.liveSession(body.session_token);
    const user = session === undefined ? undefined : this.users.get(session.user_id);
    if (
      user === undefined ||
      !user.is_active ||
      user.user_id !== asInteger(body.user_id) ||
      user.user_role !== body.user_role
    )
      return failed(
        'invalid session for user attempting lock toggle',
        'Superuser session info not available for this user edit attempt.',
      );
    return this.internalUserLock(body);
  }

  private userSetEmailverified(body: Body): ActionDict {
    const user = this.userByEmail(body.email);
    if (user === undefined)
      return {
        success: false,
        failure_reason: 'could not find user in DB by email',
        user_id: null,
        is_active: false,
        user_role: 'locked',
        messages: ['Email verification toggle request failed.'],
      };
    if (user.extra_info === null) throw new PythonError("AttributeError: 'NoneType' has no get");
    const previous = Array.isArray(user.extra_info.previous_user_roles)
      ? (user.extra_info.previous_user_roles as unknown[])
      : ['locked'];
    const role =
      user.user_role !== 'locked'
        ? user.user_role
        : previous.at(-1) !== 'locked'
          ? String(previous.at(-1))
          : 'authenticated';
    if (!user.is_active)
      this.touch(user, { is_active: true, email_verified: true, user_role: role });
    return {
      success: true,
      user_id: user.user_id,
      is_active: user.is_active,
      user_role: user.user_role,
      messages: ['Email verification toggle request succeeded.'],
    };
  }

  private userSetEmailsent(body: Body): ActionDict {
    const column =
      body.email_type === 'signup'
        ? 'emailverify_sent_datetime'
        : body.email_type === 'forgotpass'
          ? 'emailforgotpass_sent_datetime'
          : undefined;
    if (column === undefined)
      return {
        success: false,
        failure_reason: 'invalid request: invalid email_type requested',
        messages: ['Invalid email sent notification request.'],
      };
    const user = this.userByEmail(body.email);
    // The server's log line for this failure reads the missing row and raises (HTTP 400).
    if (user === undefined)
      throw new PythonError("AttributeError: 'NoneType' object has no attribute 'user_id'");
    this.touch(user, { [column]: this.now() });
    const at = (micros: Micros | null): string | null =>
      micros === null ? null : isoformat(micros);
    return {
      success: true,
      email: user.email,
      emailverify_sent_datetime: at(user.emailverify_sent_datetime),
      emailforgotpass_sent_datetime: at(user.emailforgotpass_sent_datetime),
      user_id: user.user_id,
      is_active: user.is_active,
      user_role: user.user_role,
      messages: ['Email sent notification request succeeded.'],
    };
  }

  /** At the server's git HEAD the schema and the action disagree, so this request cannot succeed. */
  private userSendemailSignup(body: Body): ActionDict {
    if (!('account_verify_url' in body))
      return {
        success: false,
        failure_reason: "invalid request: missing 'account_verify_url' in request",
        user_id: null,
        email_address: null,
        emailverify_sent_datetime: null,
        messages: ['Invalid verify email request.'],
      };
    throw new PythonError(
      "TypeError: string indices must be integers (created_info['send_verification'])",
    );
  }

  /** The schema types `email_address` as int, so no user can match it. */
  private userSendemailForgotpass(): ActionDict {
    return {
      success: false,
      failure_reason: 'invalid user for forgot-pass email request',
      user_id: null,
      email_address: null,
      emailforgotpass_sent_datetime: null,
      messages: ['Invalid password reset email request.'],
    };
  }

  // ---- API keys ------------------------------------------------------------------------------------------

  private newKey(
    body: Body,
    expires: Micros,
    issued: Micros,
    extra: Partial<KeyRow>,
    claims: Record<string, unknown>,
  ): {
    row: KeyRow;
    json: string;
  } {
    const token = tokenUrlsafe(32);
    const nbf = addSeconds(issued, Number(body.not_valid_before));
    const payload: Record<string, unknown> = {
      iss: body.issuer,
      ver: body.apiversion,
      uid: body.user_id,
      rol: body.user_role,
      ...claims,
      aud: body.audience,
      sub: body.subject,
      ipa: body.ip_address,
      tkn: token,
      iat: isoformat(issued),
      nbf: isoformat(nbf),
      exp: isoformat(expires),
    };
    const userId = asInteger(body.user_id);
    if (userId === undefined) throw new PythonError('IntegrityError: user_id');
    const row: KeyRow = {
      token,
      issued,
      expires,
      nbf,
      user_id: userId,
      user_role: String(body.user_role),
      ...extra,
    };
    return { row, json: pyJsonDumps(payload) };
  }

  /**
   * The permission check every API key action starts with: the caller's user and role against the key's owner.
   * Returns the refusal to send back when it fails, with the action's own reason and message.
   */
  private apikeyDenied(
    body: Body,
    action: 'create' | 'view' | 'delete',
    owner: unknown,
    reason: string,
    message: string,
  ): ActionDict | undefined {
    const allowed = this.accessCheck(
      body.user_id,
      body.user_role,
      action,
      'apikey',
      owner,
      'private',
      null,
    );
    return allowed.success
      ? undefined
      : { success: false, failure_reason: reason, messages: [message] };
  }

  private apikeyNew(body: Body): ActionDict {
    const denied = this.apikeyDenied(
      body,
      'create',
      body.user_id,
      'user not allowed to issue API key',
      'API key issuance failed. You are not allowed to issue an API key.',
    );
    if (denied !== undefined) return denied;
    const refused = (message: string): ActionDict => ({
      success: false,
      apikey: null,
      expires: null,
      failure_reason: 'invalid session for user requesting API key issuance',
      messages: [message],
    });
    const session = this.liveSession(body.session_token);
    if (session === undefined)
      return refused('Invalid session token for API key issuance request.');
    const user = this.users.get(session.user_id) as UserRow;
    if (
      session.user_id !== asInteger(body.user_id) ||
      session.ip_address !== body.ip_address ||
      session.user_agent !== body.user_agent ||
      user.user_role !== body.user_role
    )
      return refused(
        'DB session user_id, ip_address, user_agent, user_role does not match provided session info.',
      );
    const issued = this.now();
    const expires = addSeconds(issued, 0, Number(body.expires_days));
    const { row, json } = this.newKey(
      body,
      expires,
      issued,
      { session_token: session.session_token },
      {
        usa: body.user_agent,
      },
    );
    this.keys.set(row.token, row);
    return {
      success: true,
      apikey: json,
      expires: isoformat(expires),
      messages: [`API key generated successfully, expires: ${isoformat(expires)}.`],
    };
  }

  private apikeyNewNosession(body: Body): ActionDict {
    const denied = this.apikeyDenied(
      body,
      'create',
      body.user_id,
      'originating user is not allowed to issue an API key',
      'API key issuance failed. You are not allowed to issue an API key.',
    );
    if (denied !== undefined) return denied;
    const issued = this.now();
    const expires = addSeconds(issued, Number(body.expires_seconds));
    const refreshToken = tokenUrlsafe(32);
    const refresh = {
      hash: hashSecret(refreshToken),
      issued,
      expires: addSeconds(issued, Number(body.refresh_expires)),
      nbf: addSeconds(issued, Number(body.refresh_nbf)),
    };
    const { row, json } = this.newKey(body, expires, issued, { refresh }, {});
    this.noSessionKeys.set(row.token, row);
    return {
      success: true,
      apikey: json,
      expires: isoformat(expires),
      refresh_token: refreshToken,
      refresh_token_expires: isoformat(refresh.expires),
      messages: [`API key generated successfully, expires: ${isoformat(expires)}.`],
    };
  }

  /** The stored key an `apikey_dict` names (token, user id and role must all match). */
  private storedKey(store: Map<string, KeyRow>, dict: unknown): KeyRow | undefined {
    const token = need(dict, 'tkn');
    const uid = need(dict, 'uid');
    const role = need(dict, 'rol');
    const row = typeof token === 'string' ? store.get(token) : undefined;
    return row !== undefined && row.user_id === asInteger(uid) && row.user_role === role
      ? row
      : undefined;
  }

  private apikeyVerify(body: Body, store: Map<string, KeyRow>, verified: string): ActionDict {
    const dict = body.apikey_dict;
    const denied = this.apikeyDenied(
      body,
      'view',
      need(dict, 'uid'),
      'originating user is not allowed to operate on this API key',
      'API key verification failed. You are not allowed to operate on this API key.',
    );
    if (denied !== undefined) return denied;
    const now = this.now();
    const row = this.storedKey(store, dict);
    if (row === undefined || row.expires <= now || row.issued >= now || row.nbf >= now)
      return {
        success: false,
        failure_reason:
          'key validation failed, provided key does not match stored key or has expired',
        messages: ['API key could not be verified.'],
      };
    return { success: true, messages: [`${verified} Expires: ${isoformat(row.expires)}.`] };
  }

  private apikeyRevoke(body: Body, store: Map<string, KeyRow>): ActionDict {
    const dict = body.apikey_dict;
    const denied = this.apikeyDenied(
      body,
      'delete',
      need(dict, 'uid'),
      'originating user is not allowed to operate on this API key',
      'API key revocation failed. You are not allowed to operate on this API key.',
    );
    if (denied !== undefined) return denied;
    const row = this.storedKey(store, dict);
    if (row !== undefined) store.delete(row.token);
    return { success: row !== undefined, messages: ['API key revocation processed.'] };
  }

  private apikeyRevokeall(body: Body): ActionDict {
    const dict = body.apikey_dict;
    const denied = this.apikeyDenied(
      body,
      'delete',
      need(dict, 'uid'),
      'originating user is not allowed to delete API keys',
      'All API keys revocation failed. You are not allowed to delete API keys.',
    );
    if (denied !== undefined) return denied;
    if (!this.apikeyVerify(body, this.noSessionKeys, '').success)
      return {
        success: false,
        failure_reason:
          'provided API key is invalid, revoke-all operation requires a valid key to start with',
        messages: ['All API keys revocation failed. The API key presented is invalid.'],
      };
    const uid = asInteger(need(dict, 'uid'));
    const role = need(dict, 'rol');
    let revoked = 0;
    for (const [token, row] of this.noSessionKeys) {
      if (row.user_id !== uid || row.user_role !== role) continue;
      this.noSessionKeys.delete(token);
      revoked++;
    }
    return {
      success: true,
      revoked_keys: revoked,
      messages: ['All API keys revocation processed.'],
    };
  }

  private apikeyRefresh(body: Body): ActionDict {
    const dict = body.apikey_dict as Record<string, unknown>;
    const failed = (reason: string, message: string): ActionDict => ({
      success: false,
      failure_reason: reason,
      messages: [message],
    });
    const now = this.now();
    const row = this.storedKey(this.noSessionKeys, dict);
    const refresh = row?.refresh;
    if (
      refresh === undefined ||
      refresh.expires <= now ||
      refresh.nbf >= now ||
      refresh.issued >= now
    )
      return failed(
        'provided API key has no stored refresh token, probably invalid',
        'API key refresh failed. The API key presented does not have a valid refresh token. You may need to login again to generate a new API key.',
      );
    if (!verifySecret(refresh.hash, String(body.refresh_token)))
      return failed(
        'provided refresh token does not match stored refresh token',
        'API key refresh failed. The API key presented does not have a valid refresh token. You may need to login again to generate a new API key.',
      );
    const stale =
      'API key refresh failed. The API key presented does not have a valid refresh token.You may need to login again to generate a new API key.';
    if (!this.apikeyRevoke(body, this.noSessionKeys).success)
      return failed('user from provided API key not allowed to revoke old key', stale);
    const fresh = this.apikeyNewNosession({
      issuer: dict.iss,
      apiversion: dict.ver,
      user_id: body.user_id,
      user_role: body.user_role,
      audience: dict.aud,
      subject: dict.sub,
      ip_address: body.ip_address,
      expires_seconds: body.expires_seconds,
      not_valid_before: body.not_valid_before,
      refresh_expires: body.refresh_expires,
      refresh_nbf: body.refresh_nbf,
    });
    if (!fresh.success)
      return failed('user from provided API key not allowed to issue new key', stale);
    return fresh;
  }

  // ---- access --------------------------------------------------------------------------------------------

  private userCheckAccess(body: Body): ActionDict {
    return this.accessCheck(
      body.user_id,
      body.user_role,
      body.action,
      body.target_name,
      body.target_owner,
      body.target_visibility,
      body.target_sharedwith,
    );
  }

  private userCheckLimit(body: Body): ActionDict {
    if (pyInt(body.user_id) === undefined) throw new PythonError('ValueError: int()');
    let passed: boolean;
    try {
      passed = checkRoleLimit(String(body.user_role), String(body.limit_name), body.value_to_check);
    } catch (error) {
      if (!(error instanceof UnknownRoleError)) throw error;
      return {
        success: false,
        failure_reason: 'exception when checking the DB',
        messages: ['Could not validate limit rule for the requested item.'],
      };
    }
    const user = this.users.get(pyInt(body.user_id) as number);
    if (user?.user_role !== String(body.user_role) || !user.is_active)
      return {
        success: false,
        failure_reason: 'user attempting access not found',
        messages: ['Limit check successful. Limit check passed: False.'],
      };
    const reply: ActionDict = {
      success: passed,
      messages: [`Limit check successful. Limit check passed: ${bool(passed)}.`],
    };
    if (!passed) reply.failure_reason = 'user is over limit';
    return reply;
  }

  // ---- internal ------------------------------------------------------------------------------------------

  private internalUserLock(body: Body): ActionDict {
    if (body.action !== 'lock' && body.action !== 'unlock')
      return {
        success: false,
        user_info: null,
        failure_reason: "action must be either 'lock' or 'unlock'",
        messages: ['Unknown action requested for toggle_user_lock.'],
      };
    const target = asInteger(body.target_userid);
    if (target === 2 || target === 3)
      return {
        success: false,
        user_info: null,
        failure_reason: "can't edit anonymous/locked users",
        messages: ['Editing anonymous/locked user accounts not allowed.'],
      };
    return this.toggleLock(body.target_userid, body.action);
  }

  private internalUserDelete(body: Body): ActionDict {
    const target = asInteger(body.target_userid);
    if (target !== undefined) this.deleteUserRow(target);
    return {
      success: true,
      user_id: body.target_userid,
      messages: ['User successfully deleted from DB.'],
    };
  }

  private internalUserEdit(body: Body): ActionDict {
    const update = body.update_dict as Record<string, unknown>;
    if (Object.keys(update).length === 0)
      return {
        success: false,
        failure_reason: "invalid request: missing 'update_dict' in request",
        messages: ['Invalid user-edit request: missing or invalid parameters.'],
      };
    const disallowed = [
      'user_id',
      'system_id',
      'password',
      'emailverify_sent_datetime',
      'emailforgotpass_sent_datetime',
      'emailchangepass_sent_datetime',
      'last_login_success',
      'last_login_try',
      'failed_login_tries',
      'created_on',
      'last_updated',
    ].filter((key) => key in update);
    if (disallowed.length > 0)
      return {
        success: false,
        failure_reason: `invalid request: disallowed keys in update_dict: {${disallowed.map((key) => `'${key}'`).join(', ')}}`,
        messages: ['Invalid edit-user request: invalid update parameters.'],
      };
    const row = this.userById(body.target_userid);
    if (row === undefined)
      return {
        success: false,
        failure_reason: 'no such user',
        messages: ['User info update failed.'],
      };
    const changes = clone(update);
    const dbError: ActionDict = {
      success: false,
      failure_reason: 'DB error when updating user info',
      messages: ['User info update failed.'],
    };
    if (changes.extra_info !== undefined && changes.extra_info !== null) {
      if (typeof changes.extra_info !== 'object' || Array.isArray(changes.extra_info))
        return dbError;
      changes.extra_info = mergeUpdate(
        row.extra_info,
        changes.extra_info as Record<string, unknown>,
      );
    } else changes.extra_info = row.extra_info;
    const columns = new Set(Object.keys(row));
    const clash =
      typeof changes.email === 'string' &&
      [...this.users.values()].some((other) => other !== row && other.email === changes.email);
    if (Object.keys(changes).some((key) => !columns.has(key)) || clash) return dbError;
    this.touch(row, changes);
    return {
      success: true,
      user_info: this.userDict(row),
      messages: ['User-info update successful.'],
    };
  }

  private internalSessionEdit(body: Body): ActionDict {
    const update = body.update_dict as Record<string, unknown>;
    if (Object.keys(update).length === 0)
      return {
        success: false,
        failure_reason: "invalid request: missing 'update_dict' in request",
        session_info: null,
        messages: ['Invalid session edit request: missing or invalid parameters.'],
      };
    const session =
      typeof body.target_session_token === 'string'
        ? this.sessions.get(body.target_session_token)
        : undefined;
    if (session === undefined || session.expires <= this.now())
      return {
        success: false,
        failure_reason: 'no such session',
        session_info: null,
        messages: ['Session extra_info update failed.'],
      };
    const stored = session.extra_info_json;
    // A stored value that is not a dict fails the merge, and the server's log line for that fails too (HTTP 400).
    if (truthy(stored) && (typeof stored !== 'object' || Array.isArray(stored)))
      throw new PythonError("KeyError: 'target_userid'");
    const merged = mergeUpdate(
      truthy(stored) ? (stored as Record<string, unknown>) : null,
      clone(update),
    );
    session.extra_info_json = merged;
    return {
      success: true,
      session_info: {
        user_id: session.user_id,
        session_token: session.session_token,
        ip_address: session.ip_address,
        user_agent: session.user_agent,
        created: isoformat(session.created),
        expires: isoformat(session.expires),
        extra_info_json: clone(merged),
      },
      messages: ['Session extra_info update successful.'],
    };
  }
}
