import { describe, expect, it } from 'vitest';
import { schemas, specs } from '../src/index.js';
import { once, lazily } from '../src/core/schema-builders.js';
import { createTestServer } from '../src/testing/index.js';
import { READ_BODY } from './helpers/catalogue-handler.js';
import { runScript } from './helpers/processes.js';

/**
 * What the client defers to first use, so that importing it is cheap: each request type's zod schemas (built by
 * its first call) and undici's Agent (loaded by the first send). The checks that need a fresh process run in a
 * child process: this one has loaded both already.
 */

describe('schemas built on first use', () => {
  it('once: builds on the first call only, and returns the same value after', () => {
    let builds = 0;
    const get = once(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });

  it('lazily: builds nothing at first, each property on its first read, once; keys enumerable, in order, read-only', () => {
    const built: string[] = [];
    const map = lazily({
      b: () => (built.push('b'), { name: 'b' }),
      a: () => (built.push('a'), { name: 'a' }),
    });
    expect(built).toEqual([]);
    expect(Object.keys(map)).toEqual(['b', 'a']);
    expect(built).toEqual([]);
    const a = map.a;
    expect(built).toEqual(['a']);
    expect(map.a).toBe(a);
    expect(built).toEqual(['a']);
    expect(Object.getOwnPropertyDescriptor(map, 'a')).toMatchObject({ value: a, writable: false });
    expect(Object.keys(Object.getOwnPropertyDescriptor(map, 'b') ?? {})).toContain('get');
    expect(() => {
      (map as { a: unknown }).a = {};
    }).toThrow(TypeError);
  });

  it("every spec reads its request type's schemas, the same objects on every read", () => {
    for (const [type, spec] of Object.entries(specs)) {
      const group = schemas[type as keyof typeof schemas];
      expect(spec.body, type).toBe(group.body);
      expect(spec.success, type).toBe(group.success);
      expect(spec.failure, type).toBe(group.failure);
      expect(spec.body, type).toBe(spec.body);
    }
  });
});

describe('in a fresh process', () => {
  it('importing the client and making one builds no schema and loads neither undici nor ky; a call builds its own type only and loads the Agent of undici, never ky; validation still names the field', async () => {
    const server = await createTestServer();
    try {
      // Which packages the process has loaded: every script V8 parsed, reported by the inspector.
      const script = `
        const { Session } = await import('node:inspector/promises');
        const session = new Session();
        session.connect();
        const loaded = new Set();
        session.on('Debugger.scriptParsed', ({ params }) => {
          const match = /node_modules\\/(ky|undici)\\//.exec(params.url);
          if (match) loaded.add(match[1]);
        });
        await session.post('Debugger.enable');
        const { Authnzerver, RequestValidationError, schemas } = await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});
        const state = () => ({
          built: Object.keys(schemas).filter((k) => 'value' in Object.getOwnPropertyDescriptor(schemas, k)),
          undici: loaded.has('undici'),
          ky: loaded.has('ky'),
        });
        const steps = {};
        const client = new Authnzerver({ url: process.env.URL, secret: process.env.SECRET });
        steps.constructed = state();
        const result = await client.sessionExists(${JSON.stringify(READ_BODY)}, { timeout: 60000 });
        steps.called = { ...state(), answered: result.failure === null || result.failure === 'rejected' };
        const error = await client.userNew({ email: 'a@example.com', password: 'x', full_name: 7, client_ipaddr: '203.0.113.9' }).catch((e) => e);
        steps.invalid = { ...state(), validation: RequestValidationError.is(error), issues: error.issues };
        await client.close();
        session.disconnect();
        process.stdout.write(JSON.stringify(steps));`;
      const run = await runScript(script, [], {
        env: { ...process.env, URL: server.url, SECRET: server.secret },
        limitMs: 120_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const steps = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
      expect(steps.constructed).toEqual({ built: [], undici: false, ky: false });
      // The default transport on Node is undici's: its Agent is loaded by the first send; ky never is.
      expect(steps.called).toEqual({
        built: ['session-exists'],
        undici: true,
        ky: false,
        answered: true,
      });
      expect(steps.invalid).toEqual({
        built: ['session-exists', 'user-new'],
        undici: true,
        ky: false,
        validation: true,
        issues: [
          { path: ['full_name'], message: 'Invalid input: expected string, received number' },
        ],
      });
    } finally {
      await server.close();
    }
  }, 180_000);
});
