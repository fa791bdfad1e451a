/**
 * Session data: the app's keys in a session's `extra_info_json` (those not starting with `az_`, which are the
 * SDK's), read with the session as `context.data` and changed with `context.setData(patch)` through
 * `internal-session-edit`, which merges flat keys (the value `"__delete__"` removes a key that is there). A patch
 * is checked whole before anything is sent: JSON values only, no `az_` key, and the data it leaves under
 * `sessions.maxDataBytes`. The auth server stores it in clear: never the place for secrets.
 */
import type { EditedSessionInfo } from '../../generated/types.js';
import type { WebCore } from './core.js';
import { failure, invalidInput, refuse, succeed } from './failure.js';
import { SDK_PREFIX } from './lifetime-settings.js';
import type { RequestState } from './state.js';
import type { ActionResult, AuthFailure } from './types.js';

/** The server's marker that removes a key; never an app's value. */
const DELETE = '__delete__';

/** How deep a value may nest. */
const MAX_DEPTH = 16;

/** The session's `extra_info_json` as this request last wrote it, for the token it wrote it to. */
const written = new WeakMap<RequestState, { token: string; extra: Record<string, unknown> }>();

/** The request's session's `extra_info_json` (empty without one), with what this request wrote since. */
export function extraOf(state: RequestState): Readonly<Record<string, unknown>> {
  const own = written.get(state);
  if (own !== undefined && own.token === state.token) return own.extra;
  return state.info?.extra_info_json ?? {};
}

/** Keeps what the server answered after a write to the request's session. */
export function keepExtra(
  state: RequestState,
  token: string,
  extra: Record<string, unknown>,
): void {
  written.set(state, { token, extra });
}

/** Whether a key is the SDK's. */
const isSdkKey = (key: string): boolean => key.toLowerCase().startsWith(SDK_PREFIX);

/** The app's keys of an `extra_info_json` (a left-over delete marker counts as absent). */
function appKeys(extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (!isSdkKey(key) && value !== DELETE) data[key] = value;
  }
  return data;
}

/** A deep-frozen copy. */
function frozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const copy = (
    Array.isArray(value)
      ? value.map(frozen)
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozen(v)]))
  ) as T;
  return Object.freeze(copy);
}

/** `context.data`: the app's keys of the session, read-only. */
export function sessionData(state: RequestState): Readonly<Record<string, unknown>> {
  if (state.apiKey !== null) return Object.freeze({});
  return frozen(appKeys(extraOf(state)));
}

/** Why a value is not JSON, or null when it is. */
function notJson(value: unknown, depth: number): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : 'a number that is not finite';
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH}`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const why = notJson(item, depth + 1);
      if (why !== null) return why;
    }
    return null;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return 'an object that is not plain';
    for (const item of Object.values(value)) {
      const why = notJson(item, depth + 1);
      if (why !== null) return why;
    }
    return null;
  }
  return `a ${typeof value}`;
}

/** The problem with one key of a patch, or null. */
function badEntry(key: string, value: unknown): AuthFailure | null {
  if (key === '') return invalidInput('data keys must not be empty');
  if (isSdkKey(key)) return invalidInput(`data key "${key.slice(0, 40)}": az_ keys are the SDK's`);
  if (value === undefined)
    return invalidInput(`data key "${key.slice(0, 40)}" is undefined (use null to remove a key)`);
  if (value === DELETE)
    return invalidInput(`data key "${key.slice(0, 40)}": "${DELETE}" is reserved`);
  const why = notJson(value, 1);
  return why === null ? null : invalidInput(`data key "${key.slice(0, 40)}" is ${why}, not JSON`);
}

/** The UTF-8 size of a value as JSON. */
const jsonBytes = (value: unknown): number =>
  new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * `context.setData(patch)`: checks the whole patch, then merges it into the session with one
 * `internal-session-edit` (nothing is sent when it changes nothing). Gives the data as the server keeps it.
 */
export async function setData(
  core: WebCore,
  state: RequestState,
  patch: unknown,
): Promise<ActionResult<Readonly<Record<string, unknown>>>> {
  const token = state.token;
  if (token === null || state.apiKey !== null) {
    return refuse(invalidInput('there is no session to keep data in (log in, or ensureSession())'));
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return refuse(invalidInput('data must be an object'));
  }
  const entries = Object.entries(patch);
  for (const [key, value] of entries) {
    const bad = badEntry(key, value);
    if (bad !== null) return refuse(bad);
  }
  const current = extraOf(state);
  const next = new Map(Object.entries(appKeys(current)));
  const update: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (value === null) {
      // The server removes only a key that is there (a marker for an absent one would be stored).
      if (Object.hasOwn(current, key)) update[key] = DELETE;
      next.delete(key);
    } else {
      update[key] = value;
      next.set(key, value);
    }
  }
  const size = jsonBytes(Object.fromEntries(next));
  const max = core.settings.lifetime.maxDataBytes;
  if (size > max) {
    return refuse(
      invalidInput(
        `session data would be ${size} bytes, over the limit of ${max} (sessions.maxDataBytes)`,
      ),
    );
  }
  if (Object.keys(update).length === 0) return succeed(frozen(Object.fromEntries(next)));
  const edited = await core.call<{ session_info: EditedSessionInfo }>('internal-session-edit', () =>
    core.settings.client.internalSessionEdit({
      target_session_token: token,
      update_dict: update,
      client_ipaddr: state.clientIp,
    }),
  );
  await core.sessionEnded(token); // changed: every instance reads the new data next
  if (!edited.ok) return refuse(edited.rejected ? failure('unauthenticated') : edited.failure);
  const extra = edited.value.session_info.extra_info_json;
  keepExtra(state, token, extra);
  return succeed(frozen(appKeys(extra)));
}
