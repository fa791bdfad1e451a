import { describe, expectTypeOf, it } from 'vitest';
import {
  Authnzerver,
  type AuthnzerverRequests,
  type FailureKind,
  type InvalidParamProblem,
  type ResponseTuple,
  type SessionExistsSuccess,
  type SessionNewBody,
  type SessionNewSuccess,
  type UntypedResponseTuple,
  type UserLoginBody,
  type UserLoginFailure,
  type UserLoginSuccess,
  type z,
  schemas,
} from '../src/index.js';

// Type tests of the public surface: they pass when this file compiles (vitest typecheck), and every
// `@ts-expect-error` fails the build if the misuse below it ever compiles.

declare const client: Authnzerver;
const ip = '203.0.113.1';

describe('generated methods', () => {
  it('take the typed body and return the typed tuple', () => {
    expectTypeOf<Authnzerver['userLogin']>().parameter(0).toEqualTypeOf<UserLoginBody>();
    expectTypeOf<Authnzerver['userLogin']>().returns.resolves.toEqualTypeOf<
      ResponseTuple<UserLoginSuccess, UserLoginFailure>
    >();
  });

  it('take a Date or a string for a datetime argument (session-new expires), and give a string back', () => {
    expectTypeOf<SessionNewBody['expires']>().toEqualTypeOf<string | Date>();
    expectTypeOf<SessionNewSuccess['expires']>().toEqualTypeOf<string>();
    const session = {
      ip_address: ip,
      user_agent: 'ua',
      user_id: null,
      extra_info_json: null,
      client_ipaddr: ip,
    };
    void client.sessionNew({ ...session, expires: new Date(Date.UTC(2099, 0, 1)) });
    void client.sessionNew({ ...session, expires: '2099-01-01T00:00:00.000000' });
    void client.sync.sessionNew({ ...session, expires: new Date() });
    // @ts-expect-error a number of milliseconds is neither a Date nor a string
    void client.sessionNew({ ...session, expires: Date.UTC(2099, 0, 1) });
    type Expires = (typeof schemas)['session-new']['body']['shape']['expires'];
    expectTypeOf<z.input<Expires>>().toEqualTypeOf<string | Date>();
    expectTypeOf<z.output<Expires>>().toEqualTypeOf<string | Date>();
  });

  it('refuse a wrong field type, a missing client_ipaddr, an unknown field and a misspelt method', () => {
    // @ts-expect-error password must be a string
    void client.userLogin({ session_token: 't', email: 'e', password: 42, client_ipaddr: ip });
    // @ts-expect-error client_ipaddr is required in every body
    void client.userLogin({ session_token: 't', email: 'e', password: 'p' });
    const login = { session_token: 't', email: 'e', password: 'p', client_ipaddr: ip };
    // @ts-expect-error no such field
    void client.userLogin({ remember: true, ...login });
    // @ts-expect-error a misspelt method does not exist
    void client.userLgoin({ session_token: 't', email: 'e', password: 'p', client_ipaddr: ip });
    const lock = {
      user_id: 1,
      user_role: 'superuser',
      session_token: 't',
      target_userid: 2,
      client_ipaddr: ip,
    };
    // @ts-expect-error literal choices are checked
    void client.userLock({ action: 'toggle', ...lock });
    void client.userLock({ action: 'unlock', ...lock });
    // kwargs are optional, and may be undefined
    void client.userNew({ full_name: 'A', email: 'a@b.c', password: 'p', client_ipaddr: ip });
    void client.userNew({
      full_name: 'A',
      email: 'a@b.c',
      password: 'p',
      extra_info: undefined,
      client_ipaddr: ip,
    });
  });

  it('narrow the response on success and on each failure kind', async () => {
    const result = await client.userLogin({
      session_token: 't',
      email: 'e',
      password: 'p',
      client_ipaddr: ip,
    });
    if (result.success) {
      expectTypeOf(result.response).toEqualTypeOf<UserLoginSuccess>();
      expectTypeOf(result.response.user_id).toEqualTypeOf<number>();
      expectTypeOf(result.failure).toEqualTypeOf<null>();
      expectTypeOf(result.statusCode).toEqualTypeOf<200>();
      expectTypeOf(result.failureReason).toEqualTypeOf<null>();
    } else {
      expectTypeOf(result.failure).toEqualTypeOf<FailureKind>();
      // Until the failure kind is known, the response could be anything.
      expectTypeOf(result.response).toBeUnknown();
      if (result.failure === 'rejected') {
        expectTypeOf(result.response).toEqualTypeOf<UserLoginFailure>();
        expectTypeOf(result.response.user_id).toEqualTypeOf<number | null>();
      }
      if (result.failure === 'invalid-params')
        expectTypeOf(result.problems).toEqualTypeOf<readonly InvalidParamProblem[]>();
      if (result.failure === 'rate-limited')
        expectTypeOf(result.retryAfter).toEqualTypeOf<number | null>();
      if (result.failure === 'timeout')
        expectTypeOf(result.delivery).toEqualTypeOf<'not-sent' | 'maybe-sent'>();
    }
  });

  it('the tuple form narrows too', async () => {
    const [ok, response, messages, , statusCode] = await client.sessionExists({
      session_token: 't',
      client_ipaddr: ip,
    });
    expectTypeOf(messages).toEqualTypeOf<readonly string[]>();
    if (ok) {
      expectTypeOf(response).toEqualTypeOf<SessionExistsSuccess>();
      expectTypeOf(statusCode).toEqualTypeOf<200>();
    }
  });
});

