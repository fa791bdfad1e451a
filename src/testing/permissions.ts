/**
 * The access rules of authnzerver's default permissions model, re-expressed: which roles exist, what each item
 * type allows, what each role may do with items it owns and with other people's items by visibility, and the
 * per-role limits. `checkItemAccess` and `checkRoleLimit` apply them as the server's permission checks do.
 */

/** The roles of the default model. */
export const ROLES = ['superuser', 'staff', 'authenticated', 'anonymous', 'locked'] as const;
/** A role of the default model. */
export type Role = (typeof ROLES)[number];

type Action = 'list' | 'view' | 'create' | 'delete' | 'edit' | 'change_visibility' | 'change_owner';
type Visibility = 'public' | 'unlisted' | 'private' | 'shared';

const ALL: readonly Action[] = [
  'list',
  'view',
  'create',
  'delete',
  'edit',
  'change_visibility',
  'change_owner',
];
const CONTENT = {
  actions: ALL,
  visibilities: ['public', 'unlisted', 'shared', 'private'],
} as const;

/** Per item type: the actions it supports, the visibilities it may have, and the roles that get nothing. */
const ITEMS: Readonly<
  Record<
    string,
    {
      readonly actions: readonly Action[];
      readonly visibilities: readonly Visibility[];
      readonly deniedRoles: readonly Role[];
    }
  >
> = {
  object: { ...CONTENT, deniedRoles: ['locked'] },
  dataset: { ...CONTENT, deniedRoles: ['locked'] },
  collection: { ...CONTENT, deniedRoles: ['locked'] },
  user: {
    actions: ['list', 'view', 'create', 'edit', 'delete'],
    visibilities: ['private'],
    deniedRoles: ['authenticated', 'anonymous', 'locked'],
  },
  session: {
    actions: ['list', 'view', 'delete'],
    visibilities: ['private'],
    deniedRoles: ['authenticated', 'anonymous', 'locked'],
  },
  apikey: {
    actions: ['list', 'view', 'create', 'delete'],
    visibilities: ['private'],
    deniedRoles: ['anonymous', 'locked'],
  },
  preference: {
    actions: ['list', 'view', 'edit'],
    visibilities: ['private'],
    deniedRoles: ['anonymous', 'locked'],
  },
};

interface RoleRules {
  /** Item types a user of this role may own. */
  readonly owns: readonly string[];
  /** Actions on items the user owns. */
  readonly onOwned: readonly Action[];
  /** Actions on other people's items, by the item's visibility. */
  readonly onOthers: Readonly<Record<Visibility, readonly Action[]>>;
  /** Upper limits (exclusive), by limit name. */
  readonly limits: Readonly<Record<string, number>>;
}

const OWNABLE = ['dataset', 'object', 'collection', 'apikey', 'preference'];
const NOTHING: Readonly<Record<Visibility, readonly Action[]>> = {
  public: [],
  unlisted: [],
  shared: [],
  private: [],
};

const ROLE_RULES: Readonly<Record<Role, RoleRules>> = {
  superuser: {
    owns: OWNABLE,
    onOwned: ALL,
    onOthers: { public: ALL, unlisted: ALL, shared: ALL, private: ALL },
    limits: { max_requests: 5_000_000, max_requests_per_minute: 60_000 },
  },
  staff: {
    owns: OWNABLE,
    onOwned: ALL,
    onOthers: {
      public: ['list', 'view', 'delete', 'edit', 'change_visibility', 'change_owner'],
      unlisted: ['list', 'view', 'delete', 'edit', 'change_visibility', 'change_owner'],
      shared: ['list', 'view', 'edit'],
      private: ['list'],
    },
    limits: { max_requests: 1_000_000, max_requests_per_minute: 60_000 },
  },
  authenticated: {
    owns: ['dataset', 'apikey', 'preference'],
    onOwned: ['list', 'view', 'create', 'delete', 'edit', 'change_visibility'],
    onOthers: {
      public: ['list', 'view'],
      unlisted: ['view'],
      shared: ['list', 'view', 'edit'],
      private: [],
    },
    limits: { max_requests: 500_000, max_requests_per_minute: 6_000 },
  },
  anonymous: {
    owns: ['dataset'],
    onOwned: ['list', 'view', 'create'],
    onOthers: { public: ['list', 'view'], unlisted: ['view'], shared: [], private: [] },
    limits: { max_requests: 100_000, max_requests_per_minute: 600 },
  },
  locked: {
    owns: [],
    onOwned: [],
    onOthers: NOTHING,
    limits: { max_requests: 0, max_requests_per_minute: 0 },
  },
};

