/**
 * The caching rule of answers that depend on who is asking: so that no CDN or shared cache serves one user's page
 * to another, every answer carries `Vary: Cookie` (and `Authorization` when the app takes API keys), and an answer
 * that is personal (the request had a session, a session cookie or an API key, or the answer sets a cookie) also
 * carries `Cache-Control: private, no-store`, unless the app set a `Cache-Control` of its own on it. Every adapter
 * applies it; `applyCachePolicy` is for a framework whose headers the adapters do not reach.
 */
import type { AuthContext } from './types.js';

/** The `Cache-Control` of a personal answer. */
export const PRIVATE_NO_STORE = 'private, no-store';

/** Headers as the policy reads and writes them: a `Headers`, or a wrapper of a framework's response. */
export interface HeaderAccess {
  get(name: string): string | null | undefined;
  set(name: string, value: string): void;
}

/** A `Vary` value with each of `names` in it (`*` already varies on everything). */
export function varyWith(current: string | null | undefined, names: readonly string[]): string {
  const present = (current ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (present.includes('*')) return present.join(', ');
  const lower = new Set(present.map((part) => part.toLowerCase()));
  for (const name of names) {
    if (!lower.has(name.toLowerCase())) {
      present.push(name);
      lower.add(name.toLowerCase());
    }
  }
  return present.join(', ');
}

/**
 * Applies the caching rule of `context`'s request to an answer's headers: `Vary` gains `Cookie` (and
 * `Authorization` when the request used an API key or the app takes them), and a personal answer without its own
 * `Cache-Control` gets `private, no-store`. Call it again after a log-in or log-out set a cookie: it is
 * idempotent.
 */
export function applyCachePolicy(context: AuthContext, headers: HeaderAccess): void {
  const names = context.varyOn;
  const vary = headers.get('vary') ?? null;
  const next = varyWith(vary, names);
  if (next !== vary) headers.set('vary', next);
  if (!context.personal) return;
  const current = headers.get('cache-control');
  if (current === null || current === undefined || current === '') {
    headers.set('cache-control', PRIVATE_NO_STORE);
  }
}
