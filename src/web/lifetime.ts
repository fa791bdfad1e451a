/**
 * The session lifetime policy, run on each request with a user session, on the app's clock:
 * - the absolute lifetime is the server's expiry, set when the session is made (`newSession`); nothing extends it,
 *   and a rotated token keeps it;
 * - the idle timeout: "last seen" (`az_seen`) is written through `internal-session-edit` at most every
 *   `touchSeconds`; a session not seen for longer than its idle timeout is refused and deleted;
 * - remember-me (`az_remember`) picks the longer lifetime and idle timeout, and a persistent cookie;
 * - token rotation (optional): past a fraction of the lifetime the session gets a new token with the same expiry
 *   and data; the old one is marked `az_rotated`, works for a short grace (requests in flight), then is refused
 *   and deleted.
 * Settings are in `lifetime-settings.ts`.
 */
import type { EditedSessionInfo } from '../../generated/types.js';
import type { WebCore } from './core.js';
import { parseServerDate, pythonDatetime } from './dates.js';
import { REMEMBER, ROTATED, SEEN } from './lifetime-settings.js';
import { extraOf, keepExtra } from './session-data.js';
import { clearSessionCookie, endSession, newSession, setSessionCookie } from './sessions.js';
import type { RequestState } from './state.js';
import type { AuthFailure } from './types.js';

/** At most this many rotated-out tokens are remembered for deletion (more are refused when they come back). */
const MAX_PENDING = 10_000;
/** At most this many of them are deleted in one request. */
const SWEEP_BATCH = 8;

/** What the policy keeps in one app's process. */
interface LifetimeState {
  /** Tokens whose touch is being written. */
  readonly touching: Set<string>;
  /** Rotations in flight, by old token: concurrent requests share one. */
  readonly rotating: Map<string, Promise<Rotated | null>>;
  /** Rotated-out tokens to delete once their grace is over, with when (epoch ms), in order. */
  readonly pending: Map<string, number>;
}

interface Rotated {
  readonly token: string;
  readonly expires: Date;
}

const states = new WeakMap<WebCore, LifetimeState>();

function stateOf(core: WebCore): LifetimeState {
  let s = states.get(core);
  if (s === undefined) {
    s = { touching: new Set(), rotating: new Map(), pending: new Map() };
    states.set(core, s);
  }
  return s;
}

/** A number of epoch seconds kept in the session, or undefined. */
function epochSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Ends the request's session: deleted on the server, the cookie cleared, the request logged out. */
async function expire(core: WebCore, state: RequestState, token: string): Promise<void> {
  stateOf(core).pending.delete(token);
  await endSession(core, state, token);
  clearSessionCookie(core, state);
  state.drop();
}

/** Deletes the rotated-out tokens whose grace is over (a few per request). */
async function sweep(core: WebCore, state: RequestState): Promise<void> {
  const pending = stateOf(core).pending;
  const now = core.now();
  let n = 0;
  for (const [token, due] of pending) {
    if (due > now || n >= SWEEP_BATCH) break;
    pending.delete(token);
    n += 1;
    await endSession(core, state, token);
  }
}

/** Writes "last seen" now (once at a time per token); the cache entry goes, so the next look-up sees it. */
async function touch(core: WebCore, state: RequestState, token: string): Promise<void> {
  const touching = stateOf(core).touching;
  if (touching.has(token)) return;
  touching.add(token);
  try {
    const edited = await core.call<{ session_info: EditedSessionInfo }>(
      'internal-session-edit',
      () =>
        core.settings.client.internalSessionEdit({
          target_session_token: token,
          update_dict: { [SEEN]: Math.floor(core.now() / 1000) },
          client_ipaddr: state.clientIp,
        }),
    );
    core.cache?.delete(token);
    if (edited.ok) keepExtra(state, token, edited.value.session_info.extra_info_json);
  } finally {
    touching.delete(token);
  }
}

/** A new token for the session: same user, expiry and data; the old one marked and due for deletion. */
async function replace(
  core: WebCore,
  state: RequestState,
  token: string,
  userId: number,
  expiresMs: number,
): Promise<Rotated | null> {
  const { [ROTATED]: _rotated, ...data } = extraOf(state);
  const remember = data[REMEMBER] === true;
  const made = await newSession(core, state, userId, { remember, expiresMs, data });
  if (!made.ok) return null;
  const grace = core.settings.lifetime.graceSeconds;
  const marked = await core.call('internal-session-edit', () =>
    core.settings.client.internalSessionEdit({
      target_session_token: token,
      update_dict: { [ROTATED]: Math.floor(core.now() / 1000) },
      client_ipaddr: state.clientIp,
    }),
  );
  // Other instances must see the mark too, or one of them could rotate the same session again.
  await core.sessionEnded(token);
  if (!marked.ok) {
    // Unmarked, the old token would work until it expires: it ends now, without a grace.
    await endSession(core, state, token);
  } else {
    const pending = stateOf(core).pending;
    if (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next();
      if (oldest.done !== true) pending.delete(oldest.value);
    }
    pending.set(token, core.now() + grace * 1000);
  }
  return { token: made.value.token, expires: made.value.expires };
}

