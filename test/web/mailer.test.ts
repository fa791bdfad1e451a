/** `src/web/mailer.ts`: the in-memory outbox for tests and the console mailer for development. */
import { describe, expect, it } from 'vitest';
import { consoleMailer, memoryMailer } from '../../src/web/mailer.js';

describe('memoryMailer', () => {
  it('keeps every message in order, and finds the last one to an address in any case', async () => {
    const mailer = memoryMailer();
    expect(mailer.lastTo('ada@example.com')).toBeUndefined();
    await mailer.send({ to: 'Ada@Example.com', subject: 'one', text: '1' });
    await mailer.send({ to: 'grace@example.com', subject: 'two', text: '2' });
    await mailer.send({ to: 'ada@example.com', subject: 'three', text: '3', link: 'https://x/' });
    await mailer.send({ to: 'grace@example.com', subject: 'four', text: '4' });
    expect(mailer.outbox.map((m) => m.subject)).toEqual(['one', 'two', 'three', 'four']);
    expect(mailer.lastTo('ADA@example.com')?.subject).toBe('three');
    expect(mailer.lastTo('grace@example.com')?.subject).toBe('four');
    expect(mailer.lastTo('eve@example.com')).toBeUndefined();
  });
});

describe('consoleMailer', () => {
  it('writes the whole message, link included, to what it is given', async () => {
    const lines: string[] = [];
    await consoleMailer((text) => lines.push(text)).send({
      to: 'ada@example.com',
      subject: 'Verify',
      text: 'Open https://app.test/verify-email?token=abc',
    });
    expect(lines).toEqual([
      '--- email to ada@example.com: Verify\nOpen https://app.test/verify-email?token=abc\n---',
    ]);
  });
});
