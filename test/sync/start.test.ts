import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { createTestServer } from '../../src/testing/index.js';
import { WRITE_BODY } from '../helpers/catalogue-handler.js';
import { runScript } from '../helpers/processes.js';
import { startServerThread } from '../helpers/server-thread.js';

/**
 * The sync API's worker thread at its start: the call's deadline covers the start, and the worker starts
 * whatever the main script was run with.
 */

describe('the sync worker at its start', () => {
  it('the deadline covers the start: a send the worker had not taken is reported not sent, and never sent', async () => {
    const server = await startServerThread();
    try {
      const client = new Authnzerver({ url: server.url, secret: server.secret });
      const started = Date.now();
      // A cold worker (this runs from the sources, through tsx) takes far longer than 30 ms to start.
      const result = client.sync.sessionNew(WRITE_BODY, { timeout: 30, reqid: 'cold-start' });
      const elapsed = Date.now() - started;
      await client.close();
      // The main thread gives up at the deadline and a short grace, whatever the worker does.
      expect(elapsed).toBeLessThan(30 + 100 + 1500);
      if (!result.success) {
        expect(result.failure).toBe('timeout');
        // The reason names the real deadline, never "0 ms".
        expect(result.failureReason).toMatch(/deadline of 30 ms/);
      }
      if (result.failure === 'timeout' && result.delivery === 'not-sent') {
        // Not sent: either the worker had not taken it by the deadline, or it took it after the deadline had
        // passed and refused to send it (a busy machine can start the worker just late enough for that).
        expect(result.failureReason).toMatch(
          /before (the sync worker took it|the request was sent)/,
        );
        server.idle();
        expect(server.counts().received.filter((r) => r.reqid === 'cold-start')).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });

  it('works in a script run with `node --input-type=module -e` (whose options a worker refuses)', async () => {
    const server = await createTestServer();
    try {
      const script = `
        const { Authnzerver } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
        const client = new Authnzerver({ url: process.env.URL, secret: process.env.SECRET });
        const result = client.sync.sessionNew(${JSON.stringify(WRITE_BODY)}, { timeout: 60000 });
        process.stdout.write(JSON.stringify([result.success, result.failure, result.failureReason]));
        await client.close();`;
      const run = await runScript(script, [], {
        env: { ...process.env, URL: server.url, SECRET: server.secret },
        limitMs: 120_000,
      });
      expect(run.stdout, run.stderr).toBe('[true,null,null]');
      expect(run.code).toBe(0);
    } finally {
      await server.close();
    }
  }, 180_000);
});
