import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadCatalogue, type Catalogue } from '../../../codegen/generator/catalogue.js';
import { checkDrift, type DriftReport, type Finding } from '../../../codegen/tools/drift.js';
import { loadServerSchema } from '../../../codegen/tools/server-schema.js';

/**
 * What the drift tests share: the committed server schema (a dump of the server's apischema.SCHEMA) as plain data to
 * plant changes in, our catalogue, and the report without its messages.
 */

/** A file of the repository, as text. */
export const read = (path: string): string =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
/** Our catalogue. */
export const CATALOGUE = 'schema/authnzerver.yaml';
/** The committed server schema: the revision the catalogue describes. */
export const FIXTURE = 'test/fixtures/server-schema.json';

/** An argument of the dump. */
export interface Arg {
  name: string;
  type: string | string[];
  doc?: string;
}
/** A request type of the dump. */
export interface Entry {
  args: Arg[];
  kwargs: Arg[];
  doc?: string;
  function?: string;
}
/** The dump: request types by name. */
export type Dump = Record<string, Entry>;

/** A fresh copy of the committed dump, to plant changes in. */
export const dump = (): Dump => JSON.parse(read(FIXTURE)) as Dump;
/** Our catalogue's parsed YAML, to edit before loading. */
export const ours = (): Record<string, any> => parse(read(CATALOGUE)) as Record<string, any>;
/** A catalogue loaded from data (default: ours). */
export const catalogue = (data: unknown = ours()): Catalogue => loadCatalogue(data, CATALOGUE);
/** The drift of a catalogue (default: ours) against a dump. */
export const drift = (server: Dump, cat: Catalogue = catalogue()): DriftReport =>
  checkDrift(cat, loadServerSchema(server, 'server-schema.json'));
/** The findings without their messages, for exact comparisons. */
export const facts = (report: DriftReport): Omit<Finding, 'message'>[] =>
  report.findings.map(({ message: _message, ...rest }) => rest);

/** An argument of a dump's request type, to change in place. */
export const arg = (server: Dump, type: string, name: string): Arg => {
  const entry = server[type]!;
  const found = [...entry.args, ...entry.kwargs].find((a) => a.name === name);
  if (found === undefined) throw new Error(`${type}.${name} is not in the dump`);
  return found;
};
