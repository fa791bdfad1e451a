import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/**
 * What the tests of catalogues that extend ours share (extend.test.ts, ../extend-client.test.ts and
 * ../tools/extending.test.ts): test/fixtures/codegen/extending.yaml, our catalogue, and a temporary folder inside the
 * repository to write catalogues into.
 */

/** The repository. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A catalogue that extends ours: it adds a named type and a request type and replaces session-exists. */
export const FIXTURE = join(ROOT, 'test/fixtures/codegen/extending.yaml');
/** Our catalogue, the one `extends: authnzerver` finds through the package. */
export const OURS = join(ROOT, 'schema/authnzerver.yaml');

/** The first lines of a catalogue that extends ours. */
export const HEAD = 'version: 1\nname: mine\nextends: authnzerver\n';
/** A request type of our catalogue's shape that uses a named type `Widget`. */
export const NEW_TYPE = `  widget-get:
    summary: Read a widget.
    sideEffects: read
    args:
      widget_id: { type: int }
    success:
      widget: { type: Widget }
    failure: {}
`;

/** A temporary folder, removed after the file's tests, and a writer of catalogues into it. */
export interface CatalogueFolder {
  readonly dir: string;
  /** Writes a catalogue into the folder; returns its path. */
  readonly catalogue: (name: string, text: string) => string;
}

/**
 * A temporary folder inside the repository (.tmp-codegen-* is ignored), so that the package resolves from it as from
 * a user's project. Call it at the top of a test file: it removes the folder after the file's tests.
 */
export function catalogueFolder(): CatalogueFolder {
  const dir = mkdtempSync(join(ROOT, '.tmp-codegen-extend-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    catalogue: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
