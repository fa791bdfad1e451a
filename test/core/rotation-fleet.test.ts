import { describe, expect, it } from 'vitest';
import { callSteps, type CallServices } from '../../src/core/call.js';
import { KEY_REFUSAL_BODY, KEY_ROUNDS, keyRing, type KeyRing } from '../../src/core/keys.js';
import { prepareCall } from '../../src/core/request.js';
import type { Opened, Sent } from '../../src/core/steps.js';
import { decodeWire } from '../../src/crypto/wire.js';
import {
  CONFIG,
  READ,
  READ_BODY,
  REQID,
  fernet,
  status,
  success,
} from '../helpers/call-harness.js';

/**
 * The key rule of secret rotation (keys.ts) measured in the sans-IO core against a script of three upstreams
 * behind a simulated load balancer (round robin, and random with a seed), through a rolling change: 0, 1, 2 and
 * 3 of the 3 upstreams on the new key. The client holds [old, new] (step 2 of docs/deployment.md's rolling
 * switch). Each figure is the extra sends per call (refused sends, each sent again). Everything is seeded: the
 * same run gives the same counts.
 *
 * The same script also runs two reference models written here: the previous rule ("the key that last worked",
 * then each other key once, then keys at random, up to 16 refused sends per key), which the fleet run of issue 24
 * measured at 75–83 % extra round trips, and "always the majority's key", the floor no rule that cannot predict
 * the balancer goes below. The assertion that the core's rule meets is shown to fail on the previous rule.
 */

const OLD = 0;
const NEW = 1;
const UPSTREAMS = 3;
const CALLS = 1500;

/** A seeded generator of numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Routing = 'round-robin' | 'random';

/**
 * A load balancer over three upstreams: the first `onNew` hold the new key, the others the old one. Each send
 * reaches the next upstream in turn, or one drawn with the seeded generator. It answers whether the upstream
 * decrypted the send (a server holds one key).
 */
function balancer(
  routing: Routing,
  seed: number,
): { send: (key: number) => boolean; onNew: number } {
  const random = seeded(seed);
  let turn = 0;
  const fleet = {
    onNew: 0,
    send(key: number): boolean {
      const upstream =
        routing === 'round-robin' ? turn++ % UPSTREAMS : Math.floor(random() * UPSTREAMS);
      return key === (upstream < fleet.onNew ? NEW : OLD);
    },
  };
  return fleet;
}

/** One call under a rule: how many sends it made, and whether one was accepted. */
interface CallCount {
  readonly sends: number;
  readonly ok: boolean;
}

/** A client's rule for choosing keys, driven call by call against the balancer's `send`. */
interface Rule {
  call(send: (key: number) => boolean): CallCount;
}

/** The core's rule: `callSteps` itself, with a ring of two keys, a seeded `random`, and a clock only sends move. */
function coreRule(seed: number): Rule & { readonly ring: KeyRing } {
  const ring = keyRing(2);
  const random = seeded(seed);
  let clock = 0;
  const services: CallServices = {
    now: () => clock,
    date: () => Date.UTC(2026, 0, 1) + clock,
    random,
    observer: undefined,
    keys: ring,
  };
  const accepted = success();
  const refused = status(401, KEY_REFUSAL_BODY);
  const opened: Opened = {
    ok: true,
    value: decodeWire(fernet, accepted.ok ? accepted.response.body : ''),
  };
  const prepared = prepareCall(
    CONFIG,
    READ.spec,
    READ.type,
    READ_BODY,
    { reqid: REQID },
    {
      newReqid: () => REQID,
      date: services.date,
    },
  );
  return {
    ring,
    call(send) {
      const steps = callSteps(CONFIG, prepared, services);
      let sends = 0;
      let next = steps.next();
      while (next.done !== true) {
        const step = next.value;
        if (step.kind === 'seal') next = steps.next(`sealed with key ${step.key}`);
        else if (step.kind === 'send') {
          sends++;
          clock += 1;
          const key = Number(step.request.wire.slice('sealed with key '.length));
          const outcome = send(key) ? accepted : refused;
          next = steps.next({ outcome, expired: null } satisfies Sent);
        } else if (step.kind === 'open') next = steps.next(opened);
        else throw new Error(`a key switch does not pause (step ${step.kind})`);
      }
      return { sends, ok: next.value.success };
    },
  };
}

/**
 * The previous rule, as a reference model: start with the key that last worked; after a refusal, each other key
 * once in the list's order, then keys at random, up to 16 refused sends per key.
 */
function previousRule(seed: number): Rule {
  const random = seeded(seed);
  let current = 0;
  return {
    call(send) {
      let key = current;
      const tried = new Set([key]);
      for (let sends = 1; ; sends++) {
        if (send(key)) {
          current = key;
          return { sends, ok: true };
        }
        if (sends >= 2 * 16) return { sends, ok: false };
        const untried = [OLD, NEW].find((other) => !tried.has(other));
        key = untried ?? Math.min(1, Math.floor(random() * 2));
        tried.add(key);
      }
    },
  };
}

