/**
 * Shared by the secret-rotation tests (test/rotation*.test.ts): a load of concurrent calls, and a key's
 * fingerprint computed here, independently of the code under test.
 */
import { createHash } from 'node:crypto';
import type { ResponseTuple } from '../../src/core/result.js';

type Result = ResponseTuple<unknown, unknown>;

/**
 * Runs `count` calls, `concurrency` at a time, and returns their results by index. `after(done)` runs after each
 * completed call, with how many have completed; the lane that completed it waits for it.
 */
export async function load(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<Result>,
  after: (done: number) => void | Promise<void> = () => undefined,
): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await call(index);
      await after(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

/** A Fernet key's fingerprint as `doctor` shows it: the first 8 hex digits of the SHA-256 of its 32 bytes. */
export function fingerprint(key: string): string {
  return createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
}
