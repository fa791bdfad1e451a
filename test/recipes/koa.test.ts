/**
 * The Koa recipe (examples/recipes/koa/auth.ts) on Koa 3's real app behind a loopback server: the test app's
 * routes (apps.ts ROUTES) mounted with the recipe's middleware and guards, through the shared scenarios.
 */
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { authnzerver, guard, type AuthState } from '../../examples/recipes/koa/auth.js';
import { ROUTES } from '../web/apps.js';
import type { Driver } from '../web/helpers.js';
import {
  guardCheck,
  listeningDriver,
  readJsonBody,
  runAdapterScenarios,
} from '../web/scenarios.js';
import type { WebAuth } from '../../src/web/index.js';
import type { AppOptions } from '../web/apps.js';

/** The test app on Koa, each route behind its guard. */
function koaDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const app = new Koa<AuthState>();
  app.use(authnzerver(auth, { anonymous: options.anonymous ?? false }));
  app.use(async (ctx, next) => {
    const route = ROUTES.find((r) => r.method === ctx.method && r.path === ctx.path);
    if (route === undefined) {
      await next();
      return;
    }
    const handle = async (): Promise<void> => {
      const body = await readJsonBody(ctx.req);
      const query = new URLSearchParams(ctx.querystring);
      const { status, json } = await route.handle(ctx.state.auth, body, query);
      ctx.status = status;
      ctx.body = json;
    };
    if (route.guard === undefined) await handle();
    else await guard(guardCheck(route.guard))(ctx, handle);
  });
  const callback = app.callback();
  return listeningDriver(createServer((req, res) => void callback(req, res)));
}

runAdapterScenarios('koa recipe', koaDriver);

describe('koa recipe: a guard without the middleware', () => {
  it('throws an error that names the missing middleware, and never runs the route', async () => {
    let ran = false;
    const route = guard((a) => a.requireUser());
    await expect(
      route({ state: {} } as Parameters<typeof route>[0], () => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toThrow('app.use(authnzerver(auth)) did not run before this guard');
    expect(ran).toBe(false);
  });
});
