/**
 * Mailers for the web core: an in-memory outbox for tests, and the console for development. An app's own mailer
 * is any object with `send(message)`.
 */
import type { Mailer, MailMessage } from './options.js';

/** A mailer that keeps every message, for tests. */
export interface MemoryMailer extends Mailer {
  /** Every message sent, oldest first. */
  readonly outbox: MailMessage[];
  /** The last message sent to this address, or undefined. */
  lastTo(address: string): MailMessage | undefined;
}

/** Makes a {@link MemoryMailer}. */
export function memoryMailer(): MemoryMailer {
  const outbox: MailMessage[] = [];
  return {
    outbox,
    send(message) {
      outbox.push(message);
      return Promise.resolve();
    },
    lastTo(address) {
      const wanted = address.toLowerCase();
      for (let i = outbox.length - 1; i >= 0; i--) {
        const message = outbox[i] as MailMessage;
        if (message.to.toLowerCase() === wanted) return message;
      }
      return undefined;
    },
  };
}

/**
 * A mailer that prints each message to the console (`console.log` unless `write` is given), for development:
 * the verification link is how the user receives it, so it is printed in full. Never use it in production.
 */
export function consoleMailer(
  write: (text: string) => void = (text) => {
    console.log(text);
  },
): Mailer {
  return {
    send(message) {
      write(`--- email to ${message.to}: ${message.subject}\n${message.text}\n---`);
      return Promise.resolve();
    },
  };
}
