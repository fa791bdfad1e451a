/** `src/web/cache-policy.ts`: the `Vary` merge and the rule on a context's answer. */
import { describe, expect, it } from 'vitest';
import { applyCachePolicy, varyWith } from '../../src/web/cache-policy.js';
import type { AuthContext } from '../../src/web/types.js';

function context(personal: boolean, varyOn: readonly string[] = ['Cookie']): AuthContext {
  return { personal, varyOn } as unknown as AuthContext;
}

describe('varyWith', () => {
  it('adds each name once, whatever its case, and keeps what was there', () => {
    expect(varyWith(null, ['Cookie'])).toBe('Cookie');
    expect(varyWith('Accept-Encoding', ['Cookie', 'Authorization'])).toBe(
      'Accept-Encoding, Cookie, Authorization',
    );
    expect(varyWith('accept-encoding, cookie', ['Cookie'])).toBe('accept-encoding, cookie');
    expect(varyWith(' Origin ,, ', ['Cookie', 'cookie'])).toBe('Origin, Cookie');
  });

  it('leaves `*` alone: it already varies on everything', () => {
    expect(varyWith('*', ['Cookie'])).toBe('*');
  });
});

describe('applyCachePolicy', () => {
  it('a personal answer without its own Cache-Control becomes private, no-store', () => {
    const headers = new Headers();
    applyCachePolicy(context(true, ['Cookie', 'Authorization']), headers);
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.get('vary')).toBe('Cookie, Authorization');
  });

  it("keeps the app's own Cache-Control, and only varies a visitor's answer", () => {
    const own = new Headers({ 'cache-control': 'no-cache', vary: 'Accept' });
    applyCachePolicy(context(true), own);
    expect(own.get('cache-control')).toBe('no-cache');
    expect(own.get('vary')).toBe('Accept, Cookie');
    const visitor = new Headers({ 'cache-control': 'public, max-age=60' });
    applyCachePolicy(context(false), visitor);
    expect(visitor.get('cache-control')).toBe('public, max-age=60');
    expect(visitor.get('vary')).toBe('Cookie');
    const bare = new Headers();
    applyCachePolicy(context(false), bare);
    expect(bare.get('cache-control')).toBeNull();
  });

  it('is idempotent, and writes nothing that is already right', () => {
    const writes: string[] = [];
    const values = new Map<string, string>();
    const headers = {
      get: (name: string) => values.get(name),
      set: (name: string, value: string) => {
        writes.push(name);
        values.set(name, value);
      },
    };
    applyCachePolicy(context(true), headers);
    applyCachePolicy(context(true), headers);
    expect(writes).toEqual(['vary', 'cache-control']);
    expect(values.get('vary')).toBe('Cookie');
  });
});
