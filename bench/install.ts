/**
 * The `install` section: the files a fresh `npm install` of the packed package installs, per package, and that the
 * generator's optional peers are not among them. It needs the npm registry; without it, it records its error.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fmt,
  printTable,
  ROOT,
  timeCommand,
  type BenchOptions,
  type SectionResult,
} from './lib.js';

/** The generator's optional peers, which a user's install should not get. */
const CODEGEN_PEERS = ['ts-morph', 'typescript', 'prettier', 'yaml'];

/** The bytes of a file, or of every file below a folder. */
function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** Packs the package into `dir` and installs the tarball there in an empty app; the app's node_modules. */
async function packAndInstall(dir: string): Promise<string> {
  const pack = await timeCommand('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
  const tarball = pack.output.trim().split('\n').pop() ?? '';
  if (pack.code !== 0 || tarball === '') throw new Error(`npm pack failed: ${pack.output}`);
  writeFileSync(join(dir, 'package.json'), '{"name":"app","private":true}');
  const install = await timeCommand(
    'npm',
    ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)],
    dir,
  );
  if (install.code !== 0) throw new Error(`npm install failed: ${install.output}`);
  return join(dir, 'node_modules');
}

/** Runs the section. */
export async function benchInstall({ log }: BenchOptions): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-install-'));
  try {
    const modules = await packAndInstall(dir);
    const packages = readdirSync(modules).filter((name) => !name.startsWith('.'));
    const sizes = Object.fromEntries(
      packages.map((name) => [name, sizeOf(join(modules, name)) / 2 ** 20]),
    );
    const total = sizeOf(modules) / 2 ** 20;
    const absent = CODEGEN_PEERS.filter((name) => !packages.includes(name));
    printTable(
      log,
      'A fresh npm install of the packed package',
      ['package', 'MB'],
      [
        ...Object.entries(sizes)
          .sort((a, b) => b[1] - a[1])
          .map(([name, mb]) => [name, fmt(mb)]),
        ['total', fmt(total)],
      ],
    );
    log(`not installed (the generator's optional peers): ${absent.join(', ')}`);
    return {
      results: { install: { totalMB: total, packagesMB: sizes, codegenPeersAbsent: absent } },
      goals: [],
    };
  } catch (error) {
    log(`\nInstalled size: not measured (${(error as Error).message}); it needs the npm registry.`);
    return { results: { install: { error: (error as Error).message } }, goals: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
