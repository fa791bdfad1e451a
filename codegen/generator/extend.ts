import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { CatalogueError, loadCatalogue, type Catalogue } from './catalogue.js';

/**
 * Catalogues that extend another one, and the one place that reads a catalogue file. A user's catalogue that says
 * `extends: authnzerver` starts from the package's own catalogue (`schema/authnzerver.yaml` of the installed
 * `authnzerver` package, found from the catalogue's folder or the working folder): it adds request types and named
 * types, and replaces one of the base's only when its entry says `replace: true`. `extends: ./base.yaml` names
 * another catalogue file, relative to this one. The merged data is validated by `loadCatalogue` as one catalogue,
 * so every error still names the user's file and the path in it.
 */

/** The name that means the package's own catalogue. */
export const PACKAGE_CATALOGUE = 'authnzerver';

/** A catalogue file, loaded (and merged with the catalogues it extends). */
export interface LoadedCatalogue {
  readonly catalogue: Catalogue;
  /** The file's own text. */
  readonly text: string;
  /** The files it extends, nearest first, as messages show them; empty for a catalogue that extends none. */
  readonly bases: readonly string[];
}

/** Where to look for things: the working folder (for messages and for finding the package). */
export interface LoadOptions {
  readonly cwd?: string;
  /** The file's text, when the caller has it already (scaffold checks a text before writing it). */
  readonly text?: string;
  /** The file's name in messages and generated headers (default: its path, relative to `cwd` when inside it). */
  readonly source?: string;
}

/** A path as messages show it: relative to the working folder when it is inside it. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const inside = relative(cwd, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The package's own catalogue, found through the package: `authnzerver/package.json` resolved from each folder
 * in turn (Node's resolution, so an install in a parent folder or a workspace counts), then its
 * `schema/authnzerver.yaml`. Undefined when no folder finds the package.
 */
export function findPackageCatalogue(from: readonly string[]): string | undefined {
  for (const dir of from) {
    let manifest: string;
    try {
      manifest = createRequire(join(dir, 'noop.js')).resolve(`${PACKAGE_CATALOGUE}/package.json`);
    } catch {
      continue;
    }
    const path = join(dirname(manifest), 'schema', 'authnzerver.yaml');
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Reads and validates a catalogue file, and the catalogues it extends.
 * @throws {CatalogueError} naming the file (and the path in it) of the first problem: a file that cannot be read,
 * YAML that does not parse, a base that cannot be found, a name clash, a dangling reference.
 */
export async function loadCatalogueFile(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedCatalogue> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadData(resolve(cwd, path), cwd, [], options.text, options.source);
  return {
    catalogue: loadCatalogue(loaded.data, loaded.source),
    text: loaded.text,
    bases: loaded.bases,
  };
}

interface Data {
  readonly data: unknown;
  readonly source: string;
  readonly text: string;
  readonly bases: readonly string[];
}

async function readText(path: string, source: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no such file (${what})`
        : code === 'EISDIR'
          ? `is a folder, not ${what}`
          : `cannot read ${what}: ${(error as Error).message}`;
    throw new CatalogueError(source, [], why);
  }
}

/** The file's data, merged with its bases; `trail` holds the files above it, to refuse a cycle. */
async function loadData(
  path: string,
  cwd: string,
  trail: readonly string[],
  given?: string,
  name?: string,
): Promise<Data> {
  const source = name ?? shownPath(path, cwd);
  const text = given ?? (await readText(path, source, 'the catalogue'));
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new CatalogueError(source, [], `not valid YAML: ${(error as Error).message}`);
  }
  if (!isObject(data) || data.extends === undefined) {
    refuseReplace(data, source);
    return { data, source, text, bases: [] };
  }
  const named = data.extends;
  let basePath: string;
  if (named === PACKAGE_CATALOGUE) {
    const found = findPackageCatalogue([dirname(path), cwd]);
    if (found === undefined)
      throw new CatalogueError(
        source,
        ['extends'],
        `the ${PACKAGE_CATALOGUE} package is not found from ${dirname(path) === cwd ? '.' : shownPath(dirname(path), cwd)} or the working folder: install it (npm install ${PACKAGE_CATALOGUE})`,
      );
    basePath = found;
  } else if (typeof named === 'string' && /^\.{1,2}\/.*\.ya?ml$/.test(named)) {
    basePath = resolve(dirname(path), named);
  } else {
    throw new CatalogueError(
      source,
      ['extends'],
      `must be ${PACKAGE_CATALOGUE} (the package's own catalogue) or a relative path to a catalogue file (./base.yaml)`,
    );
  }
  if (basePath === path || trail.includes(basePath))
    throw new CatalogueError(
      source,
      ['extends'],
      `catalogues extend each other in a cycle: ${[...trail, path, basePath].map((p) => shownPath(p, cwd)).join(' -> ')}`,
    );
  const base = await loadData(basePath, cwd, [...trail, path]).catch((error: unknown) => {
    if (error instanceof CatalogueError && error.path === '' && !trail.includes(basePath))
      throw new CatalogueError(
        source,
        ['extends'],
        `cannot load ${shownPath(basePath, cwd)}: ${error.message}`,
      );
    throw error;
  });
  // The base must load on its own: its errors are its own, not the extending file's.
  loadCatalogue(base.data, base.source);
  return {
    data: mergeCatalogues(base.data as Record<string, unknown>, base.source, data, source),
    source,
    text,
    bases: [base.source, ...base.bases],
  };
}

/** `replace` in a catalogue that extends nothing: there is nothing to replace. */
function refuseReplace(data: unknown, source: string): void {
  if (!isObject(data)) return;
  for (const section of ['types', 'requests'] as const) {
    const entries = data[section];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (isObject(entry) && 'replace' in entry)
        throw new CatalogueError(
          source,
          [section, name, 'replace'],
          'only a catalogue that extends another (extends: authnzerver) can replace its entries',
        );
    }
  }
}

