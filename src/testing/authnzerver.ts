/**
 * An authnzerver in memory: users, sessions, API keys and access checks with the real server's rules, reply
 * shapes, success values and user-facing messages, for tests and demos without the Python server. It answers
 * the 36 request types that can succeed on the real server (the two `user-sendemail-*` types answer as the real
 * server does at its git HEAD, where neither can succeed). It does not send email, keep data on disk, check
 * passwords against haveibeenpwned.com, or consult the real server's large lists of common passwords and
 * throw-away email domains (it has short lists of its own).
 *
 * This file is the facade: the public class and its types, and the table from request type to action. The
 * store (tables, clock, shared look-ups) and one module per group of the server's actions, mirroring the
 * server's `actions/` folder, are in `./authnzerver/`, with every user-facing message in
 * `./authnzerver/messages.ts`.
 */
import type { UserInfo } from '../../generated/types.js';
import { userCheckAccess, userCheckLimit } from './authnzerver/access.js';
import { checkKeys, optionShape } from '../core/options.js';
import {
  userEdit,
  userList,
  userLock,
  userLookupEmail,
  userLookupMatch,
} from './authnzerver/admin.js';
import { apikeyNew, apikeyRevoke, apikeyVerify } from './authnzerver/apikeys.js';
import {
  apikeyNewNosession,
  apikeyRefreshNosession,
  apikeyRevokeallNosession,
  apikeyRevokeNosession,
  apikeyVerifyNosession,
} from './authnzerver/apikeys-nosession.js';
import {
  internalSessionEdit,
  internalUserDelete,
  internalUserEdit,
  internalUserLock,
  lockOutUser,
  runDueUnlocks,
} from './authnzerver/internal.js';
import {
  userChangepass,
  userChangepassNosession,
  userLogin,
  userLogout,
  userPasscheck,
  userPasscheckNosession,
  userResetpass,
  userResetpassNosession,
  userValidatepass,
} from './authnzerver/login.js';
import {
  sessionDelete,
  sessionDeleteUserid,
  sessionExists,
  sessionNew,
} from './authnzerver/sessions.js';
import type { ActionDict, Body } from './authnzerver/replies.js';
import { sessionDetails, Store, type Action, type KeyRow } from './authnzerver/store.js';
import {
  userDelete,
  userNew,
  userSendemailForgotpass,
  userSendemailSignup,
  userSetEmailsent,
  userSetEmailverified,
} from './authnzerver/users.js';
import type { Role } from './permissions.js';
import { isoformat, PythonError, tokenUrlsafe } from './py.js';

export type { ActionDict } from './authnzerver/replies.js';

/** Options of {@link InMemoryAuthnzerver}. */
export interface InMemoryAuthnzerverOptions {
  /**
   * The superuser (user 1), as the real server's `AUTHNZERVER_ADMIN_EMAIL` and `AUTHNZERVER_ADMIN_PASSWORD` make it.
   * @default `admin@localhost` and a random password (read it from `authnzerver.admin`)
   */
  readonly admin?:
    { readonly email?: string | undefined; readonly password?: string | undefined } | undefined;
  /** The server's host name, which a new password must not resemble (the real server's FQDN). @default 'localhost' */
  readonly serverName?: string | undefined;
  /** The clock, in milliseconds since the epoch (fractions count). @default the system clock, to the microsecond */
  readonly now?: (() => number) | undefined;
}

/** A user to add directly with {@link InMemoryAuthnzerver.addUser}, verified and active unless said otherwise. */
export interface NewUser {
  readonly email: string;
  readonly password: string;
  /** @default the email's local part */
  readonly fullName?: string | undefined;
  /** @default 'authenticated' */
  readonly role?: Role | undefined;
  /** Verified and active, as after `user-set-emailverified`; false makes a fresh sign-up (inactive, locked). @default true */
  readonly verified?: boolean | undefined;
  /** @default a random UUID */
  readonly systemId?: string | undefined;
  readonly extraInfo?: Readonly<Record<string, unknown>> | undefined;
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

/** Each request type the in-memory server answers, with the action that answers it. */
const ACTIONS: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['session-new', sessionNew],
  ['session-exists', sessionExists],
  ['session-delete', sessionDelete],
  ['session-delete-userid', sessionDeleteUserid],
  ['user-login', userLogin],
  ['user-logout', userLogout],
  ['user-passcheck', userPasscheck],
  ['user-passcheck-nosession', userPasscheckNosession],
  ['user-new', userNew],
  ['user-changepass', userChangepass],
  ['user-changepass-nosession', userChangepassNosession],
  ['user-delete', userDelete],
  ['user-list', userList],
  ['user-lookup-email', userLookupEmail],
  ['user-lookup-match', userLookupMatch],
  ['user-edit', userEdit],
  ['user-resetpass', userResetpass],
  ['user-resetpass-nosession', userResetpassNosession],
  ['user-lock', userLock],
  ['user-validatepass', userValidatepass],
  ['user-sendemail-signup', userSendemailSignup],
  ['user-sendemail-forgotpass', userSendemailForgotpass],
  ['user-set-emailverified', userSetEmailverified],
  ['user-set-emailsent', userSetEmailsent],
  ['apikey-new', apikeyNew],
  ['apikey-verify', apikeyVerify],
  ['apikey-revoke', apikeyRevoke],
  ['apikey-new-nosession', apikeyNewNosession],
  ['apikey-verify-nosession', apikeyVerifyNosession],
  ['apikey-revoke-nosession', apikeyRevokeNosession],
  ['apikey-revokeall-nosession', apikeyRevokeallNosession],
  ['apikey-refresh-nosession', apikeyRefreshNosession],
  ['user-check-access', userCheckAccess],
  ['user-check-limit', userCheckLimit],
  ['internal-user-lock', internalUserLock],
  ['internal-user-delete', internalUserDelete],
  ['internal-user-edit', internalUserEdit],
  ['internal-session-edit', internalSessionEdit],
]);

