import { describe, expect, it } from 'vitest';
import { callSteps } from '../../src/core/call.js';
import { driveAsync } from '../../src/transport/drive.js';
import { replyEnvelope } from '../../src/core/envelope.js';
import { prepareCall } from '../../src/core/request.js';
import type { Transport, TransportOutcome, TransportRequest } from '../../src/transport/types.js';
import { decodeWire, encodeWire, encodeWireText, type Codec } from '../../src/crypto/wire.js';
import { CONFIG, READ, READ_BODY, actionFor, fernet } from '../helpers/call-harness.js';

/**
 * The async driver with an asynchronous cipher (as WebCrypto is) and an in-memory transport: the core's
 * `seal` and `open` steps may be awaited, and the wire text the transport gets is what the cipher made.
 */

/** A server in memory: opens the request, answers the test handler's success reply. */
class EchoTransport implements Transport {
  readonly name = 'memory';
  readonly bodies: string[] = [];
  send(request: TransportRequest): Promise<TransportOutcome> {
    this.bodies.push(request.body);
    const envelope = decodeWire(fernet, request.body) as { request: string; reqid: string };
    const action = actionFor(envelope.request);
    const body = encodeWire(fernet, replyEnvelope(action, envelope.reqid));
    return Promise.resolve({ ok: true, response: { status: 200, headers: {}, body } });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const asyncCodec: Codec = {
  seal: (plaintext) => Promise.resolve(encodeWireText(fernet, plaintext)),
  open: (body) => Promise.resolve().then(() => decodeWire(fernet, body)),
};

function steps() {
  const call = prepareCall(CONFIG, READ.spec, READ.type, READ_BODY, undefined, {
    newReqid: () => 'async-1',
    date: () => Date.now(),
  });
  return callSteps(CONFIG, call, {
    now: () => performance.now(),
    date: () => Date.now(),
    random: () => 0.5,
    observer: undefined,
  });
}

describe('the async driver', () => {
  it('awaits an asynchronous cipher for sealing and opening', async () => {
    const transport = new EchoTransport();
    const result = await driveAsync(steps(), { transport, codec: asyncCodec, signal: undefined });
    expect([result.success, result.reqid]).toEqual([true, 'async-1']);
    expect(transport.bodies).toHaveLength(1);
  });

  it("turns a cipher's rejection into a `decrypt` failure", async () => {
    const codec: Codec = {
      seal: asyncCodec.seal,
      open: () => Promise.reject(new Error('not this key')),
    };
    const result = await driveAsync(steps(), {
      transport: new EchoTransport(),
      codec,
      signal: undefined,
    });
    // An error that is not a Fernet token error means the plaintext was not JSON.
    expect(result.failure).toBe('invalid-response');
  });
});
