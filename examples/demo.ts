/**
 * `npm run demo`: a real flow through the generated client, printed step by step. Without configuration it
 * starts the in-memory test server (no Python server needed); with `AUTHNZERVER_URL` and `AUTHNZERVER_SECRET`
 * set it runs against that server instead. It exits 0 only when every step had the expected outcome.
 *
 * Secrets are never printed: tokens and keys appear shortened to their first 4 characters.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Authnzerver, type ApiKeyPayload, type ResponseTuple } from 'authnzerver';
import { createTestServer, type AuthnzerverTestServer } from 'authnzerver/testing';

/** A token or key, shortened so that it can be shown: its first 4 characters and an ellipsis. */
function mask(secret: string): string {
  return `${secret.slice(0, 4)}…`;
}

/** One step's outcome, as printed. */
interface StepReport {
  readonly ok: boolean;
}

const steps: StepReport[] = [];
const TOTAL = 11;

/**
 * Runs one step: prints its title, whether the outcome was the expected one, what happened, and the messages
 * the server meant for the end user.
 */
async function step<S, F>(
  title: string,
  expect: 'success' | 'refusal',
  call: () => Promise<ResponseTuple<S, F>>,
  describe: (result: ResponseTuple<S, F>) => string,
): Promise<ResponseTuple<S, F> | undefined> {
  console.log(`\n[${steps.length + 1}/${TOTAL}] ${title}`);
  let result: ResponseTuple<S, F>;
  try {
    result = await call();
  } catch (error) {
    // A step whose input an earlier step failed to make cannot run; it counts as failed.
    steps.push({ ok: false });
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    console.log(`      ✘ could not run: ${reason}`);
    return undefined;
  }
  const ok = expect === 'success' ? result.success : result.failure === 'rejected';
  steps.push({ ok });
  const outcome = result.success
    ? 'succeeded'
    : `refused (${result.failure}${result.failure === 'rejected' ? '' : `: ${result.failureReason ?? ''}`})`;
  const verdict = ok
    ? `✔ ${outcome}${expect === 'refusal' ? ', as expected' : ''}`
    : `✘ ${outcome}, but ${expect === 'success' ? 'success' : 'a refusal'} was expected`;
  console.log(`      ${verdict}`);
  const detail = describe(result);
  if (detail !== '') console.log(`      ${detail}`);
  for (const message of result.messages) console.log(`      the end user sees: "${message}"`);
  return result;
}

/** The value an earlier step made; when that step failed, the step that needs it cannot run. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}, because an earlier step failed`);
  return value;
}

/** The success reply of a step, or undefined when it failed. */
function made<S, F>(result: ResponseTuple<S, F> | undefined): S | undefined {
  return result?.success === true ? result.response : undefined;
}

/** An expiry one hour ahead (the client sends a Date in the server's datetime format). */
function inOneHour(): Date {
  return new Date(Date.now() + 3_600_000);
}

/** What a web app knows about its visitor, and the account the visitor signs up for. */
interface Visitor {
  readonly client_ipaddr: string;
  readonly ip_address: string;
  readonly user_agent: string;
  readonly email: string;
  readonly password: string;
}

/** A new visitor with a random address, email and password. */
function newVisitor(): Visitor {
  // What a web app knows about its visitor: an IP address (the server rate-limits by it) and a user agent.
  const client_ipaddr = `198.51.100.${randomInt(1, 255)}`;
  const ip_address = client_ipaddr;
  const user_agent = 'Mozilla/5.0 (authnzerver demo)';
  const email = `demo-${randomBytes(4).toString('hex')}@example.com`;
  const password = `${randomBytes(9).toString('base64url')}-Demo-${randomInt(1000, 9999)}`;
  return { client_ipaddr, ip_address, user_agent, email, password };
}

/** The logged-in user the first steps made, each part undefined when its step failed. */
interface LoggedIn {
  readonly userId: number | undefined;
  readonly userRole: string | undefined;
}

/** Steps 1 to 4: an anonymous session, sign-up, the email verified, and log-in. */
async function signUpAndLogIn(client: Authnzerver, visitor: Visitor): Promise<LoggedIn> {
  const { client_ipaddr, ip_address, user_agent, email, password } = visitor;
  const anonymous = await step(
    'An anonymous session for a new visitor',
    'success',
    () =>
      client.sessionNew({
        ip_address,
        user_agent,
        user_id: null,
        expires: inOneHour(),
        extra_info_json: null,
        client_ipaddr,
      }),
    (r) =>
      r.success
        ? `session token ${mask(r.response.session_token)} issued, expires ${r.response.expires}`
        : '',
  );

  await step(
    `Sign-up as ${email}`,
    'success',
    () => client.userNew({ full_name: 'Demo User', email, password, client_ipaddr }),
    (r) =>
      r.success
        ? `user ${r.response.user_id} created; it must verify its email before logging in`
        : '',
  );

  await step(
    'The email address is verified (the app got the link back)',
    'success',
    () => client.userSetEmailverified({ email, client_ipaddr }),
    (r) =>
      r.success ? `user ${r.response.user_id} is now active, role ${r.response.user_role}` : '',
  );

  const login = await step(
    'Log-in with the right password',
    'success',
    () =>
      client.userLogin({
        session_token: need(made(anonymous)?.session_token, 'anonymous session'),
        email,
        password,
        client_ipaddr,
      }),
    (r) =>
      r.success
        ? `user ${r.response.user_id} (role ${r.response.user_role}) logged in; the anonymous session is gone`
        : '',
  );
  return { userId: made(login)?.user_id, userRole: made(login)?.user_role };
}