/** The floor: every send sealed with the key most upstreams hold (known to this model, not to a client). */
function majorityRule(fleet: { onNew: number }): Rule {
  return {
    call(send) {
      const key = fleet.onNew * 2 > UPSTREAMS ? NEW : OLD;
      for (let sends = 1; ; sends++) if (send(key)) return { sends, ok: true };
    },
  };
}

/** What one step of the rolling change cost. */
interface StepCost {
  /** Extra sends per call. */
  readonly extra: number;
  /** The share of calls that had at least one send refused. */
  readonly refusedCalls: number;
  /** The most sends one call made. */
  readonly maxSends: number;
  readonly failed: number;
}

/** Runs `CALLS` calls at each step of the rolling change (0/3 … 3/3), with one client's memory throughout. */
function rollingChange(
  routing: Routing,
  seed: number,
  makeRule: (fleet: { onNew: number }) => Rule,
): StepCost[] {
  const fleet = balancer(routing, seed);
  const rule = makeRule(fleet);
  const costs: StepCost[] = [];
  for (let onNew = 0; onNew <= UPSTREAMS; onNew++) {
    fleet.onNew = onNew;
    let extra = 0;
    let refusedCalls = 0;
    let maxSends = 0;
    let failed = 0;
    for (let call = 0; call < CALLS; call++) {
      const { sends, ok } = rule.call((key) => fleet.send(key));
      extra += sends - 1;
      if (sends > 1) refusedCalls++;
      maxSends = Math.max(maxSends, sends);
      if (!ok) failed++;
    }
    costs.push({ extra: extra / CALLS, refusedCalls: refusedCalls / CALLS, maxSends, failed });
  }
  return costs;
}

/** The most sends one call may make with two keys (keys.ts): `KEY_ROUNDS` per key. */
const SEND_BOUND = 2 * KEY_ROUNDS;

/**
 * The assertion on a split fleet (1/3 and 2/3), against the floor on the same script: extra sends per call at
 * most 15 points over the floor's (measured: 1 to 8 over it; the previous rule, 29 to 181 over it), the share of
 * calls refused at least once at most 10 points over the floor's (a third with random routing, the share of
 * upstreams on the minority key; a half with a strict round robin), no call over the bound, none failed.
 */
function nearTheFloor(cost: StepCost, floor: StepCost): boolean {
  return (
    cost.extra <= floor.extra + 0.15 &&
    cost.refusedCalls <= floor.refusedCalls + 0.1 &&
    cost.maxSends <= SEND_BOUND &&
    cost.failed === 0
  );
}

const percent = (share: number): string => `${Math.round(share * 100)} %`;

describe('a rolling key change over three upstreams behind a load balancer', () => {
  const runs = (['round-robin', 'random'] as const).flatMap((routing) =>
    [1, 2, 3].map((seed) => ({ routing, seed })),
  );

  it.each(runs)(
    '$routing, seed $seed: near the floor while the fleet is split, within the bound, nothing failed',
    ({ routing, seed }) => {
      const core = rollingChange(routing, seed, () => coreRule(seed));
      const floor = rollingChange(routing, seed, (fleet) => majorityRule(fleet));
      const previous = rollingChange(routing, seed, () => previousRule(seed));
      console.log(
        `${routing}, seed ${seed}: extra sends per call at 0/3, 1/3, 2/3, 3/3 — ` +
          `core ${core.map((c) => percent(c.extra)).join(', ')} (calls refused at least once: ${core.map((c) => percent(c.refusedCalls)).join(', ')}) (at most ${Math.max(...core.map((c) => c.maxSends))} sends); ` +
          `previous rule ${previous.map((c) => percent(c.extra)).join(', ')} (${previous.map((c) => percent(c.refusedCalls)).join(', ')}) (at most ${Math.max(...previous.map((c) => c.maxSends))}); ` +
          `floor ${floor.map((c) => percent(c.extra)).join(', ')}`,
      );
      // Before and after the change, nothing is refused, or almost nothing: the switch itself costs a few sends.
      expect(core[0]).toEqual({ extra: 0, refusedCalls: 0, maxSends: 1, failed: 0 });
      expect(core[3]?.extra).toBeLessThan(0.01);
      expect(core[3]?.failed).toBe(0);
      for (const split of [1, 2]) {
        expect(
          nearTheFloor(core[split] as StepCost, floor[split] as StepCost),
          `at ${split}/3`,
        ).toBe(true);
        // The same assertion fails on the previous rule: the test can tell the rules apart.
        expect(
          nearTheFloor(previous[split] as StepCost, floor[split] as StepCost),
          `previous rule at ${split}/3`,
        ).toBe(false);
      }
    },
  );

  it('the floor is a third of the calls refused once: half an extra send per call', () => {
    const floor = rollingChange('random', 1, (fleet) => majorityRule(fleet));
    // A send with the majority's key is refused one time in three, and so is each send after it.
    expect(floor[1]?.refusedCalls).toBeCloseTo(1 / 3, 1);
    expect(floor[1]?.extra).toBeCloseTo(0.5, 1);
  });
});
