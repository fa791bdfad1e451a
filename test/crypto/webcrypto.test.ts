/**
 * Fernet on WebCrypto (the cipher of Cloudflare Workers, edge functions and any runtime without node:crypto)
 * against Fernet on node:crypto, both ways, and the wire format over the web platform's asynchronous cipher on
 * the real server's bytes. The vectors (PyCA's, the specification's) run against both ciphers in
 * test/fernet.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fernetKeyBytes } from '../../src/crypto/fernet-format.js';
import { Fernet, FernetTokenError, WebFernet, generateFernetKey } from '../../src/runtime.js';
import { platform as nodePlatform } from '../../src/platform/node.js';
import { platform as webPlatform } from '../../src/platform/web.js';
import { openWire, sealWire } from '../../src/crypto/wire.js';
import { wireExchanges } from '../helpers/fixtures.js';

const arbitraryKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('base64url') + '=');
const arbitraryText = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 2000 });
const arbitraryIv = fc.uint8Array({ minLength: 16, maxLength: 16 });
const arbitraryTime = fc.integer({ min: 0, max: 2 ** 40 });
const utf8 = new TextDecoder();

describe('WebFernet and Fernet agree, both ways', () => {
  it('with the same time and IV, they make the same token', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryKey,
        arbitraryText,
        arbitraryIv,
        arbitraryTime,
        async (key, text, iv, now) => {
          const ours = await new WebFernet(key).encrypt(text, { now, iv });
          expect(ours).toBe(new Fernet(key).encrypt(text, { now, iv }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('WebFernet decrypts the tokens Fernet makes, with random IVs', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryKey, arbitraryText, async (key, text) => {
        const token = new Fernet(key).encrypt(text);
        expect(utf8.decode(await new WebFernet(key).decrypt(token))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('Fernet decrypts the tokens WebFernet makes, with random IVs', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryKey, arbitraryText, async (key, text) => {
        const token = await new WebFernet(key).encrypt(text);
        expect(new Fernet(key).decrypt(token).toString('utf8')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('each refuses the other\u2019s tokens under another key, as a signature problem', async () => {
    const [a, b] = [generateFernetKey(), generateFernetKey()];
    const fromWeb = await new WebFernet(a).encrypt('x');
    expect(() => new Fernet(b).decrypt(fromWeb)).toThrow(
      expect.objectContaining({ problem: 'signature' }),
    );
    await expect(new WebFernet(b).decrypt(new Fernet(a).encrypt('x'))).rejects.toMatchObject({
      name: 'FernetTokenError',
      problem: 'signature',
    });
  });
});

describe("the wire format over the web platform's cipher, on the real server's bytes", () => {
  const wire = wireExchanges();
  const raw = fernetKeyBytes(wire.secret);
  const web = webPlatform.cipher(raw);
  const node = nodePlatform.cipher(raw);

  it('the web cipher is asynchronous, the Node one synchronous', () => {
    const sealed = web.encrypt('{}');
    expect(sealed).toBeInstanceOf(Promise);
    expect(typeof node.encrypt('{}')).toBe('string');
    return sealed;
  });

  it.each(wire.exchanges.map((e) => [e.label, e] as const))('%s', async (_, exchange) => {
    if (exchange.request_envelope !== null) {
      expect(await openWire(web, exchange.request_http_body)).toEqual(exchange.request_envelope);
    } else {
      await expect(openWire(web, exchange.request_http_body)).rejects.toThrow(FernetTokenError);
    }
    if (exchange.status_code === 200) {
      expect(await openWire(web, exchange.response_http_body)).toEqual(exchange.response_decrypted);
    }
  });

  it('what the web cipher seals, the Node one opens, and the other way round', async () => {
    for (const exchange of wire.exchanges.filter((e) => e.request_envelope !== null)) {
      const json = JSON.stringify(exchange.request_envelope);
      const fromWeb = await sealWire(web, json);
      expect(fromWeb).toMatch(/^[A-Za-z0-9]+={0,2}$/);
      expect(openWire(node, fromWeb)).toEqual(exchange.request_envelope);
      expect(await openWire(web, sealWire(node, json) as string)).toEqual(
        exchange.request_envelope,
      );
    }
  });

  it('a body that is not base64 is a malformed token, for both ciphers', () => {
    const body = 'HTTP 500: Could not service this request.';
    expect(() => openWire(node, body)).toThrow(expect.objectContaining({ problem: 'malformed' }));
    // The web cipher refuses it before any WebCrypto call: at once, as a throw.
    expect(() => openWire(web, body)).toThrow(expect.objectContaining({ problem: 'malformed' }));
  });
});
