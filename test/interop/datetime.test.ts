import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serverDatetime } from '../../src/core/datetime.js';

/**
 * The client's datetime format against the server's own parser: Python's `datetime.strptime` with the server's
 * rule for `session-new`'s `expires` (`text.replace("Z", "")`, `"%Y-%m-%dT%H:%M:%S.%f"`, as naive UTC), on
 * 2,000 Dates across the years 1 to 9999 (the edges included). Every formatted Date must parse, to the same
 * instant. Run by .ci/run, where python3 is required: it fails rather than skips.
 */
const PYTHON = process.env.AUTHNZERVER_INTEROP_PYTHON ?? '/usr/bin/python3';
const COUNT = 2000;
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

const SCRIPT = String.raw`
import json, sys
from datetime import datetime
EPOCH = datetime(1970, 1, 1)
out = []
for text in json.load(sys.stdin):
    parsed = datetime.strptime(text.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f")
    delta = parsed - EPOCH
    out.append(str((delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds))
json.dump(out, sys.stdout)
`;

/** Deterministic instants, so a failure can be replayed. */
function instant(index: number): number {
  const edges = [
    FIRST,
    LAST,
    0,
    Date.UTC(2099, 0, 1),
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.parse('0999-12-31T23:59:59.999Z'),
  ];
  const edge = edges[index];
  if (edge !== undefined) return edge;
  const n = createHash('sha256').update(`instant-${index}`).digest().readBigUInt64BE(0);
  return FIRST + Number(n % BigInt(LAST - FIRST + 1));
}

describe("the server's datetime format against Python's strptime", () => {
  it(`parses every one of ${COUNT} formatted Dates to the same instant`, () => {
    const instants = Array.from({ length: COUNT }, (_, i) => instant(i));
    const texts = instants.map((ms) => serverDatetime(new Date(ms)));
    const run = spawnSync(PYTHON, ['-c', SCRIPT], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, `${PYTHON} is required: ${run.stderr}`).toBe(0);
    // Microseconds since the epoch, as decimal text: beyond 2^53, so compared as BigInts.
    const parsed = (JSON.parse(run.stdout) as string[]).map(BigInt);
    expect(parsed).toHaveLength(COUNT);
    const wrong = instants.filter((ms, i) => parsed[i] !== BigInt(ms) * 1000n);
    expect(wrong.map((ms) => serverDatetime(new Date(ms)))).toEqual([]);
    expect(texts[3]).toBe('2099-01-01T00:00:00.000000');
  });
});
