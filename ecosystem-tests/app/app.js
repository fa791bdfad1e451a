/**
 * The ecosystem app: the same code on every runtime (Node ESM and CommonJS, Bun, Deno, workerd, the edge
 * runtime). It uses the package as an app does, with default options (only `url` and `secret`, plus `transport`
 * when the runner asks for it), against a `createTestServer` that the runner started in Node, and checks every
 * outcome: session-new, session-exists, user-new, user-set-emailverified, user-login with a wrong password
 * (`rejected`, with the server's message), session-new for the user, apikey-new, apikey-verify, a fault (HTTP
 * 500, asked of the runner's control URL, gives the failure kind `server-error`), then close() (a call after it
 * rejects with `ClientClosedError`). It reports one JSON object; it never puts a secret, token or key in it.
 *
 * Each runtime's entry (main.js, cjs/main.js, worker.js, edge.js) only gets the configuration and prints or
 * returns the report. The CommonJS copy of this file (cjs/app.js) is made by esbuild's `transform` at run time.
 */
/* global crypto, fetch, performance, Response */
import { Authnzerver, ClientClosedError } from 'authnzerver';

/** The step names, in order, as the report lists them; the runner expects exactly these. */
export const STEPS = [
  'session-new',
  'session-exists',
  'user-new',
  'user-set-emailverified',
  'user-login (wrong password)',
  'session-new (user)',
  'apikey-new',
  'apikey-verify',
  'fault (HTTP 500)',
  'close',
];

/** The message the server gives for a wrong password (src/testing/authnzerver/messages.ts, as the real one). */
export const WRONG_PASSWORD_MESSAGE = "Sorry, that user ID and password combination didn't work.";

/** Which runtime this is, from what each one alone defines. */
export function runtimeName() {
  const g = globalThis;
  if (typeof g.Bun !== 'undefined') return 'bun';
  if (typeof g.Deno !== 'undefined') return 'deno';
  if (typeof g.EdgeRuntime === 'string') return 'edge-light';
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (typeof g.process?.versions?.node === 'string') return 'node';
  return 'unknown';
}

/** Throws, naming the step, when a condition does not hold (no secret goes in `what`). */
function check(step, condition, what) {
  if (!condition) throw new Error(`${step}: ${what}`);
}

/** A failure result's kind and reason, for an error message. */
function outcome(result) {
  return result.success ? 'success' : `${result.failure} (${result.failureReason ?? 'no reason'})`;
}

/** An expiry one hour ahead, as the server wants it: naive UTC with microseconds. */
function inOneHour() {
  return new Date(Date.now() + 3_600_000).toISOString().replace('Z', '000');
}

/** The transport the client chose (`undici`, `fetch`), from its configuration summary (which has no secret). */
function transportName(client) {
  return client.config?.transport ?? 'unknown';
}

/** The client options: only url and secret, and transport when asked for. */
function clientOptions(config) {
  const options = { url: config.url, secret: config.secret };
  if (config.transport !== undefined && config.transport !== '')
    options.transport = config.transport;
  return options;
}

/**
 * The visitor the app plays: its address (the test server rate-limits by it), user agent, and a new account.
 * @param {{ ip: string }} config
 */
function newVisitor(config) {
  const client_ipaddr = config.ip;
  const ip_address = client_ipaddr;
  const user_agent = `authnzerver ecosystem app (${runtimeName()})`;
  const suffix = crypto.randomUUID().slice(0, 8);
  const email = `eco-${suffix}@example.com`;
  const password = `Eco-${crypto.randomUUID()}`;
  return { client_ipaddr, ip_address, user_agent, email, password };
}

/**
 * Steps 1 to 5: an anonymous session, read back; sign-up; the email verified; a log-in with the wrong password.
 * Pushes each step done on `steps`, and gives the new user's id and role.
 */
async function signUp(client, visitor, steps) {
  const { client_ipaddr, ip_address, user_agent, email, password } = visitor;
  let step = STEPS[0];
  const anonymous = await client.sessionNew({
    ip_address,
    user_agent,
    user_id: null,
    expires: inOneHour(),
    extra_info_json: null,
    client_ipaddr,
  });
  check(step, anonymous.success, `expected success, got ${outcome(anonymous)}`);
  check(step, typeof anonymous.response.session_token === 'string', 'no session token');
  steps.push(step);

  step = STEPS[1];
  const exists = await client.sessionExists({
    session_token: anonymous.response.session_token,
    client_ipaddr,
  });
  check(step, exists.success, `expected success, got ${outcome(exists)}`);
  check(
    step,
    exists.response.session_info.user_role === 'anonymous',
    `expected the anonymous role, got ${exists.response.session_info.user_role}`,
  );
  steps.push(step);

  step = STEPS[2];
  const created = await client.userNew({ full_name: 'Eco User', email, password, client_ipaddr });
  check(step, created.success, `expected success, got ${outcome(created)}`);
  const userId = created.response.user_id;
  check(step, typeof userId === 'number', 'no user id');
  steps.push(step);

  step = STEPS[3];
  const verified = await client.userSetEmailverified({ email, client_ipaddr });
  check(step, verified.success, `expected success, got ${outcome(verified)}`);
  const userRole = verified.response.user_role;
  check(step, userRole === 'authenticated', `expected the authenticated role, got ${userRole}`);
  steps.push(step);

  step = STEPS[4];
  const login = await client.userLogin({
    session_token: anonymous.response.session_token,
    email,
    password: `${password}-wrong`,
    client_ipaddr,
  });
  check(
    step,
    !login.success && login.failure === 'rejected',
    `expected rejected, got ${outcome(login)}`,
  );
  check(
    step,
    login.messages.length === 1 && login.messages[0] === WRONG_PASSWORD_MESSAGE,
    `expected the server's message, got ${JSON.stringify(login.messages)}`,
  );
  steps.push(step);
  return { userId, userRole };
}

