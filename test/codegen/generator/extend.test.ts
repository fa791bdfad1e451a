import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../codegen/generator/catalogue.js';
import { findPackageCatalogue, loadCatalogueFile } from '../../../codegen/generator/extend.js';
import { catalogueFolder, FIXTURE, HEAD, NEW_TYPE, OURS, ROOT } from './extend-helpers.js';

/**
 * Loading catalogues that extend ours (`extends: authnzerver`, codegen/generator/extend.ts): the merge, the base found
 * through the package, and the errors, each naming the file and the path in it. A client generated from one has
 * ../extend-client.test.ts; drift and scaffold on one, ../tools/extending.test.ts.
 */

const { dir, catalogue } = catalogueFolder();

describe('loading a catalogue that extends ours', () => {
  it('merges: our 38 types and 4 named types, then the new ones; a replaced entry keeps its place', async () => {
    const { catalogue: merged, bases } = await loadCatalogueFile(FIXTURE, { cwd: ROOT });
    const ours = (await loadCatalogueFile(OURS, { cwd: ROOT })).catalogue;
    expect(bases).toEqual(['schema/authnzerver.yaml']);
    expect(merged.source).toBe('test/fixtures/codegen/extending.yaml');
    expect(merged.className).toBe('WidgetsAuthnzerver');
    expect(merged.requests.map((r) => r.type)).toEqual([
      ...ours.requests.map((r) => r.type),
      'widget-get',
    ]);
    expect(merged.types.map((t) => t.name)).toEqual([...ours.types.map((t) => t.name), 'Widget']);
    const replaced = merged.requests.find((r) => r.type === 'session-exists');
    expect(replaced?.success.map((f) => [f.name, f.optional])).toEqual([
      ['session_info', false],
      ['tenant', true],
    ]);
    // Everything else is ours, unchanged.
    const login = (c: typeof ours) => c.requests.find((r) => r.type === 'user-login');
    expect(login(merged)).toEqual(login(ours));
    // The hash covers the merged content: a new release of the base changes it.
    expect(merged.hash).not.toBe(ours.hash);
  });

  it('finds the base through the package, and says so when the package is not installed', async () => {
    expect(findPackageCatalogue([dir])).toBe(OURS);
    const outside = mkdtempSync(join(tmpdir(), 'authnzerver-extend-'));
    try {
      expect(findPackageCatalogue([outside])).toBeUndefined();
      const path = join(outside, 'mine.yaml');
      writeFileSync(path, `${HEAD}requests:\n${NEW_TYPE}`);
      await expect(loadCatalogueFile(path, { cwd: outside })).rejects.toThrow(
        /^mine\.yaml: extends: the authnzerver package is not found from \. or the working folder: install it \(npm install authnzerver\)$/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a clash with one of our names unless the entry says replace: true', async () => {
    const clash = catalogue(
      'clash.yaml',
      `${HEAD}requests:\n  session-new:\n    summary: Mine.\n    sideEffects: write\n`,
    );
    await expect(loadCatalogueFile(clash)).rejects.toThrow(
      'clash.yaml: requests.session-new: is already a request type of schema/authnzerver.yaml, which this catalogue extends: to replace it, give the entry replace: true',
    );
    const typeClash = catalogue(
      'type-clash.yaml',
      `${HEAD}types:\n  UserInfo:\n    fields: { id: int }\nrequests: {}\n`,
    );
    await expect(loadCatalogueFile(typeClash)).rejects.toThrow(
      'type-clash.yaml: types.UserInfo: is already a named type of schema/authnzerver.yaml',
    );
    const nothing = catalogue(
      'nothing.yaml',
      `${HEAD}requests:\n  widget-put:\n    replace: true\n    summary: Mine.\n    sideEffects: write\n`,
    );
    await expect(loadCatalogueFile(nothing)).rejects.toThrow(
      'nothing.yaml: requests.widget-put.replace: schema/authnzerver.yaml has no request type widget-put to replace: remove replace: true to add it',
    );
    const alone = catalogue(
      'alone.yaml',
      'version: 1\nname: mine\nrequests:\n  session-new:\n    replace: true\n    summary: Mine.\n    sideEffects: write\n',
    );
    await expect(loadCatalogueFile(alone)).rejects.toThrow(
      'alone.yaml: requests.session-new.replace: only a catalogue that extends another (extends: authnzerver) can replace its entries',
    );
  });

  it('names the file and the path of a dangling reference, a bad extends and a cycle', async () => {
    const dangling = catalogue('dangling.yaml', `${HEAD}requests:\n${NEW_TYPE}`);
    await expect(loadCatalogueFile(dangling)).rejects.toThrow(
      'dangling.yaml: requests.widget-get.success.widget.type: unknown type "Widget" (not in types)',
    );
    // Our named types are in scope for the extension's fields.
    const usesOurs = catalogue(
      'uses-ours.yaml',
      `${HEAD}requests:\n${NEW_TYPE.replace('type: Widget', 'type: UserInfo')}`,
    );
    expect((await loadCatalogueFile(usesOurs)).catalogue.requests).toHaveLength(39);
    const bogus = catalogue(
      'bogus.yaml',
      HEAD.replace('authnzerver', 'authnzerver@2') + 'requests: {}\n',
    );
    await expect(loadCatalogueFile(bogus)).rejects.toThrow(
      "bogus.yaml: extends: must be authnzerver (the package's own catalogue) or a relative path to a catalogue file (./base.yaml)",
    );
    const missing = catalogue(
      'missing.yaml',
      HEAD.replace('authnzerver', './nope.yaml') + 'requests: {}\n',
    );
    await expect(loadCatalogueFile(missing)).rejects.toThrow(
      /missing\.yaml: extends: cannot load .*nope\.yaml: .*no such file/,
    );
    catalogue('a.yaml', HEAD.replace('authnzerver', './b.yaml') + 'requests: {}\n');
    const b = catalogue('b.yaml', HEAD.replace('authnzerver', './a.yaml') + 'requests: {}\n');
    // The pure loader alone cannot resolve extends, and says where it is done.
    expect(() =>
      loadCatalogue({ version: 1, name: 'x', extends: 'authnzerver', requests: {} }, 'x.yaml'),
    ).toThrow('x.yaml: extends: a catalogue that extends another is read with loadCatalogueFile');
    await expect(loadCatalogueFile(b)).rejects.toThrow(
      /extends: catalogues extend each other in a cycle/,
    );
  });
});
