import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEADLINE_MS, FAULT_TABLE, runFaultTable, type FaultOutcome } from './helpers/faults.js';

/**
 * The README's fault table, proven: each fault against the test server gives its failure kind, inside the
 * deadline, with no unhandled rejection (vitest fails on one) and no leaked handle (the same table in a child
 * process must exit by itself), and a write is never sent twice.
 */

describe('the fault table', async () => {
  const outcomes: FaultOutcome[] = await runFaultTable();

  it.each(FAULT_TABLE.map((row) => [row.name, row] as const))('%s', (name, row) => {
    const read = outcomes.find((o) => o.name === name && o.side === 'read')!;
    const write = outcomes.find((o) => o.name === name && o.side === 'write')!;
    expect([read.kind, read.attempts]).toEqual(row.read);
    expect([write.kind, write.attempts]).toEqual(row.write);
    for (const outcome of [read, write]) expect(outcome.elapsedMs).toBeLessThan(DEADLINE_MS + 500);
    // A write is never run twice, and a retried write never reached the server at all.
    expect(write.writesReceived).toBeLessThanOrEqual(1);
    if (write.attempts > 1) expect(write.hits).toBe(0);
  });

  it('is the table in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('| fault | read'));
    const rows = section
      .split('\n')
      .slice(2)
      .filter((line) => line.startsWith('| '))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim().replace(/`/g, '')),
      );
    const describe = (result: readonly [string, number]): string =>
      `${result[0]}${result[1] > 1 ? ` after ${result[1]} attempts` : ''}`;
    expect(rows).toEqual(
      FAULT_TABLE.map((row) => [row.name, describe(row.read), describe(row.write)]),
    );
  });
});

describe('the fault table in a process of its own', () => {
  it('ends on its own, with no unhandled rejection and no handle left open', async () => {
    const script = `
      process.on('unhandledRejection', (e) => { console.error('unhandled', e); process.exitCode = 3; });
      const { runFaultTable } = await import(${JSON.stringify(new URL('./helpers/faults.ts', import.meta.url).href)});
      const outcomes = await runFaultTable();
      console.log(outcomes.length);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 60_000);
      child.on('exit', (status) => {
        clearTimeout(guard);
        resolve(status);
      });
    });
    expect(out.trim()).toBe(String(FAULT_TABLE.length * 2));
    expect(code).toBe(0);
  });
});
