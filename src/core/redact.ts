/**
 * Redaction of secrets (passwords, session tokens, API keys, refresh tokens) from everything the client logs or
 * hands to a hook. The catalogue names the secret fields of each request type (as dotted paths, `[]` for list
 * items); on top of that, any key whose name says it holds a secret is redacted, which also covers request types
 * that are not in the catalogue.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * How deep {@link redact} looks into objects and lists for secret-named keys. What lies deeper is replaced whole
 * by {@link TOO_DEEP}: a secret must never be logged, and a value that deep is no reply of the server's.
 */
export const MAX_DEPTH = 32;

/** What an object or a list below {@link MAX_DEPTH} is replaced with. */
export const TOO_DEEP = '[redacted: too deep]';

/** Key names that hold secrets whatever the catalogue says. */
const SECRET_KEY =
  /(^|_)(password|passwd|secret|token|apikey|api_key)$|^(apikey_dict|emailpass|tkn)$/i;

/** Whether a key's name says that its value is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

type Path = readonly string[];

function parsePaths(paths: readonly string[]): Path[] {
  return paths.map((path) =>
    path.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part])),
  );
}

function redactAt(value: unknown, path: Path, at: number): unknown {
  if (at >= path.length) return REDACTED;
  const step = path[at] as string;
  if (step === '[]') {
    return Array.isArray(value) ? value.map((item) => redactAt(item, path, at + 1)) : value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !(step in value))
    return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[step] = redactAt(copy[step], path, at + 1);
  return copy;
}

function redactByName(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => redactByName(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && inner !== null && inner !== undefined
        ? REDACTED
        : redactByName(inner, depth + 1);
  }
  return out;
}

/**
 * A copy of `value` with the secret fields at `paths` and every secret-named key replaced by `[redacted]`, and
 * any object or list nested deeper than {@link MAX_DEPTH} by `[redacted: too deep]`. The value itself is never
 * changed. `null` values stay `null` (that a token is absent is not a secret).
 */
export function redact(value: unknown, paths: readonly string[] = []): unknown {
  let out = value;
  for (const path of parsePaths(paths)) out = redactAt(out, path, 0);
  return redactByName(out, 0);
}
