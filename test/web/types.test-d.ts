/**
 * Type tests of the web entries: the context is typed on each framework's request (`req.auth` by Express's
 * declaration merging, `request.auth` and the guards by Fastify's module augmentation, `c.get('auth')` by Hono's
 * variables), and the session narrows by `kind`. They pass when this file compiles (vitest typecheck).
 */
import type { Request as ExpressRequest } from 'express';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Context } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import type { AuthEnv } from '../../src/web/adapters/hono.js';
import type {
  ActionResult,
  AuthContext,
  AuthFailure,
  Session,
  UserSession,
} from '../../src/web/index.js';
import '../../src/web/adapters/express.js';
import '../../src/web/adapters/fastify.js';

describe('web types', () => {
  it('puts the context on each framework’s request', () => {
    expectTypeOf<ExpressRequest['auth']>().toEqualTypeOf<AuthContext>();
    expectTypeOf<FastifyRequest['auth']>().toEqualTypeOf<AuthContext>();
    expectTypeOf<
      ReturnType<FastifyInstance['requireUser']>
    >().toEqualTypeOf<preHandlerAsyncHookHandler>();
    const c = null as unknown as Context<AuthEnv>;
    expectTypeOf(c.get('auth')).toEqualTypeOf<AuthContext>();
  });

  it('narrows the session by kind, and results by ok', () => {
    const session = {} as Session;
    if (session.kind === 'user') expectTypeOf(session.userId).toEqualTypeOf<number>();
    if (session.kind === 'anonymous') {
      // @ts-expect-error an anonymous session has no user id
      const id: number = session.userId;
      expectTypeOf(id).toEqualTypeOf<number>();
    }
    const result = {} as ActionResult<UserSession>;
    if (result.ok) expectTypeOf(result.value.role).toEqualTypeOf<string>();
    else expectTypeOf(result.failure).toEqualTypeOf<AuthFailure>();
  });
});
