import { describe, expect, it } from 'vitest';
import {
  closest,
  editDistance,
  optionProblems,
  optionShape,
  orFalse,
} from '../../src/core/options.js';

/**
 * The one check of option keys (`core/options.ts`), alone: the edit distance, the nearest known key, and the
 * problems of nested option objects. The registries of the client's, a call's and `health()`'s options, through
 * the client: test/client/options.test.ts.
 */

describe('the edit distance and the nearest key', () => {
  it.each([
    ['secret', 'secret', 0],
    ['secert', 'secret', 1], // a swap of neighbours is one edit
    ['orgin', 'origin', 1],
    ['requst', 'request', 1],
    ['timeot', 'timeout', 1],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('suggests a key within 2 edits (1 for short keys), ignoring case, _ and -', () => {
    const keys = ['url', 'secret', 'signingSecret', 'timeouts', 'ms'];
    expect(closest('secert', keys)).toBe('secret');
    expect(closest('signing_secret', keys)).toBe('signingSecret');
    expect(closest('TIMEOUTS', keys)).toBe('timeouts');
    expect(closest('timeout', keys)).toBe('timeouts');
    expect(closest('uri', keys)).toBe('url');
    expect(closest('xyz', keys)).toBeUndefined(); // 3 edits from url: not meant
    expect(closest('ab', keys)).toBeUndefined(); // 2 edits between short words
    expect(closest('msec', keys)).toBe('ms');
    expect(closest('secretsss', keys)).toBeUndefined();
  });

  it('looks one level down when nothing at the level is close, and checks nested objects', () => {
    const inner = optionShape<{ a?: number; login?: number }>({ a: true, login: true });
    const shape = optionShape<{ x?: number; nested?: { a?: number } | false }>(
      { x: true, nested: true },
      { nested: orFalse(inner) },
    );
    expect(optionProblems({ x: 1, nested: false }, shape)).toEqual([]);
    expect(optionProblems({ x: undefined, nested: undefined }, shape)).toEqual([]);
    expect(optionProblems({ logn: 1, nested: { b: 1 }, y: 2 }, shape)).toEqual([
      { kind: 'unknown', path: ['logn'], suggestion: ['nested', 'login'], known: ['x', 'nested'] },
      {
        kind: 'unknown',
        path: ['nested', 'b'],
        suggestion: ['nested', 'a'],
        known: ['a', 'login'],
      },
      { kind: 'unknown', path: ['y'], suggestion: ['x'], known: ['x', 'nested'] },
    ]);
    expect(optionProblems({ nested: 5 }, shape)).toEqual([
      { kind: 'not-object', path: ['nested'], orFalse: true, known: ['a', 'login'] },
    ]);
  });
});
