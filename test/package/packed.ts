import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The package as a user installs it, for the tests of test/package/: `npm pack` of dist/ as it is (`npm test`
 * builds it first), and the tarball installed with npm in a new app in a temporary folder.
 */

export const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Throws, saying to build, unless each of these files of dist/ is there. */
export function requireBuilt(files: readonly string[]): void {
  const missing = files.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(
      `dist/ is not built (${missing.join(', ')} missing): run \`npm run build\` first (\`npm test\` does)`,
    );
  }
}

/** An app with the packed package installed. */
export interface PackedApp {
  /** The app's folder: its package.json and node_modules/authnzerver. */
  readonly app: string;
  /** The tarball `npm pack` made. */
  readonly tarball: string;
}

/**
 * Packs the package into `tmp` and installs the tarball, and `extra` packages, in `tmp/app`, whose package.json
 * has `fields` (e.g. `type`). Dependencies come from the npm cache when it has them (`--prefer-offline`).
 */
export async function installPacked(
  tmp: string,
  fields: Record<string, unknown>,
  extra: readonly string[] = [],
): Promise<PackedApp> {
  const app = join(tmp, 'app');
  // --ignore-scripts: the package as dist/ is now, without `prepack` rebuilding it under other tests' feet.
  const pack = ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp];
  const packed = await run('npm', pack, { cwd: ROOT });
  const tarball = join(tmp, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);

  mkdirSync(app);
  const manifest = { name: 'consumer-app', private: true, ...fields };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--prefer-offline',
      '--ignore-scripts',
      '--loglevel=error',
      tarball,
      ...extra,
    ],
    { cwd: app },
  );
  return { app, tarball };
}
