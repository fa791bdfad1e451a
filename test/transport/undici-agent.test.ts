import { Agent as IndexAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { undiciAgent } from '../../src/transport/agent.js';
import { UndiciDispatchTransport } from '../../src/transport/undici.js';

describe("the undici transport's Agent", () => {
  it("is undici's own Agent, loaded without undici's index, and loaded once", () => {
    expect(undiciAgent()).toBe(IndexAgent);
    expect(undiciAgent()).toBe(undiciAgent());
  });

  it('a transport closed before its first send (so before it made its Agent) refuses the send as a closed Agent does (a failure, never a throw), and opens nothing', async () => {
    const transport = new UndiciDispatchTransport({
      connectTimeout: 1000,
      keepAliveTimeout: 1000,
      connections: 1,
    });
    await transport.close();
    const outcome = await transport.send({
      url: new URL('http://127.0.0.1:9/'),
      body: 'x',
      cancel: { aborted: false, onAbort: undefined },
      maxResponseBytes: 1024,
    });
    expect(outcome).toMatchObject({
      ok: false,
      failure: { code: 'UND_ERR_CLOSED', gotHeaders: false },
    });
    await transport.close();
  });
});
