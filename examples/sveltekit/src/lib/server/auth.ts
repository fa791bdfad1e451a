// The web core, made once from the environment: the authnzerver's URL and secret, and the app's own keys.
import { appendFileSync } from 'node:fs';
import { env } from '$env/dynamic/private';
import { Authnzerver } from 'authnzerver';
import { consoleMailer, createWebAuth, type Mailer } from 'authnzerver/web';

function required(name: string): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new Error(`the environment variable ${name} is not set`);
  return value;
}

/**
 * Emails go to the console, or, when a test asks for it (EXAMPLE_OUTBOX), as JSON lines to that file, where the
 * test reads the verification link. Never set EXAMPLE_OUTBOX in production.
 */
function mailer(): Mailer {
  const outbox = env['EXAMPLE_OUTBOX'];
  if (outbox === undefined || outbox === '') return consoleMailer();
  return {
    send(message) {
      appendFileSync(outbox, `${JSON.stringify(message)}\n`);
      return Promise.resolve();
    },
  };
}

export const auth = createWebAuth({
  client: new Authnzerver({
    url: required('AUTHNZERVER_URL'),
    secret: required('AUTHNZERVER_SECRET'),
  }),
  origin: required('ORIGIN'),
  cookie: { signingSecret: required('COOKIE_SECRET') },
  emailVerification: { secret: required('EMAIL_SECRET'), appName: 'the SvelteKit example' },
  mailer: mailer(),
});
