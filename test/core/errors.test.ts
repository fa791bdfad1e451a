import { describe, expect, it } from 'vitest';
import * as one from '../../src/core/errors.js';

/**
 * The error classes' brand: an error of another copy of src/core/errors.ts (as the ES module and CommonJS builds are
 * when an app loads both: test/package/cjs.test.ts checks the real builds) is `instanceof` and `is()` its class
 * and the base, and no other class; a subclass of an app keeps plain `instanceof`.
 */

// A second instance of the same module: vite keys modules by their URL, query included. (A string, not a literal:
// TypeScript resolves no query.)
const copy: string = '../../src/core/errors.js?another-copy';
const other = (await import(/* @vite-ignore */ copy)) as typeof one;

type Module = typeof one;
/** One error of each class of `m`, made as the package makes them. */
const samples = (m: Module) => ({
  AuthnzerverError: new m.AuthnzerverError('base'),
  ConfigError: new m.ConfigError('bad url', { option: 'url', envVar: 'AUTHNZERVER_URL' }),
  RequestValidationError: new m.RequestValidationError('session-exists', [
    { path: ['session_token'], message: 'expected string' },
  ]),
  FernetKeyError: new m.FernetKeyError('bad key'),
  FernetTokenError: new m.FernetTokenError('signature', 'bad signature'),
  ClientClosedError: new m.ClientClosedError(),
});
type Name = keyof ReturnType<typeof samples>;
const classesOf = (m: Module) => m as unknown as Record<Name, typeof one.AuthnzerverError>;

const NAMES = Object.keys(samples(one)) as Name[];

describe('the error classes across two copies of the module', () => {
  it('are two copies', () => {
    expect(other.ConfigError).not.toBe(one.ConfigError);
  });

  it('every error class of the module has a sample here, and its own `is()`', () => {
    const classes = Object.entries(one)
      .filter(
        ([, value]) =>
          value === one.AuthnzerverError ||
          (typeof value === 'function' && value.prototype instanceof one.AuthnzerverError),
      )
      .map(([name]) => name);
    expect(classes.sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(Object.hasOwn(one[name], 'is'), name).toBe(true);
  });

  it.each([
    ['one', one, other],
    ['the other', other, one],
  ] as const)(
    'an error of %s copy is `instanceof` and `is()` its class and the base of both, and no other',
    (_which, from, to) => {
      for (const [name, error] of Object.entries(samples(from)) as [Name, Error][]) {
        for (const m of [from, to]) {
          const matches = NAMES.filter((cls) => error instanceof classesOf(m)[cls]);
          const is = NAMES.filter((cls) => classesOf(m)[cls].is(error));
          const expected = name === 'AuthnzerverError' ? [name] : ['AuthnzerverError', name];
          expect(matches.sort(), name).toEqual(expected.sort());
          expect(is.sort(), name).toEqual(expected.sort());
        }
      }
    },
  );

  it('a plain Error, or a look-alike without the brand, is not one of them', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'ConfigError' });
    for (const cls of NAMES) {
      expect(new Error('x') instanceof classesOf(other)[cls]).toBe(false);
      expect(lookAlike instanceof classesOf(other)[cls]).toBe(false);
    }
  });

  it('a subclass of an app keeps plain `instanceof`', () => {
    class AppConfigError extends one.ConfigError {}
    const mine = new AppConfigError('mine', { option: 'url' });
    expect(mine instanceof AppConfigError).toBe(true);
    expect(mine instanceof other.ConfigError).toBe(true);
    expect(new other.ConfigError('theirs', { option: 'url' }) instanceof AppConfigError).toBe(
      false,
    );
    expect(new one.ConfigError('base class', { option: 'url' }) instanceof AppConfigError).toBe(
      false,
    );
  });

  it('narrows in TypeScript as plain `instanceof` does', () => {
    const error: unknown = new other.ConfigError('bad', { option: 'url' });
    if (!(error instanceof one.ConfigError)) throw new Error('not a ConfigError');
    const option: string = error.option;
    expect(option).toBe('url');
  });
});
