// The last step of `npm run build`: makes the package's bins (package.json `bin`) executable, as npm does when it
// installs or links a package but not when `tsc` rebuilds them in a clone, and checks that each starts with the
// shebang that runs it with node. On Windows, where files have no exec bit, the mode change does nothing.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const SHEBANG = '#!/usr/bin/env node\n';

for (const [name, path] of Object.entries(bin)) {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(SHEBANG)) {
    throw new Error(`${path} (the "${name}" bin) does not start with ${JSON.stringify(SHEBANG)}`);
  }
  chmodSync(file, statSync(file).mode | 0o111);
}
