/**
 * `npm run demo:web`: starts the example web app (./app.ts) and prints its URL. Without configuration it runs on
 * the embedded in-memory authnzerver; with `AUTHNZERVER_URL` and `AUTHNZERVER_SECRET` it uses that server.
 * `PORT` picks the port (default: a free one), `WEB_FRAMEWORK` the framework (`express`, the default, `fastify` or
 * `hono`). Verification emails are printed here, on the console. Ctrl-C stops it.
 */
import { createApp, FRAMEWORKS, type Framework } from './app.js';

async function main(): Promise<void> {
  const url = process.env.AUTHNZERVER_URL;
  const secret = process.env.AUTHNZERVER_SECRET;
  if ((url === undefined) !== (secret === undefined)) {
    console.error(
      'Set both AUTHNZERVER_URL and AUTHNZERVER_SECRET, or neither (for the embedded server).',
    );
    process.exitCode = 2;
    return;
  }
  const port = process.env.PORT === undefined ? 0 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error('PORT must be a port number.');
    process.exitCode = 2;
    return;
  }
  const framework = process.env.WEB_FRAMEWORK ?? 'express';
  if (!(FRAMEWORKS as readonly string[]).includes(framework)) {
    console.error(`WEB_FRAMEWORK must be one of ${FRAMEWORKS.join(', ')}.`);
    process.exitCode = 2;
    return;
  }
  const app = await createApp({
    port,
    framework: framework as Framework,
    ...(url !== undefined && secret !== undefined ? { authnzerver: { url, secret } } : {}),
  });
  console.log(
    app.embedded === undefined
      ? `Using the authnzerver at ${url ?? ''}`
      : `Using the embedded in-memory authnzerver at ${app.embedded.url} (its data is lost when this stops)`,
  );
  console.log(`The example web app (${app.framework}) is running at ${app.url}`);
  console.log('Sign up there; the verification link is printed here. Ctrl-C stops the app.');

  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
