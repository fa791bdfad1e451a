import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Fernet, WebFernet, generateFernetKey } from '../../src/runtime.js';

/** Both of our Fernets, behind one async face: node:crypto's (Node, Bun, Deno) and WebCrypto's (Workers, edge). */
const CIPHERS = [
  {
    name: 'Fernet (node:crypto)',
    make: (key: string) => {
      const fernet = new Fernet(key);
      return {
        encrypt: (data: Uint8Array) => Promise.resolve(fernet.encrypt(data)),
        decrypt: (token: string) => Promise.resolve(new Uint8Array(fernet.decrypt(token))),
      };
    },
  },
  { name: 'WebFernet (WebCrypto)', make: (key: string) => new WebFernet(key) },
] as const;

/**
 * Cross-check with PyCA cryptography, the Fernet the server and the Python client use, from Debian's
 * python3-cryptography (.ci/run installs it). Both ways, over 1,000 random messages of 0 to 64 KiB under
 * 10 keys. This suite is run by .ci/run, where the dependency is required: it fails rather than skips.
 */
const PYTHON = process.env.AUTHNZERVER_INTEROP_PYTHON ?? '/usr/bin/python3';
const MESSAGES = 1000;
const MAX_BYTES = 64 * 1024;

const SCRIPT = String.raw`
import base64, json, sys
from cryptography.fernet import Fernet
job = json.load(sys.stdin)
out = []
bad = 0
for item in job["items"]:
    f = Fernet(item["key"].encode())
    src = base64.b64decode(item["src"])
    if f.decrypt(item["token"].encode()) != src:
        bad += 1
    out.append(f.encrypt(src).decode())
json.dump({"bad": bad, "tokens": out, "version": __import__("cryptography").__version__}, sys.stdout)
`;

/** Deterministic pseudo-random bytes, so a failure can be replayed. */
function bytesFor(index: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let block = createHash('sha256').update(`message-${index}`).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at, 0, Math.min(block.length, size - at));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

describe.each(CIPHERS)('$name interoperability with PyCA cryptography', ({ name, make }) => {
  it(`agrees both ways on ${MESSAGES} random messages of 0 to 64 KiB`, async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import cryptography.fernet'], { encoding: 'utf8' });
    expect(probe.status, `${PYTHON} with python3-cryptography is required: ${probe.stderr}`).toBe(
      0,
    );

    const keys = Array.from({ length: 10 }, () => generateFernetKey());
    const sizes = Array.from(
      { length: MESSAGES },
      (_, i) =>
        // Cover the edges (empty, one block boundary either side, the maximum) and spread the rest.
        [0, 1, 15, 16, 17, MAX_BYTES][i] ??
        createHash('sha256').update(`size-${i}`).digest().readUInt32BE(0) % (MAX_BYTES + 1),
    );
    const messages = sizes.map((size, i) => bytesFor(i, size));
    const items = await Promise.all(
      messages.map(async (src, i) => {
        const key = keys[i % keys.length] as string;
        return { key, src: src.toString('base64'), token: await make(key).encrypt(src) };
      }),
    );

    const run = spawnSync(PYTHON, ['-c', SCRIPT], {
      input: JSON.stringify({ items }),
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { bad: number; tokens: string[]; version: string };
    console.info(
      `[interop] ${name} with PyCA cryptography ${result.version}: ${MESSAGES} messages, largest ${Math.max(...sizes)} bytes`,
    );

    // PyCA decrypted every token we made.
    expect(result.bad).toBe(0);
    // We decrypt every token PyCA made.
    expect(result.tokens).toHaveLength(MESSAGES);
    let mismatches = 0;
    for (const [i, token] of result.tokens.entries()) {
      const plaintext = await make(keys[i % keys.length] as string).decrypt(token);
      if (!Buffer.from(plaintext).equals(messages[i] as Buffer)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
