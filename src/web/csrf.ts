/**
 * CSRF protection by origin: an unsafe request (anything but GET, HEAD, OPTIONS) that carries the session
 * cookie must come from the app's own origin, as its `Origin` header says, or its `Referer` when `Origin` is
 * absent. Requests with neither are refused unless the app allows them. API-key requests never reach here.
 */
import { optionError } from './option-keys.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a method only reads (so the CSRF rule does not apply). */
export function isSafeMethod(method: string): boolean {
  return SAFE.has(method.toUpperCase());
}

/**
 * The origin (`scheme://host[:port]`, lower case) of an absolute URL, or `''` when it has none. Default ports are
 * dropped, as browsers do in `Origin`.
 */
export function originOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme <= 0) return '';
  let end = url.indexOf('/', scheme + 3);
  if (end < 0) end = url.length;
  for (const c of ['?', '#']) {
    const i = url.indexOf(c, scheme + 3);
    if (i >= 0 && i < end) end = i;
  }
  let origin = url.slice(0, end).toLowerCase();
  if (origin.includes('@')) return ''; // credentials in a URL: not an origin we compare
  if (origin.startsWith('https://') && origin.endsWith(':443')) origin = origin.slice(0, -4);
  else if (origin.startsWith('http://') && origin.endsWith(':80')) origin = origin.slice(0, -3);
  return origin;
}

/** An origin given in options, normalised (`scheme://host[:port]`, lower case), or null when it is not one. */
export function normalizeOrigin(text: string): string | null {
  const origin = originOf(text);
  const plain = text
    .toLowerCase()
    .replace(/\/$/, '')
    .replace(/:(443|80)$/, '');
  return origin === '' || origin !== plain ? null : origin;
}

/** The origin check of an app. */
export class OriginCheck {
  readonly #trusted: ReadonlySet<string>;
  readonly #allowMissing: boolean;

  /** @throws {ConfigError} when a trusted origin is not `scheme://host[:port]`. */
  constructor(trustedOrigins: readonly string[], allowMissing: boolean) {
    this.#trusted = new Set(
      trustedOrigins.map((o, i) => {
        const origin = normalizeOrigin(o);
        if (origin === null)
          throw optionError(`csrf.trustedOrigins[${i}]`, 'must be scheme://host[:port]');
        return origin;
      }),
    );
    this.#allowMissing = allowMissing;
  }

  /** Whether the request's `Origin` (or `Referer`) is one of the app's origins or a trusted one. */
  allows(headers: { get(name: string): string | null }, appOrigins: readonly string[]): boolean {
    return this.refusal(headers, appOrigins) === null;
  }

  /**
   * Null when the request's `Origin` (or `Referer`) is one of the app's origins or a trusted one; else what the
   * request showed, for the log: the `Origin` seen, the origin of the `Referer` (never its path or query, which
   * may carry a token), or that neither was sent. Header text is quoted and cut to 100 characters.
   */
  refusal(
    headers: { get(name: string): string | null },
    appOrigins: readonly string[],
  ): string | null {
    const origin = headers.get('origin');
    let claimed: string;
    let seen: string;
    if (origin !== null) {
      seen = `Origin ${quote(origin)}`;
      if (origin === 'null') return seen; // sandboxed frames, file: pages, some redirects
      claimed = originOf(origin.trim());
    } else {
      const referer = headers.get('referer');
      if (referer === null || referer === '') {
        return this.#allowMissing
          ? null
          : 'neither Origin nor Referer (csrf.allowMissingOrigin is off)';
      }
      claimed = originOf(referer.trim());
      seen =
        claimed === ''
          ? 'a Referer that is not an absolute URL'
          : `a Referer from ${quote(claimed)}`;
    }
    if (claimed === '') return seen;
    return appOrigins.includes(claimed) || this.#trusted.has(claimed) ? null : seen;
  }

  /** The trusted origins besides the app's own, for the log. */
  get trusted(): readonly string[] {
    return [...this.#trusted];
  }
}

/** Header text for a log line: JSON-quoted (control characters escaped), at most 100 characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

/** A request URL's path for a log line: no query or fragment, control characters escaped, cut to 200. */
export function pathForLog(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  let path = start < 0 ? '/' : url.slice(start);
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  if (path.length > 200) path = `${path.slice(0, 200)}…`;
  return JSON.stringify(path).slice(1, -1);
}
