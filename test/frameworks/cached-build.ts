/**
 * A framework app's production build, made once and reused: the build runs only when the stamp (a SHA-256 of
 * the app's sources, the build command and the installed framework versions) differs from the one written by the
 * last build. The output lives under `.tmp/` (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository's root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** What to build and how. */
export interface BuildSpec {
  /** A name for the stamp file and the log. */
  readonly name: string;
  /** The app's folder (hashed, without `node_modules`, build outputs and dot-folders). */
  readonly appDir: string;
  /** Files outside `appDir` the build also reads (e.g. the adapter's sources), hashed too. */
  readonly extraInputs?: readonly string[];
  /** Packages whose installed versions go into the stamp. */
  readonly packages: readonly string[];
  /** The output folder; the stamp is written in it. */
  readonly outDir: string;
  /** The build command (the first item is run with the rest as arguments), run in `appDir`. */
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const SKIP = new Set(['node_modules', 'build', 'dist']);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

/** The stamp of a build's inputs. */
export function stampOf(spec: BuildSpec): string {
  const hash = createHash('sha256');
  // The command without the Node binary that runs it: a build is the same whichever Node made it.
  hash.update(JSON.stringify(spec.command.slice(1)));
  for (const name of spec.packages) {
    const manifest = join(ROOT, 'node_modules', name, 'package.json');
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    hash.update(`${name}@${version}\n`);
  }
  const inputs = [
    ...files(spec.appDir),
    ...(spec.extraInputs ?? []).flatMap((p) => (statSync(p).isDirectory() ? files(p) : [p])),
  ];
  for (const path of inputs) {
    hash.update(relative(ROOT, path));
    hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

/**
 * Builds unless the stamp in `outDir` matches; returns whether it built. Prints what it did, with the time a
 * build took.
 */
export function cachedBuild(spec: BuildSpec): boolean {
  const stamp = stampOf(spec);
  const stampFile = join(spec.outDir, `.stamp-${spec.name}`);
  const current = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (current()) return false;
  // Test files run in parallel workers: one builds, the others wait for its stamp.
  const lock = `${spec.outDir}.lock-${spec.name}`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (!holderAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (current()) return false;
    return build(spec, stamp, stampFile);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Whether the process holding a lock still runs (a lock of a killed run is taken over). */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return true; // being written
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function build(spec: BuildSpec, stamp: string, stampFile: string): boolean {
  const started = Date.now();
  const [command, ...args] = spec.command;
  try {
    execFileSync(command as string, args, {
      cwd: spec.appDir,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const failed = e as { stdout?: Buffer; stderr?: Buffer };
    console.error(
      `[${spec.name}] the build failed:\n${String(failed.stdout)}\n${String(failed.stderr)}`,
    );
    throw e;
  }
  mkdirSync(spec.outDir, { recursive: true });
  writeFileSync(stampFile, stamp);
  console.log(`[${spec.name}] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