describe('the generic request(type, body, reqid?)', () => {
  it('types a catalogue type by the same catalogue', async () => {
    const result = await client.request('session-exists', {
      session_token: 't',
      client_ipaddr: ip,
    });
    if (result.success) expectTypeOf(result.response).toEqualTypeOf<SessionExistsSuccess>();
    // @ts-expect-error session_token is required for session-exists
    void client.request('session-exists', { client_ipaddr: ip });
    // @ts-expect-error the reqid is a string or an integer
    void client.request('session-exists', { session_token: 't', client_ipaddr: ip }, true);
  });

  it('allows any other string, untyped, for custom request types, but still wants client_ipaddr', async () => {
    const result = await client.request('shop-cart-get', { cart: 1, client_ipaddr: ip }, 7);
    expectTypeOf(result).toEqualTypeOf<UntypedResponseTuple>();
    if (result.success) expectTypeOf(result.response).toEqualTypeOf<Record<string, unknown>>();
    // @ts-expect-error client_ipaddr is required for custom types too
    void client.request('shop-cart-get', { cart: 1 });
  });

  it('names the catalogue types in its type parameter (for completion), and takes any other string', () => {
    // test/package/completion.test.ts checks that an editor offers them.
    type Catalogue = keyof AuthnzerverRequests;
    type Async = Parameters<typeof client.request>[0];
    type Sync = Parameters<typeof client.requestSync>[0];
    type SyncView = Parameters<typeof client.sync.request>[0];
    expectTypeOf<Extract<Async, Catalogue>>().toEqualTypeOf<Catalogue>();
    expectTypeOf<Extract<Sync, Catalogue>>().toEqualTypeOf<Catalogue>();
    expectTypeOf<Extract<SyncView, Catalogue>>().toEqualTypeOf<Catalogue>();
    expectTypeOf<string>().toExtend<Async>();
    expectTypeOf<string>().toExtend<Sync>();
    expectTypeOf<string>().toExtend<SyncView>();
    // The same bodies and results as before, in all three.
    const body = { session_token: 't', client_ipaddr: ip };
    expectTypeOf(client.requestSync('session-exists', body)).toEqualTypeOf(
      client.sync.request('session-exists', body),
    );
    expectTypeOf(
      client.requestSync('shop-cart-get', { client_ipaddr: ip }),
    ).toEqualTypeOf<UntypedResponseTuple>();
    // @ts-expect-error session_token is required for session-exists, in the sync view too
    void client.sync.request('session-exists', { client_ipaddr: ip });
    // @ts-expect-error the request type is a string
    void client.request(42, { client_ipaddr: ip });
  });
});

/**
 * Makes every property and array writable, all the way down, to compare an interface with a schema's input. A
 * `Date` (a `datetime` argument) stays itself.
 */
type Writable<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? Writable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;

type Shapes = AuthnzerverRequests;
type Schemas = typeof schemas;
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<Interface, Schema extends z.ZodMiniObject> =
  SameKeys<keyof Interface, keyof Schema['shape']> extends true
    ? [z.output<Schema>] extends [Interface]
      ? [Writable<Interface>] extends [z.input<Schema>]
        ? true
        : 'the interface allows what the schema refuses'
      : 'the schema lets through what the interface does not describe'
    : 'the interface and the schema have different keys';

describe('the zod schemas and the interfaces agree, for all 38 request types', () => {
  it('bodies, success replies and failure replies, both ways', () => {
    type Report = {
      [K in keyof Shapes]: [
        Agrees<Shapes[K]['body'], Schemas[K]['body']>,
        Agrees<Shapes[K]['success'], Schemas[K]['success']>,
        Agrees<Shapes[K]['failure'], Schemas[K]['failure']>,
      ];
    };
    expectTypeOf<Report>().toEqualTypeOf<{ [K in keyof Shapes]: [true, true, true] }>();
    expectTypeOf<keyof Shapes>().toEqualTypeOf<keyof Schemas>();
  });
});
