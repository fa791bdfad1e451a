/**
 * The one check of option keys. Every options object this package takes (the client's, a call's, the web
 * layer's, the test kit's) is compared here with the keys its interface declares, so that a misspelt option
 * (`orgin`, `timeouts.requst`) is an error that names it with its full path and the nearest known key, rather
 * than silently ignored by a JavaScript caller. Only keys are read, never values: a secret given under a
 * misspelt key cannot reach a message.
 *
 * The lists of known keys are registries typed `KeyRegistry<Interface>`, so the compiler keeps them and the
 * interfaces in sync: a key added to an interface and not to its registry (or the reverse) does not compile. Each
 * registry sits next to its interface (`CLIENT_OPTIONS` in `client-options.ts`, `CALL_OPTIONS` in
 * `call-options.ts`, `HEALTH_OPTIONS` in `health.ts`, the web layer's and the test kit's in their folders).
 */
import { ConfigError } from './errors.js';

/** Every key of an options interface, and no other: `{ url: true, secret: true, ... }`. */
export type KeyRegistry<T> = { readonly [K in keyof T]-?: true };

/** The options after their defaults: every key present, `undefined` taken out of each value's type. */
export type Resolved<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** An options object's known keys, and the option objects nested under some of them. */
export interface OptionShape {
  /** The known keys, in the interface's order (the order messages list them in). */
  readonly keys: readonly string[];
  /** The shapes of the option objects nested under keys, e.g. `timeouts`. */
  readonly nested: ReadonlyMap<string, NestedShape>;
}

/** An option object nested under a key; `orFalse` when `false` is accepted in its place (`retry: false`). */
export interface NestedShape {
  readonly shape: OptionShape;
  readonly orFalse: boolean;
}

/** A nested option object that may be `false` instead (made by {@link orFalse}). */
export interface OrFalse {
  readonly orFalse: OptionShape;
}

/** Marks a nested shape whose key also accepts `false`, as `retry?: RetryOptions | false` does. */
export function orFalse(shape: OptionShape): OrFalse {
  return { orFalse: shape };
}

/**
 * The shape of an options interface `T`: its registry of keys, and the shapes of its nested option objects. A
 * key whose type admits `false` must be given as `orFalse(shape)`, and no other may be (checked at compile time).
 */
export function optionShape<T>(
  keys: KeyRegistry<T>,
  nested: { readonly [K in keyof T]?: false extends T[K] ? OrFalse : OptionShape } = {},
): OptionShape {
  const map = new Map<string, NestedShape>();
  for (const [key, value] of Object.entries(nested) as [string, OptionShape | OrFalse][]) {
    map.set(
      key,
      'orFalse' in value
        ? { shape: value.orFalse, orFalse: true }
        : { shape: value, orFalse: false },
    );
  }
  return { keys: Object.keys(keys), nested: map };
}

/** What is wrong with the keys of an options object. */
export type OptionProblem =
  | {
      /** A key the options object does not know. */
      readonly kind: 'unknown';
      /** Its full path, e.g. `['timeouts', 'requst']`. */
      readonly path: readonly string[];
      /** The full path of the nearest known key, when one is close enough to be meant. */
      readonly suggestion: readonly string[] | undefined;
      /** The keys known where it was found. */
      readonly known: readonly string[];
    }
  | {
      /** A nested option object that is not an object (`timeouts: 5000`). */
      readonly kind: 'not-object';
      readonly path: readonly string[];
      /** Whether `false` would have been accepted in its place. */
      readonly orFalse: boolean;
      readonly known: readonly string[];
    };

/** An object whose keys can be read as options: not null, not an array. */
export function isOptionObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every problem with the keys of `value` against `shape`, nested objects included, in key order. A value that is
 * not an object has none here: the caller says what it expected. A known key is fine whatever its value
 * (`undefined` included); only keys are read.
 */
export function optionProblems(
  value: unknown,
  shape: OptionShape,
  path: readonly string[] = [],
): OptionProblem[] {
  if (!isOptionObject(value)) return [];
  const problems: OptionProblem[] = [];
  for (const key of Object.keys(value)) {
    if (!shape.keys.includes(key)) {
      problems.push({
        kind: 'unknown',
        path: [...path, key],
        suggestion: suggest(key, shape, path),
        known: shape.keys,
      });
      continue;
    }
    const nested = shape.nested.get(key);
    if (nested === undefined) continue;
    const child = value[key];
    if (child === undefined || (child === false && nested.orFalse)) continue;
    if (!isOptionObject(child)) {
      problems.push({
        kind: 'not-object',
        path: [...path, key],
        orFalse: nested.orFalse,
        known: nested.shape.keys,
      });
      continue;
    }
    problems.push(...optionProblems(child, nested.shape, [...path, key]));
  }
  return problems;
}

