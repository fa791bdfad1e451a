/**
 * The `sessions` section's app server, in a process of its own so that the load generator does not share its
 * event loop: an Express app on loopback whose `GET /account` reads the user id from the session and answers
 * `user <id>` (401 without a user). `BENCH_APP` picks how the session is kept:
 *
 * - `none`: no session at all (the route answers a fixed user), Express's own floor;
 * - `ours` and `ours-cache`: the `authnzerver()` adapter, which asks the auth server (`BENCH_AZ_URL`) with
 *   `session-exists` on every request, or keeps its answers for 5 s with the session cache on;
 * - `express-session`: express-session with its default MemoryStore (a signed cookie naming a session kept in
 *   this process);
 * - `iron-session`: iron-session, the session sealed in the cookie itself (no store).
 *
 * `GET /login` (express-session and iron-session) logs user 4 in and answers with its cookie; the adapter's
 * session is made by the bench through the auth server. It prints `{"port"}` once it listens.
 */
import express from 'express';
import session from 'express-session';
import { getIronSession } from 'iron-session';
import { Authnzerver } from 'authnzerver';
import { createWebAuth } from 'authnzerver/web';
import { authnzerver } from 'authnzerver/express';

declare module 'express-session' {
  interface SessionData {
    userId: number;
  }
}

/** What every variant keeps in its session: the logged-in user's id. */
interface UserSession {
  userId?: number;
}

const kind = process.env.BENCH_APP ?? '';
const USER_ID = 4;
const SECRET = 'bench cookie secret, long enough for iron-session 42';
const app = express();
app.disable('x-powered-by');

if (kind === 'none') {
  app.get('/account', (_req, res) => {
    res.type('text/plain').send(`user ${USER_ID}`);
  });
} else if (kind === 'ours' || kind === 'ours-cache') {
  const client = new Authnzerver({
    url: process.env.BENCH_AZ_URL ?? '',
    secret: process.env.BENCH_AZ_SECRET ?? '',
  });
  const auth = createWebAuth({
    client,
    origin: 'http://app.test',
    ...(kind === 'ours-cache' ? { cache: { ttlMs: 5000 } } : {}),
  });
  app.use(authnzerver(auth));
  app.get('/account', (req, res) => {
    const current = req.auth.session;
    if (current.kind !== 'user') {
      res.status(401).end();
      return;
    }
    res.type('text/plain').send(`user ${current.userId}`);
  });
} else if (kind === 'express-session') {
  app.use(
    session({
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.get('/login', (req, res) => {
    req.session.userId = USER_ID;
    res.type('text/plain').send('ok');
  });
  app.get('/account', (req, res) => {
    const userId = req.session.userId;
    if (userId === undefined) {
      res.status(401).end();
      return;
    }
    res.type('text/plain').send(`user ${userId}`);
  });
} else if (kind === 'iron-session') {
  const options = { password: SECRET, cookieName: 'ironsession' };
  app.get('/login', async (req, res) => {
    const sealed = await getIronSession<UserSession>(req, res, options);
    sealed.userId = USER_ID;
    await sealed.save();
    res.type('text/plain').send('ok');
  });
  app.get('/account', async (req, res) => {
    const { userId } = await getIronSession<UserSession>(req, res, options);
    if (userId === undefined) {
      res.status(401).end();
      return;
    }
    res.type('text/plain').send(`user ${userId}`);
  });
} else {
  throw new Error(
    `BENCH_APP must be none, ours, ours-cache, express-session or iron-session, not ${kind}`,
  );
}

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
server.keepAliveTimeout = 60_000;
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
