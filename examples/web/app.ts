/**
 * The example web app, as a function: `createApp(options)` makes the web core (`createWebAuth`), mounts the
 * app's routes (`site.ts`) on Express 5 through `authnzerver/express` (or on Fastify or Hono through their
 * adapters, `servers.ts`), and serves them on a loopback port over HTTP or HTTPS, in front of an authnzerver (the
 * embedded in-memory one by default). It gives back the URL and a `close()`. `main.ts` runs it for
 * `npm run demo:web`; the browser test (test/browser/journey.test.ts) starts it with an in-memory outbox and an
 * auth server it can stop.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Authnzerver, generateFernetKey } from 'authnzerver';
import { createTestServer, type AuthnzerverTestServer } from 'authnzerver/testing';
import { consoleMailer, createWebAuth, type Mailer } from 'authnzerver/web';
import { mount, type Framework } from './servers.js';
import { createSite, SECURITY_HEADERS } from './site.js';

export { FRAMEWORKS, type Framework } from './servers.js';

/** Options of {@link createApp}. All are optional. */
export interface WebExampleOptions {
  /** The auth server to use. Default: an embedded in-memory one (`createTestServer`), closed with the app. */
  readonly authnzerver?: { readonly url: string; readonly secret: string };
  /** Where verification emails go. Default: the console (`consoleMailer()`). */
  readonly mailer?: Mailer;
  /** The port to listen on, on 127.0.0.1. Default 0: a free one. */
  readonly port?: number;
  /** Serve HTTPS with this certificate and key (PEM). The cookie then is `__Host-azsession`, `Secure`. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** The framework, through its `authnzerver/<framework>` adapter. Default `express`. */
  readonly framework?: Framework;
  /** Where the app's warnings go (redacted by the web core). Default: `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** A running example app. */
export interface WebExample {
  /** `http://127.0.0.1:<port>/` (or `https://`). */
  readonly url: string;
  /** The app's origin, `http://127.0.0.1:<port>`; `http://localhost:<port>` is accepted as well. */
  readonly origin: string;
  readonly port: number;
  readonly framework: Framework;
  /** The embedded auth server, when no `authnzerver` option was given. */
  readonly embedded: AuthnzerverTestServer | undefined;
  /** Stops the app, its client and the embedded auth server. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the example app. The secrets it needs of its own (the Fernet keys that seal API keys, email
 * verification tokens and password reset tokens, and the cookie signing key) are made at start: restarting the app invalidates issued
 * API keys and pending verification links, and logs everyone out.
 */
export async function createApp(options: WebExampleOptions = {}): Promise<WebExample> {
  const embedded = options.authnzerver === undefined ? await createTestServer() : undefined;
  const target = options.authnzerver ?? {
    url: (embedded as AuthnzerverTestServer).url,
    secret: (embedded as AuthnzerverTestServer).secret,
  };
  const client = new Authnzerver({ url: target.url, secret: target.secret });
  const warn =
    options.warn ??
    ((message: string) => {
      console.warn(message);
    });

  // The server is made first and its handler set once the port, and so the origin, is known.
  const server: Server =
    options.tls === undefined
      ? createHttpServer()
      : createHttpsServer({ cert: options.tls.cert, key: options.tls.key });
  const port = await listen(server, options.port ?? 0);
  const scheme = options.tls === undefined ? 'http' : 'https';
  const origin = `${scheme}://127.0.0.1:${port}`;

  const auth = createWebAuth({
    client,
    origin: [origin, `${scheme}://localhost:${port}`],
    cookie: { signingSecret: randomBytes(32) },
    apiKeys: { secret: generateFernetKey(), subject: '/api/' },
    emailVerification: { secret: generateFernetKey(), appName: 'the authnzerver web example' },
    passwordReset: { secret: generateFernetKey() },
    mailer: options.mailer ?? consoleMailer(),
    logger: { warn, error: warn },
  });

  const mounted = await mount(
    options.framework ?? 'express',
    auth,
    createSite(origin),
    warn,
    server,
  );
  // Only this app's own host names: a page of another site that rebinds its DNS name to 127.0.0.1 must not get
  // answers (its requests carry its own name in Host).
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (hosts.has(req.headers.host ?? '')) {
      mounted.listener(req, res);
      return;
    }
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end('Unknown host.');
  });

  return {
    url: `${origin}/`,
    origin,
    port,
    embedded,
    framework: options.framework ?? 'express',
    async close() {
      server.closeAllConnections();
      await mounted.close();
      if (server.listening) {
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
      }
      await client.close();
      await embedded?.close();
    },
  };
}
