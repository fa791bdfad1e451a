/**
 * The request windows of `limitRequests`: how many requests each user made in the current window, in this
 * process. A window starts with a user's first request after the last one ended.
 */

/** Beyond this many windows, expired ones are dropped when a new one starts. */
const MAX_WINDOWS = 100_000;

/** Requests per user in the current window, for `limitRequests`. */
export class RequestWindows {
  readonly #windows = new Map<string, { start: number; count: number; ms: number }>();

  /** Counts one request of a user in the current window, and gives the count and the seconds left. */
  count(userId: number, windowSeconds: number, now: number): { count: number; left: number } {
    const key = `${userId}:${windowSeconds}`;
    const ms = windowSeconds * 1000;
    let w = this.#windows.get(key);
    if (w === undefined || now - w.start >= ms) {
      w = { start: now, count: 0, ms };
      this.#windows.set(key, w);
      if (this.#windows.size > MAX_WINDOWS) this.#prune(now);
    }
    w.count += 1;
    return { count: w.count, left: Math.max(1, Math.ceil((w.start + ms - now) / 1000)) };
  }

  #prune(now: number): void {
    for (const [key, w] of this.#windows) if (now - w.start >= w.ms) this.#windows.delete(key);
  }
}