/** Steps 6 to 8: the user's session, an API key, and its check. Gives the session token. */
async function sessionAndKey(client, visitor, { userId, userRole }, steps) {
  const { client_ipaddr, ip_address, user_agent } = visitor;
  let step = STEPS[5];
  const session = await client.sessionNew({
    ip_address,
    user_agent,
    user_id: userId,
    expires: inOneHour(),
    extra_info_json: null,
    client_ipaddr,
  });
  check(step, session.success, `expected success, got ${outcome(session)}`);
  const sessionToken = session.response.session_token;
  steps.push(step);

  step = STEPS[6];
  const issued = await client.apikeyNew({
    issuer: 'authnzerver-ecosystem',
    audience: 'eco-api',
    subject: '/eco/things',
    apiversion: 1,
    expires_days: 1,
    not_valid_before: 0,
    user_id: userId,
    user_role: userRole,
    ip_address,
    user_agent,
    session_token: sessionToken,
    client_ipaddr,
  });
  check(step, issued.success, `expected success, got ${outcome(issued)}`);
  const apikeyDict = JSON.parse(issued.response.apikey);
  check(step, apikeyDict.uid === userId, 'the key names another user');
  steps.push(step);

  step = STEPS[7];
  const verify = await client.apikeyVerify({
    apikey_dict: apikeyDict,
    user_id: userId,
    user_role: userRole,
    client_ipaddr,
  });
  check(step, verify.success, `expected success, got ${outcome(verify)}`);
  steps.push(step);
  return sessionToken;
}

/** Steps 9 and 10: a fault the runner queues (HTTP 500), then a call after close(). */
async function faultAndClose(client, config, visitor, sessionToken, steps) {
  const { client_ipaddr } = visitor;
  let step = STEPS[8];
  const queued = await fetch(`${config.control}fault`, { method: 'POST' });
  await queued.arrayBuffer();
  check(step, queued.status === 204, `the runner did not queue the fault (HTTP ${queued.status})`);
  const faulted = await client.sessionExists({ session_token: sessionToken, client_ipaddr });
  check(
    step,
    !faulted.success && faulted.failure === 'server-error',
    `expected server-error, got ${outcome(faulted)}`,
  );
  check(step, faulted.statusCode === 500, `expected HTTP 500, got ${String(faulted.statusCode)}`);
  steps.push(step);

  step = STEPS[9];
  await client.close();
  let after;
  try {
    await client.sessionExists({ session_token: sessionToken, client_ipaddr });
    after = 'a result';
  } catch (error) {
    after = error instanceof ClientClosedError ? 'ClientClosedError' : String(error);
  }
  check(step, after === 'ClientClosedError', `a call after close() gave ${after}`);
  steps.push(step);
}

/**
 * Runs the app's steps and returns its report: `{ ok, runtime, steps }`, or `{ ok: false, runtime, steps, error }`
 * with the steps done so far. Never throws.
 * @param {{ url: string, secret: string, control: string, transport?: string, ip: string }} config
 */
export async function runApp(config) {
  const steps = [];
  let client;
  try {
    client = new Authnzerver(clientOptions(config));
    const visitor = newVisitor(config);
    const user = await signUp(client, visitor, steps);
    const sessionToken = await sessionAndKey(client, visitor, user, steps);
    await faultAndClose(client, config, visitor, sessionToken, steps);
    return { ok: true, runtime: runtimeName(), transport: transportName(client), steps };
  } catch (error) {
    // The step failed or threw: close what is open (never throwing here) and report where it stopped.
    await client?.close().catch(() => undefined);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, runtime: runtimeName(), steps, error: message };
  }
}

/**
 * The runtimes bench: `requests` session-exists calls one after the other (concurrency 1) on one session, after
 * `warmup` calls, timed here. Returns `{ ok, runtime, requests, seconds }` or `{ ok: false, error }`.
 * @param {{ url: string, secret: string, transport?: string, ip: string, requests: number, warmup: number }} config
 */
export async function runBench(config) {
  const client = new Authnzerver(clientOptions(config));
  try {
    const client_ipaddr = config.ip;
    const session = await client.sessionNew({
      ip_address: client_ipaddr,
      user_agent: 'authnzerver ecosystem bench',
      user_id: null,
      expires: inOneHour(),
      extra_info_json: null,
      client_ipaddr,
    });
    if (!session.success) throw new Error(`session-new: ${outcome(session)}`);
    const body = { session_token: session.response.session_token, client_ipaddr };
    const one = async () => {
      const result = await client.sessionExists(body);
      if (!result.success) throw new Error(`session-exists: ${outcome(result)}`);
    };
    for (let i = 0; i < config.warmup; i++) await one();
    const started = performance.now();
    for (let i = 0; i < config.requests; i++) await one();
    const seconds = (performance.now() - started) / 1000;
    return {
      ok: true,
      runtime: runtimeName(),
      transport: transportName(client),
      requests: config.requests,
      seconds,
    };
  } catch (error) {
    return {
      ok: false,
      runtime: runtimeName(),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Runs the app or the bench, as `config.mode` says (`app` by default). */
export function run(config) {
  return config.mode === 'bench' ? runBench(config) : runApp(config);
}

/**
 * The handler of the workerd and edge entries: the configuration is the request's JSON body, the report the
 * reply's JSON body.
 * @param {Request} request
 */
export async function handle(request) {
  const config = await request.json();
  return new Response(JSON.stringify(await run(config)), {
    headers: { 'content-type': 'application/json' },
  });
}
