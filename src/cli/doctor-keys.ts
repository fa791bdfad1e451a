/**
 * `doctor`'s check of each key of a `secret` list: which of them the server accepts, by position and short
 * fingerprint, never the key. Behind a load balancer half-way through a rotation the servers hold different keys,
 * so each key is sent a few times on its own: a key that some sends get accepted and others refused shows a
 * fleet split between keys.
 */
import type { AuthnzerverOptions } from '../client-options.js';
import { secretKeys } from '../config.js';
import { generateFernetKey } from '../crypto/fernet.js';
import { Authnzerver } from '../index.js';

/** How many harmless requests each key is sent with. */
export const PROBES_PER_KEY = 4;

/** What the server made of one key. */
export interface KeyVerdict {
  /** The key's position in `secret`'s list, from 1. */
  readonly position: number;
  readonly fingerprint: string;
  /** Sends the server decrypted and answered. */
  readonly accepted: number;
  /** Sends the server refused with its 401 (it could not decrypt them). */
  readonly refused: number;
  /** The failure of a send that was neither (`network: ...`), or null. */
  readonly other: string | null;
}

/** Sends each key of the client's `secret` on its own, `probes` times: a harmless `session-exists`. */
export async function probeKeys(
  options: AuthnzerverOptions,
  fingerprints: readonly string[],
  probes = PROBES_PER_KEY,
): Promise<KeyVerdict[]> {
  const keys = secretKeys(options);
  const verdicts: KeyVerdict[] = [];
  for (const [index, key] of keys.entries()) {
    // One key each, so that the client cannot fall back to another: each send tests this key alone.
    const client = new Authnzerver({ ...options, secret: key });
    let accepted = 0;
    let refused = 0;
    let other: string | null = null;
    try {
      for (let i = 0; i < probes; i++) {
        const result = await client.sessionExists({
          session_token: `doctor-${generateFernetKey().slice(0, 16)}`,
          client_ipaddr: '127.0.0.1',
        });
        if (result.failure === null || result.failure === 'rejected') accepted++;
        else if (result.failure === 'unauthorized') refused++;
        else other ??= `${result.failure}: ${result.failureReason}`;
      }
    } finally {
      await client.close();
    }
    verdicts.push({
      position: index + 1,
      fingerprint: fingerprints[index] ?? '?',
      accepted,
      refused,
      other,
    });
  }
  return verdicts;
}

/** The `keys` line of `doctor`: each key's verdict, and what it means for the rotation. */
export function describeKeys(verdicts: readonly KeyVerdict[]): {
  readonly ok: boolean | null;
  readonly label: string;
  readonly detail: string;
} {
  const each = verdicts.map((v) => {
    const sends = v.accepted + v.refused;
    const what =
      v.accepted === sends && sends > 0
        ? 'accepted'
        : v.refused === sends && sends > 0
          ? 'refused (HTTP 401)'
          : sends > 0
            ? `accepted by ${v.accepted} of ${sends} sends, refused by ${v.refused}`
            : 'no answer';
    return `key ${v.position} (${v.fingerprint}) ${what}${v.other === null ? '' : ` [${v.other}]`}`;
  });
  const everywhere = verdicts.find((v) => v.refused === 0 && v.accepted > 0);
  const split = verdicts.some((v) => v.accepted > 0 && v.refused > 0);
  let note = '';
  if (split)
    note = '; the servers behind this address hold different keys (a rotation in progress)';
  else if (everywhere !== undefined && everywhere.position !== 1)
    note = `; the servers use key ${everywhere.position}: put it first in the list`;
  else if (everywhere === undefined) note = '; the servers accept none of these keys';
  return {
    ok: everywhere === undefined ? (split ? null : false) : true,
    label: 'keys',
    detail: `${each.join(', ')}${note}`,
  };
}
