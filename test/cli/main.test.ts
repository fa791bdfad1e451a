import { describe, expect, it } from 'vitest';
import { runBin } from './helpers.js';

/** The `authnzerver` command's dispatch: the help of each command, and an unknown command. */

describe('the authnzerver command', () => {
  it('has --help for every command', async () => {
    for (const [args, words] of [
      [['--help'], 'Commands:'],
      [['keygen', '--help'], 'Usage: authnzerver keygen'],
      [['request', '--help'], 'Usage: authnzerver request <type>'],
      [['doctor', '--help'], 'Usage: authnzerver doctor'],
    ] as const) {
      const result = await runBin([...args]);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain(words);
    }
    const unknown = await runBin(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
