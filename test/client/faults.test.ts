import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEADLINE_MS, FAULT_TABLE, runFaultTable, type FaultOutcome } from '../helpers/faults.js';
import { runScript } from '../helpers/processes.js';

/**
 * The fault table of docs/failures.md, proven: each fault against the test server gives its failure kind, inside the
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
    // Each call met the faults queued for it, and none was left for the next.
    expect([read.faultsLeft, write.faultsLeft]).toEqual([0, 0]);
    // Inside the deadline: the margin only absorbs a busy machine's late timers.
    for (const outcome of [read, write]) expect(outcome.elapsedMs).toBeLessThan(DEADLINE_MS + 1000);
    // A write is never run twice, and a retried write never reached the server at all.
    expect(write.writesReceived).toBeLessThanOrEqual(1);
    if (write.attempts > 1) expect(write.hits).toBe(0);
  });

  it('is the table in docs/failures.md', () => {
    const readme = readFileSync(new URL('../../docs/failures.md', import.meta.url), 'utf8');
    const lines = readme.split('\n');
    const header = lines.findIndex((line) => /^\| fault +\| read +\| write +\|$/.test(line));
    expect(header).toBeGreaterThan(0);
    const end = lines.findIndex((line, i) => i > header && !line.startsWith('|'));
    const rows = lines.slice(header + 2, end).map((line) =>
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
  // The child's start under tsx is a cold start: a generous budget. What is tested is that it ends by itself.
  const limitMs = 90_000;
  it(
    'ends on its own, with no unhandled rejection and no handle left open',
    async () => {
      const script = `
      process.on('unhandledRejection', (e) => { console.error('unhandled', e); process.exitCode = 3; });
      const { runFaultTable } = await import(${JSON.stringify(new URL('../helpers/faults.ts', import.meta.url).href)});
      const outcomes = await runFaultTable();
      console.log(outcomes.length);
    `;
      const run = await runScript(script, [], { limitMs });
      expect(run.stdout.trim(), run.stderr).toBe(String(FAULT_TABLE.length * 2));
      expect(run.code).toBe(0);
    },
    limitMs + 10_000,
  );
});
