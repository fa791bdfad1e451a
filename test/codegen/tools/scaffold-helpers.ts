/** What the tests of `authnzerver-codegen scaffold` share (scaffold.test.ts, ../scaffold-command.test.ts). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A file of the repository, as text. */
export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
/** Our catalogue. */
export const CATALOGUE = 'schema/authnzerver.yaml';
/** The committed server schema. */
export const FIXTURE = 'test/fixtures/server-schema.json';

/** The committed dump with a new request type planted in it, docs and all (as the server dumps it). */
export function planted(docs = true): Record<string, unknown> {
  const server = JSON.parse(read(FIXTURE)) as Record<string, unknown>;
  const doc = (text: string): { doc?: string } => (docs ? { doc: text } : {});
  server['user-frobnicate'] = {
    function: 'authnzerver.actions.user_frobnicate',
    ...doc('Frobnicate a user: once, or as often as asked.'),
    args: [
      { name: 'user_id', type: 'int', ...doc('The user to frobnicate.') },
      { name: 'session_token', type: 'str', ...doc('A session of that user.') },
      { name: 'client_ipaddr', type: 'str', ...doc('Where the request came from.') },
    ],
    kwargs: [
      { name: 'times', type: ['int', 'None'], ...doc('How often, "once" if null.') },
      { name: 'options', type: 'dict' },
    ],
  };
  return server;
}
