/** The `fernet` section: Fernet encrypt + decrypt of a `user-passcheck` envelope, ours against the npm package. */
import {
  fmtRatio,
  fmtSpread,
  printTable,
  summarize,
  type BenchOptions,
  type SectionResult,
} from './lib.js';
import { envelope, fernet, npmFernet, secret } from './passcheck.js';

/** How many times `fn` runs per second, run in batches of 20 for `ms` milliseconds. */
function opsPerSecond(fn: () => void, ms: number): number {
  let ops = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
  }
  return ops / (ms / 1000);
}

/** Runs the section. */
export function benchFernet({ reps, log }: BenchOptions): Promise<SectionResult> {
  const message = JSON.stringify(envelope('abcdefghijk'));
  const npmSecret = new npmFernet.Secret(secret);
  const ours = (): void => {
    fernet.decrypt(fernet.encrypt(message));
  };
  const theirs = (): void => {
    const token = new npmFernet.Token({ secret: npmSecret }).encode(message);
    new npmFernet.Token({ secret: npmSecret, ttl: 0 }).decode(token);
  };
  const oursRuns: number[] = [];
  const theirRuns: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    oursRuns.push(opsPerSecond(ours, 400));
    theirRuns.push(opsPerSecond(theirs, 400));
  }
  const a = summarize(oursRuns);
  const b = summarize(theirRuns);
  const ratio = a.median / b.median;
  printTable(
    log,
    `Fernet encrypt + decrypt of a ${message.length}-byte envelope, ops/s (median, min–max)`,
    ['implementation', 'ops/s', 'ratio'],
    [
      ['ours (node:crypto)', fmtSpread(a, 0), fmtRatio(ratio, 1)],
      ['npm fernet (crypto-js)', fmtSpread(b, 0), '1.0×'],
    ],
  );
  return Promise.resolve({
    results: { fernet: { messageBytes: message.length, ours: a, npmFernet: b, ratio } },
    goals: [
      {
        goal: 'Fernet against the npm fernet package',
        target: '≥ 10×',
        value: fmtRatio(ratio, 1),
        met: ratio >= 10,
      },
    ],
  });
}
