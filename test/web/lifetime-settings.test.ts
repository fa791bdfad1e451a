/**
 * `src/web/lifetime-settings.ts`: the session lifetime policy's options read once, with the documented defaults;
 * each malformed one is a `ConfigError` naming it, a misspelt key one with "did you mean".
 */
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { ConfigError } from '../../src/core/errors.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { resolveWebSettings } from '../../src/web/settings.js';
import type { SessionLifetimes } from '../../src/web/index.js';

const client = new Authnzerver({ url: 'http://127.0.0.1:9/', secret: generateFernetKey() });

function lifetimeOf(sessions?: SessionLifetimes) {
  return resolveWebSettings({ client, ...(sessions === undefined ? {} : { sessions }) });
}

function messageOf(sessions: unknown): string {
  try {
    lifetimeOf(sessions as SessionLifetimes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('accepted');
}

describe('session lifetime settings', () => {
  it('have the documented defaults: 12 h, 30 min idle, 60 s touch, remember 30 days / 7 days idle, no rotation', () => {
    const s = lifetimeOf();
    expect(s.userSeconds).toBe(12 * 3600);
    expect(s.lifetime).toEqual({
      idleSeconds: 30 * 60,
      touchSeconds: 60,
      remember: { seconds: 30 * 86_400, idleSeconds: 7 * 86_400 },
      rotation: null,
      graceSeconds: 30,
      maxDataBytes: 4096,
    });
    expect(Object.isFrozen(s.lifetime)).toBe(true);
    expect(lifetimeOf({ rotation: {} }).lifetime.rotation).toEqual({
      after: 0.5,
      graceSeconds: 30,
    });
    expect(lifetimeOf({ rememberMe: false, idleSeconds: false }).lifetime).toMatchObject({
      remember: null,
      idleSeconds: null,
    });
  });

  it.each([
    [{ idleSecond: 60 }, 'did you mean `sessions.idleSeconds`?'],
    [{ rememberMe: { second: 60 } }, 'did you mean `sessions.rememberMe.seconds`?'],
    [{ rotation: { grace: 5 } }, 'sessions.rotation.grace'],
    [{ idleSeconds: 0 }, 'sessions.idleSeconds: must be a number of seconds > 0'],
    [{ idleSeconds: true }, 'sessions.idleSeconds'],
    [{ touchSeconds: 1800 }, 'sessions.touchSeconds: must be shorter than sessions.idleSeconds'],
    [
      { rememberMe: { idleSeconds: 30 }, touchSeconds: 30, idleSeconds: 600 },
      'must be shorter than sessions.rememberMe.idleSeconds',
    ],
    [{ rememberMe: true }, 'sessions.rememberMe'],
    [{ rotation: true }, 'sessions.rotation'],
    [{ rotation: { after: 1 } }, 'sessions.rotation.after: must be a fraction between 0 and 1'],
    [{ rotation: { graceSeconds: -1 } }, 'sessions.rotation.graceSeconds'],
    [{ maxDataBytes: 1.5 }, 'sessions.maxDataBytes'],
  ])('refuses %j, naming the option', (sessions, message) => {
    expect(messageOf(sessions)).toContain(message);
  });
});