/** The nearest known key for a misspelt one: at its own level first, else one level down (`login` → `timeouts.login`). */
function suggest(
  key: string,
  shape: OptionShape,
  path: readonly string[],
): readonly string[] | undefined {
  const own = closest(key, shape.keys);
  if (own !== undefined) return [...path, own];
  for (const [parent, nested] of shape.nested) {
    const inner = closest(key, nested.shape.keys);
    if (inner !== undefined) return [...path, parent, inner];
  }
  return undefined;
}

/**
 * The candidate a mistyped word most likely meant, or undefined when none is close. Case, `_` and `-` do not
 * count (`signing_secret` → `signingSecret`); otherwise at most 2 edits (1 when both words have 3 characters or
 * fewer), where swapping two neighbours is one edit (`secert` → `secret`). Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (text: string): string => text.toLowerCase().replace(/[-_]/g, '');
  const target = norm(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const normal = norm(candidate);
    const limit = Math.max(normal.length, target.length) <= 3 ? 1 : 2;
    const distance = editDistance(target, normal);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The optimal-string-alignment distance (Damerau-Levenshtein without moves across a transposition): insertions,
 * deletions, substitutions and swaps of two neighbours, each one edit. Hand-written rather than a dependency:
 * a dozen lines on option names of a few dozen characters, with no package to load on edge runtimes, and the
 * well-known small packages count a swap as two edits.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows of the table: two rows back (for swaps), the last row and this one.
  let before: number[] = [];
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((last[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (last[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    before = last;
    last = row;
  }
  return last[b.length] ?? 0;
}

/** A key as a message shows it: in back-quotes, at most 64 characters. */
function showPath(path: readonly string[]): string {
  const text = path.join('.');
  return `\`${text.length > 64 ? `${text.slice(0, 63)}…` : text}\``;
}

/** Where the known keys of a level are listed: `the options` at the top, `` the options of `timeouts` `` below. */
function listOf(problem: OptionProblem, root: readonly string[]): string {
  const parent = problem.kind === 'unknown' ? problem.path.slice(0, -1) : problem.path;
  const where = [...root, ...parent];
  return `${where.length === 0 ? 'the options are' : `the options of ${showPath(where)} are`} ${listKeys(problem.known)}`;
}

/** Known keys as a message lists them: the first 24, and how many more (a catalogue has dozens of methods). */
export function listKeys(keys: readonly string[]): string {
  return keys.length <= 24
    ? keys.join(', ')
    : `${keys.slice(0, 24).join(', ')} and ${keys.length - 24} more`;
}

/**
 * What is wrong, without the path in front: `unknown option; did you mean \`timeouts.request\`?`. For lists of
 * issues that show each path already (a `RequestValidationError`'s). `root` goes in front of every path shown.
 */
export function problemText(problem: OptionProblem, root: readonly string[] = []): string {
  if (problem.kind === 'not-object') {
    return `must be an object${problem.orFalse ? ' or false' : ''}; ${listOf(problem, root)}`;
  }
  return problem.suggestion === undefined
    ? `unknown option; ${listOf(problem, root)}`
    : `unknown option; did you mean ${showPath([...root, ...problem.suggestion])}?`;
}

/**
 * The whole sentence: `unknown option \`timeouts.requst\`; did you mean \`timeouts.request\`?`, or
 * `` `timeouts` must be an object; the options of `timeouts` are connect, request, login ``.
 */
export function problemMessage(problem: OptionProblem, root: readonly string[] = []): string {
  const at = showPath([...root, ...problem.path]);
  if (problem.kind === 'not-object') {
    return `${at} must be an object${problem.orFalse ? ' or false' : ''}; ${listOf(problem, root)}`;
  }
  return problem.suggestion === undefined
    ? `unknown option ${at}; ${listOf(problem, root)}`
    : `unknown option ${at}; did you mean ${showPath([...root, ...problem.suggestion])}?`;
}

/**
 * Refuses an options object with a key its interface does not declare, or a nested option object that is not one.
 * Values are not checked here (their own checks name them) and a value that is not an object is let through, for
 * the caller's own message.
 *
 * @param where what took the options, put in front of the message (`createWebAuth`), or undefined for none.
 * @throws {ConfigError} naming the first problem's full path (`option: 'timeouts.requst'`), with the nearest known
 *   key when one is close: `unknown option \`timeouts.requst\`; did you mean \`timeouts.request\`?`.
 */
export function checkKeys(value: unknown, shape: OptionShape, where?: string): void {
  const problem = optionProblems(value, shape)[0];
  if (problem === undefined) return;
  const message = problemMessage(problem);
  throw new ConfigError(where === undefined ? message : `${where}: ${message}`, {
    option: problem.path.join('.'),
  });
}