/**
 * The data of a catalogue that extends `base`: the base's named types and request types, then the extension's
 * new ones; an entry with `replace: true` takes the place of the base's entry of that name. The top-level keys
 * (`name`, `className`, `description`) are the extension's (the description falls back to the base's).
 * @throws {CatalogueError} for a name that is in both without `replace: true`, and for `replace: true` on a name the
 * base does not have.
 */
export function mergeCatalogues(
  base: Readonly<Record<string, unknown>>,
  baseSource: string,
  extension: Readonly<Record<string, unknown>>,
  source: string,
): Record<string, unknown> {
  const { extends: _extends, types, requests, ...top } = extension;
  const what = { types: 'named type', requests: 'request type' } as const;
  const merged = (section: 'types' | 'requests', own: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...(isObject(base[section]) ? base[section] : {}) };
    if (own === undefined || own === null) return out;
    if (!isObject(own))
      throw new CatalogueError(source, [section], `must be a mapping of ${what[section]}s`);
    for (const [name, entry] of Object.entries(own)) {
      const path = [section, name];
      let replace = false;
      let body: unknown = entry;
      if (isObject(entry) && 'replace' in entry) {
        const { replace: flag, ...rest } = entry;
        if (typeof flag !== 'boolean')
          throw new CatalogueError(source, [...path, 'replace'], 'must be true or false');
        replace = flag;
        body = rest;
      }
      const inBase = Object.hasOwn(out, name);
      if (inBase && !replace)
        throw new CatalogueError(
          source,
          path,
          `is already a ${what[section]} of ${baseSource}, which this catalogue extends: to replace it, give the entry replace: true; to add a new one, pick another name`,
        );
      if (!inBase && replace)
        throw new CatalogueError(
          source,
          [...path, 'replace'],
          `${baseSource} has no ${what[section]} ${name} to replace: remove replace: true to add it`,
        );
      out[name] = body;
    }
    return out;
  };
  const description = top.description ?? base.description;
  return {
    ...top,
    ...(description === undefined ? {} : { description }),
    types: merged('types', types),
    requests: merged('requests', requests),
  };
}