/** Steps 5 to 9: the user's session, read back; an API key, verified; an access check. Gives the session token. */
async function useTheSession(
  client: Authnzerver,
  visitor: Visitor,
  { userId, userRole }: LoggedIn,
): Promise<string | undefined> {
  const { client_ipaddr, ip_address, user_agent } = visitor;
  const session = await step(
    "A session for the logged-in user (the app's log-in cookie)",
    'success',
    () =>
      client.sessionNew({
        ip_address,
        user_agent,
        user_id: need(userId, 'logged-in user'),
        expires: inOneHour(),
        extra_info_json: null,
        client_ipaddr,
      }),
    (r) => (r.success ? `session token ${mask(r.response.session_token)} issued` : ''),
  );
  const token = made(session)?.session_token;

  await step(
    'Session info, as the app reads it on every page',
    'success',
    () => client.sessionExists({ session_token: need(token, 'session'), client_ipaddr }),
    (r) =>
      r.success
        ? `${r.response.session_info.email}, role ${r.response.session_info.user_role}, ` +
          `session expires ${r.response.session_info.expires}`
        : '',
  );

  const issued = await step(
    'An API key for the user',
    'success',
    () =>
      client.apikeyNew({
        issuer: 'authnzerver-demo',
        audience: 'demo-api',
        subject: '/demo/things',
        apiversion: 1,
        expires_days: 1,
        not_valid_before: 0,
        user_id: need(userId, 'user'),
        user_role: need(userRole, 'role'),
        ip_address,
        user_agent,
        session_token: need(token, 'session'),
        client_ipaddr,
      }),
    (r) => {
      if (!r.success) return '';
      const key = JSON.parse(r.response.apikey) as { tkn: string };
      return `key ${mask(key.tkn)} issued, expires ${r.response.expires}`;
    },
  );

  await step(
    'The API key is verified, as an API server would on each call',
    'success',
    () =>
      client.apikeyVerify({
        apikey_dict: JSON.parse(need(made(issued)?.apikey, 'API key')) as ApiKeyPayload,
        user_id: need(userId, 'user'),
        user_role: need(userRole, 'role'),
        client_ipaddr,
      }),
    () => '',
  );

  await step(
    'Access check: may the user view a private dataset of their own?',
    'success',
    () =>
      client.userCheckAccess({
        user_id: need(userId, 'user'),
        user_role: need(userRole, 'role'),
        action: 'view',
        target_name: 'dataset',
        target_owner: need(userId, 'user'),
        target_visibility: 'private',
        target_sharedwith: '',
        client_ipaddr,
      }),
    () => '',
  );
  return token;
}

/** Steps 10 and 11: a failed log-in with the wrong password, and log-out. */
async function failAndLogOut(
  client: Authnzerver,
  visitor: Visitor,
  userId: number | undefined,
  token: string | undefined,
): Promise<void> {
  const { client_ipaddr, ip_address, user_agent, email, password } = visitor;
  const retry = await client.sessionNew({
    ip_address,
    user_agent,
    user_id: null,
    expires: inOneHour(),
    extra_info_json: null,
    client_ipaddr,
  });
  await step(
    'A failed log-in: the wrong password (the server delays its answer)',
    'refusal',
    () =>
      client.userLogin({
        session_token: need(made(retry)?.session_token, 'anonymous session'),
        email,
        password: `${password}-wrong`,
        client_ipaddr,
      }),
    (r) => (r.success ? '' : `failure reason, for the logs only: ${r.failureReason ?? 'none'}`),
  );

  await step(
    'Log-out',
    'success',
    () =>
      client.userLogout({
        session_token: need(token, 'session'),
        user_id: need(userId, 'user'),
        client_ipaddr,
      }),
    (r) => (r.success ? 'the session is deleted' : ''),
  );
}

async function main(): Promise<number> {
  const url = process.env.AUTHNZERVER_URL;
  const secret = process.env.AUTHNZERVER_SECRET;
  if ((url === undefined) !== (secret === undefined)) {
    console.error(
      'Set both AUTHNZERVER_URL and AUTHNZERVER_SECRET, or neither (for the in-memory server).',
    );
    return 2;
  }
  let server: AuthnzerverTestServer | undefined;
  let client: Authnzerver;
  if (url === undefined || secret === undefined) {
    server = await createTestServer();
    client = new Authnzerver({ url: server.url, secret: server.secret });
    console.log(
      `authnzerver demo: the in-memory test server at ${server.url} (no Python server needed)`,
    );
  } else {
    client = new Authnzerver({ url, secret });
    console.log(`authnzerver demo: the authnzerver at ${url}`);
  }

  const visitor = newVisitor();
  try {
    const user = await signUpAndLogIn(client, visitor);
    const token = await useTheSession(client, visitor, user);
    await failAndLogOut(client, visitor, user.userId, token);
  } finally {
    await client.close();
    await server?.close();
  }
  const failed = steps.filter((s) => !s.ok).length;
  console.log(
    failed === 0
      ? `\nAll ${steps.length} steps had the expected outcome.`
      : `\n${failed} of ${steps.length} steps did not have the expected outcome.`,
  );
  return failed === 0 && steps.length === TOTAL ? 0 : 1;
}

process.exitCode = await main();
