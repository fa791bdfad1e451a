/**
 * The example web app's account pages over real HTTP on the embedded in-memory authnzerver (Express; the browser
 * journeys walk every framework): the forgotten-password page answers alike for an unknown and a registered
 * address, and the password check gives the server's policy as JSON.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryMailer } from 'authnzerver/web';
import { createApp, type WebExample } from '../../examples/web/app.js';

let app: WebExample | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A same-origin form post. */
function post(a: WebExample, path: string, form: Record<string, string>) {
  return fetch(`${a.origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: a.origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('the example app’s account pages', () => {
  it('the forgotten-password page answers alike, and mails only the registered address', async () => {
    const mailer = memoryMailer();
    const a = (app = await createApp({ mailer, warn: () => undefined }));
    a.embedded?.authnzerver.addUser({
      email: 'ada@example.com',
      password: 'Quartz-Lantern-0a1b-7',
    });
    const unknown = await post(a, '/forgot-password', { email: 'nobody@example.com' });
    const known = await post(a, '/forgot-password', { email: 'ada@example.com' });
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toBe(await known.text());
    await expect
      .poll(() => mailer.outbox.map((m) => `${m.to} ${m.purpose ?? ''}`), { timeout: 10_000 })
      .toEqual(['ada@example.com password-reset']);
  });

  it('the password check gives the server policy as JSON', async () => {
    const a = (app = await createApp({ mailer: memoryMailer(), warn: () => undefined }));
    const weak = await post(a, '/password-check', { password: 'abc' });
    expect(weak.status).toBe(200);
    const body = (await weak.json()) as { valid: boolean; messages: string[] };
    expect(body.valid).toBe(false);
    expect(body.messages.length).toBeGreaterThan(0);
    const strong = await post(a, '/password-check', { password: 'Quartz-Lantern-0a1b-7' });
    expect(((await strong.json()) as { valid: boolean }).valid).toBe(true);
    const missing = await post(a, '/password-check', {});
    expect(missing.status).toBe(400);
  });
});
