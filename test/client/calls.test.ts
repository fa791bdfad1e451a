import { describe, expect, it } from 'vitest';
import { ClientClosedError, RequestValidationError } from '../../src/runtime.js';
import { startProtocolServer } from '../../src/testing/protocol-server.js';
import { testHandler } from '../helpers/handlers.js';
import { runScript } from '../helpers/processes.js';
import { IP, TRANSPORTS, onProtocolServer } from '../helpers/transport-contract.js';

/**
 * The client's calls around the replies, over both transports against a protocol server on loopback: the checks
 * made before anything is sent, `close()`, many calls at once, and a script that ends on its own.
 */

describe.each(TRANSPORTS)('calls over %s', (_, transportOptions) => {
  const t = onProtocolServer(transportOptions);

  it('a body without client_ipaddr is an error before anything is sent', async () => {
    const hits = t.server.hits;
    await expect(t.client.request('test-ok', { thing: 1 } as never)).rejects.toThrow(
      RequestValidationError,
    );
    await expect(t.client.request('test-ok', { client_ipaddr: '' })).rejects.toThrow(
      /client_ipaddr/,
    );
    await expect(t.client.request('test-ok', null as never)).rejects.toThrow(/must be an object/);
    await expect(t.client.request('test-ok', [] as never)).rejects.toThrow(/must be an object/);
    expect(t.server.hits).toBe(hits);
  });

  it('a bad reqid is an error before anything is sent', async () => {
    const hits = t.server.hits;
    for (const reqid of [1.5, Number.NaN, '', 2 ** 60]) {
      await expect(t.client.request('test-ok', { client_ipaddr: IP }, reqid)).rejects.toThrow(
        /reqid/,
      );
    }
    expect(t.server.hits).toBe(hits);
  });

  it('a body that cannot be JSON is an error before anything is sent', async () => {
    const cyclic: Record<string, unknown> = { client_ipaddr: IP };
    cyclic.self = cyclic;
    await expect(t.client.request('test-ok', cyclic as never)).rejects.toThrow(/JSON/);
    await expect(t.client.request('test-ok', { client_ipaddr: IP, n: 1n })).rejects.toThrow(
      RequestValidationError,
    );
  });

  it('after close(), requests throw ClientClosedError; close() is idempotent', async () => {
    const closing = t.make();
    expect((await closing.request('test-ok', { client_ipaddr: IP })).success).toBe(true);
    await closing.close();
    await closing.close();
    await expect(closing.request('test-ok', { client_ipaddr: IP })).rejects.toThrow(
      ClientClosedError,
    );
  });

  it('many calls at once each get their own answer', async () => {
    const results = await Promise.all(
      // A generous deadline: what is tested is that each call gets its own answer, not how fast 200 are served.
      Array.from({ length: 200 }, (_, i) =>
        t.client.request('test-ok', { client_ipaddr: IP, i }, { reqid: i, timeout: 30_000 }),
      ),
    );
    results.forEach((result, i) => {
      expect(result.success).toBe(true);
      expect(result.reqid).toBe(i);
      expect(result.response).toEqual({ echo: { client_ipaddr: IP, i } });
    });
  });
});

describe('a script that uses the client', () => {
  it('ends on its own after close(), with no handle left open', async () => {
    const server = await startProtocolServer({ handler: testHandler });
    const script = `
      import { Authnzerver } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
      const client = new Authnzerver({ url: process.argv[1], secret: process.argv[2] });
      const results = await Promise.all([1, 2, 3].map((i) => client.request('test-ok', { client_ipaddr: '127.0.0.1', i })));
      await client.close();
      console.log(results.map((r) => r.success).join(','));
    `;
    const run = await runScript(script, [server.url, server.secret], { limitMs: 20_000 });
    await server.close();
    expect(run.stdout.trim(), run.stderr).toBe('true,true,true');
    expect(run.code).toBe(0);
  });
});