const systemClock = (): number => performance.timeOrigin + performance.now();

const ADMIN = optionShape<NonNullable<InMemoryAuthnzerverOptions['admin']>>({
  email: true,
  password: true,
});

/** The known keys of {@link InMemoryAuthnzerverOptions} (nested `admin` too). */
export const IN_MEMORY = optionShape<InMemoryAuthnzerverOptions>(
  { admin: true, serverName: true, now: true },
  { admin: ADMIN },
);

/** Refuses `new InMemoryAuthnzerver` options with a key it does not know. */
function checkInMemoryKeys(options: unknown): void {
  checkKeys(options, IN_MEMORY, 'new InMemoryAuthnzerver');
}

/** The in-memory authnzerver behind {@link createTestServer}; read and seed its state through it. */
export class InMemoryAuthnzerver {
  /** The superuser's email address and password (user 1). */
  readonly admin: { readonly email: string; readonly password: string };
  readonly #store: Store;

  constructor(options: InMemoryAuthnzerverOptions = {}) {
    checkInMemoryKeys(options);
    this.admin = {
      email: options.admin?.email ?? 'admin@localhost',
      password: options.admin?.password ?? tokenUrlsafe(16),
    };
    this.#store = new Store({
      clock: options.now ?? systemClock,
      serverName: options.serverName ?? 'localhost',
      admin: this.admin,
    });
  }

  /** Whether the in-memory server answers this request type. */
  implements(type: string): boolean {
    return ACTIONS.has(type);
  }

  /**
   * Runs one request's action on a body that passed the server's parameter check, as the server's action
   * function would, and returns its action dict.
   * @throws {PythonError} (or another error) where the real server fails inside the action; the test server
   *   answers that with HTTP 400, as the real one does.
   */
  handle(type: string, body: Body): ActionDict {
    const action = ACTIONS.get(type);
    if (action === undefined) throw new PythonError(`unknown request type ${JSON.stringify(type)}`);
    runDueUnlocks(this.#store);
    return action(this.#store, body);
  }

  /**
   * Adds a user directly, verified and active by default (as after sign-up and `user-set-emailverified`), so a
   * test can log in at once. The email is stored as given (sign-up would normalize it).
   * @throws {Error} when the email address or system id is taken.
   */
  addUser(user: NewUser): UserInfo {
    const verified = user.verified ?? true;
    const row = this.#store.insertUser({
      email: user.email,
      password: user.password,
      fullName: user.fullName ?? user.email.split('@')[0] ?? user.email,
      role: verified ? (user.role ?? 'authenticated') : 'locked',
      active: verified,
      verified,
      extraInfo: { ...user.extraInfo, provenance: 'test-created', type: 'normal-user' },
      systemId: user.systemId,
      emailverifySent: this.#store.now(),
    });
    return this.#store.userDict(row);
  }

  /** Every user, as `user-list` returns them (ordered by user id). */
  listUsers(): UserInfo[] {
    runDueUnlocks(this.#store);
    return this.#store.sortedUsers().map((row) => this.#store.userDict(row));
  }

  /** One user by id or email address (exact), as `user-list` returns it; undefined when there is none. */
  findUser(idOrEmail: number | string): UserInfo | undefined {
    runDueUnlocks(this.#store);
    const row =
      typeof idOrEmail === 'number'
        ? this.#store.users.get(idOrEmail)
        : this.#store.userByEmail(idOrEmail);
    return row === undefined ? undefined : this.#store.userDict(row);
  }

  /** Every stored session, expired ones included. */
  listSessions(): StoredSession[] {
    return [...this.#store.sessions.values()].map((row) => ({
      session_token: row.session_token,
      user_id: row.user_id,
      ...sessionDetails(row),
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
      ...[...this.#store.keys.values()].map(view('session')),
      ...[...this.#store.noSessionKeys.values()].map(view('nosession')),
    ];
  }

  /**
   * Locks the account with this email after repeated failed log-ins, as the server's lock-out does: role
   * `locked`, inactive, sessions deleted, and an unlock after `unlockAfterSeconds`.
   * @returns whether there was such a user to lock.
   */
  lockOut(email: unknown, unlockAfterSeconds: number): boolean {
    return lockOutUser(this.#store, email, unlockAfterSeconds);
  }
}