/** Rotates the request's session (sharing a rotation already in flight), sets the new cookie and adopts it. */
async function rotate(core: WebCore, state: RequestState, token: string): Promise<void> {
  const info = state.info;
  if (info === null) return;
  const rotating = stateOf(core).rotating;
  let running = rotating.get(token);
  if (running === undefined) {
    const expiresMs = parseServerDate(info.expires).getTime();
    running = replace(core, state, token, info.user_id, expiresMs).finally(() => {
      rotating.delete(token);
    });
    rotating.set(token, running);
  }
  const rotated = await running;
  if (rotated === null) return;
  const { [ROTATED]: _rotated, ...kept } = extraOf(state);
  const extra: Record<string, unknown> = { ...kept, [SEEN]: Math.floor(core.now() / 1000) };
  await setSessionCookie(core, state, rotated.token, rotated.expires, extra[REMEMBER] === true);
  state.adopt(rotated.token, {
    ...info,
    session_token: rotated.token,
    created: pythonDatetime(core.now()),
    extra_info_json: extra,
  });
}

/** The idle timeout of a session, in seconds, or null for none. */
function idleTimeout(core: WebCore, remembered: boolean): number | null {
  const { idleSeconds, remember } = core.settings.lifetime;
  return remembered && remember !== null ? remember.idleSeconds : idleSeconds;
}

/** Whether a session is due for rotation: past the fraction of its lifetime, and not about to expire anyway. */
function dueForRotation(
  core: WebCore,
  createdMs: number,
  expiresMs: number,
  remembered: boolean,
): boolean {
  const { lifetime, userSeconds } = core.settings;
  const rotation = lifetime.rotation;
  if (rotation === null) return false;
  const lifetimeSeconds =
    remembered && lifetime.remember !== null ? lifetime.remember.seconds : userSeconds;
  const now = core.now();
  return (
    now - createdMs >= rotation.after * lifetimeSeconds * 1000 &&
    expiresMs - now > rotation.graceSeconds * 1000
  );
}

/**
 * Applies the lifetime policy to the request's session, once it is read: an idle session, or a rotated-out token
 * past its grace, is refused (deleted, its cookie cleared, the request logged out); otherwise the session may be
 * rotated or its "last seen" written. With the cache on, a refusal is first checked against a fresh look-up.
 * Gives a failure only when that look-up cannot be made.
 */
export async function enforceLifetime(
  core: WebCore,
  state: RequestState,
  fresh = false,
): Promise<AuthFailure | null> {
  await sweep(core, state);
  const token = state.token;
  const info = state.info;
  if (token === null || info === null || state.session.kind !== 'user') return null;
  const extra = extraOf(state);
  const now = core.now();
  const remembered = extra[REMEMBER] === true;
  const rotatedAt = epochSeconds(extra[ROTATED]);
  // A session without `az_seen` (made before the policy, or by another front end) starts its idle clock now.
  const seen = epochSeconds(extra[SEEN]);
  const idle = idleTimeout(core, remembered);
  const over =
    (rotatedAt !== undefined &&
      now - rotatedAt * 1000 > core.settings.lifetime.graceSeconds * 1000) ||
    (idle !== null && seen !== undefined && now - seen * 1000 > idle * 1000);
  if (over) {
    if (core.cache === null || fresh) {
      await expire(core, state, token);
      return null;
    }
    // A cached answer may be older than another process's touch: ask the server before ending the session.
    core.cache.delete(token);
    const found = await core.lookup(token, state.clientIp);
    if (found.ok) {
      state.adopt(token, found.value);
      return enforceLifetime(core, state, true);
    }
    if (!found.rejected) return found.failure;
    clearSessionCookie(core, state);
    state.drop();
    return null;
  }
  if (rotatedAt !== undefined) return null; // in its grace: served as it is
  const createdMs = parseServerDate(info.created).getTime();
  const expiresMs = parseServerDate(info.expires).getTime();
  if (dueForRotation(core, createdMs, expiresMs, remembered)) {
    await rotate(core, state, token);
    return null;
  }
  // Without an idle timeout, "last seen" decides nothing: it is not written.
  if (
    idle !== null &&
    (seen === undefined || now - seen * 1000 >= core.settings.lifetime.touchSeconds * 1000)
  )
    await touch(core, state, token);
  return null;
}