/** Thrown for a role the model does not know; the server answers such a check with a failure, not a crash. */
export class UnknownRoleError extends Error {
  override name = 'UnknownRoleError';
}

function rulesOf(role: string): RoleRules {
  if (!(ROLES as readonly string[]).includes(role)) throw new UnknownRoleError(role);
  return ROLE_RULES[role as Role];
}

/** The user ids of a comma-separated shared-with list; empty for '', null or "none". @throws {SyntaxError} */
export function sharedWithIds(sharedWith: unknown): number[] {
  if (typeof sharedWith !== 'string' || sharedWith === '' || sharedWith.toLowerCase() === 'none')
    return [];
  return sharedWith.split(',').map((part) => {
    const text = part.trim();
    if (!/^[+-]?\d+$/.test(text)) throw new SyntaxError(`not a user id: ${JSON.stringify(part)}`);
    return Number(text);
  });
}

/** One access question: may this user do this action to this item? */
export interface AccessQuery {
  readonly userId: number;
  readonly role: string;
  readonly action: string;
  readonly targetName: string;
  readonly targetOwner: number;
  readonly visibility: string;
  readonly sharedWith: unknown;
}

/**
 * Whether the model grants the action: the role's actions for owned or other people's items (by visibility),
 * limited to what the item type supports, and for other people's private or shared items, ownership or
 * sharing (superuser and staff pass that test; sharing with user 2 shares with everyone).
 * @throws {UnknownRoleError} for a role outside the model.
 */
export function checkItemAccess(query: AccessQuery): boolean {
  const rules = rulesOf(query.role);
  let sharedOrOwned: boolean;
  if (query.role === 'superuser' || query.role === 'staff') sharedOrOwned = true;
  else if (query.visibility === 'private') sharedOrOwned = query.userId === query.targetOwner;
  else if (query.visibility === 'shared') {
    try {
      const ids = sharedWithIds(query.sharedWith);
      sharedOrOwned =
        ids.length === 0
          ? query.userId === query.targetOwner
          : ids.includes(query.userId) || query.userId === query.targetOwner || ids.includes(2);
    } catch {
      sharedOrOwned = false;
    }
  } else sharedOrOwned = query.visibility === 'unlisted' || query.visibility === 'public';

  const owned = query.userId === query.targetOwner;
  let permitted: readonly string[] = [];
  if (!owned || rules.owns.includes(query.targetName)) {
    const item = ITEMS[query.targetName];
    const visibility = query.visibility as Visibility;
    if (
      item !== undefined &&
      !item.deniedRoles.includes(query.role as Role) &&
      item.visibilities.includes(visibility)
    ) {
      const allowed = owned ? rules.onOwned : rules.onOthers[visibility];
      permitted = allowed.filter((action) => item.actions.includes(action));
    }
  }
  return permitted.includes(query.action) && sharedOrOwned;
}

/**
 * Whether a value is under the role's limit of that name (limits are exclusive upper bounds; a limit the role
 * does not have always passes; a value that is not a number fails).
 * @throws {UnknownRoleError} for a role outside the model.
 */
export function checkRoleLimit(role: string, limitName: string, value: unknown): boolean {
  const limit = rulesOf(role).limits[limitName];
  if (limit === undefined) return true;
  let number: number;
  if (typeof value === 'number') number = Math.trunc(value);
  else if (typeof value === 'boolean') number = value ? 1 : 0;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) number = Number(value);
  else return false;
  return number < limit;
}
