/**
 * The Nuxt/Nitro recipe (examples/recipes/nuxt/auth.ts) on h3 1's real app (the h3 Nitro 2 and Nuxt 4 ship)
 * behind a loopback server through `toNodeListener`: the test app's routes (apps.ts ROUTES) on an h3 router, the
 * recipe's middleware in `app.use`, and its guards as `onRequest` hooks, through the shared scenarios.
 */
import {
  createApp,
  createEvent,
  createRouter,
  defineEventHandler,
  readBody,
  toNodeListener,
} from 'h3';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { authnzerver, guard } from '../../examples/recipes/nuxt/auth.js';
import type { WebAuth } from '../../src/web/index.js';
import { ROUTES, type AppOptions } from '../web/apps.js';
import type { Driver } from '../web/helpers.js';
import { guardCheck, listeningDriver, runAdapterScenarios } from '../web/scenarios.js';

/** The test app on h3, each route behind its guard. */
function h3Driver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  const app = createApp();
  app.use(authnzerver(auth, { anonymous: options.anonymous ?? false }));
  const router = createRouter();
  for (const route of ROUTES) {
    router.add(
      route.path,
      defineEventHandler({
        onRequest: route.guard === undefined ? [] : [guard(guardCheck(route.guard))],
        handler: async (event) => {
          const body =
            event.headers.get('content-type') === 'application/json'
              ? await readBody<Record<string, unknown>>(event)
              : {};
          const query = new URL(event.path, 'http://h3.test').searchParams;
          const { status, json } = await route.handle(event.context.auth, body, query);
          event.node.res.statusCode = status;
          return json;
        },
      }),
      route.method.toLowerCase() as 'get',
    );
  }
  app.use(router);
  return listeningDriver(createServer(toNodeListener(app)));
}

runAdapterScenarios('nuxt/h3 recipe', h3Driver);

describe('nuxt/h3 recipe: a guard without the middleware', () => {
  it('throws an error that names the missing middleware', async () => {
    const hook = guard((a) => a.requireUser());
    const req = new IncomingMessage(new Socket());
    const event = createEvent(req, new ServerResponse(req));
    await expect(hook(event)).rejects.toThrow(
      'the authnzerver(auth) middleware did not run before this guard',
    );
  });
});
