/**
 * The NestJS recipe (examples/recipes/nestjs/) on Nest 12's Express platform behind a loopback server: the
 * example app's controller, and a controller made here of the test app's routes (apps.ts ROUTES), each with
 * `@AllowAnonymous()` and its guard as `@AuthCheck`, its handler taking `@Auth()`, through the shared scenarios.
 * The decorators are applied as the functions they are (this file has no decorator syntax, so that it type-checks
 * under the root tsconfig as well as the recipe's).
 */
import 'reflect-metadata';
import {
  Body,
  Controller,
  Delete,
  Get,
  Patch,
  Post,
  Put,
  Req,
  Res,
  type INestApplication,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../examples/recipes/nestjs/app.js';
import { AllowAnonymous, Auth, AuthCheck } from '../../examples/recipes/nestjs/auth.js';
import type { AuthContext, WebAuth } from '../../src/web/index.js';
import { ROUTES, type AppOptions } from '../web/apps.js';
import { adapterHarness, APP, type Driver } from '../web/helpers.js';
import { guardCheck, listeningDriver, runAdapterScenarios } from '../web/scenarios.js';

const METHODS = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete };

/** A controller of ROUTES, decorated by hand. */
function routesController(): new () => object {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- its routes are added below
  class RoutesController {}
  const proto = RoutesController.prototype as unknown as Record<string, unknown>;
  for (const [index, route] of ROUTES.entries()) {
    const key = `route${index}`;
    proto[key] = async (auth: AuthContext, body: unknown, req: Request, res: Response) => {
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const { status, json } = await route.handle(
        auth,
        (body ?? {}) as Record<string, unknown>,
        query,
      );
      res.status(status).json(json);
    };
    const descriptor = Object.getOwnPropertyDescriptor(proto, key) as PropertyDescriptor;
    METHODS[route.method](route.path)(proto, key, descriptor);
    AllowAnonymous()(proto, key, descriptor);
    if (route.guard !== undefined) AuthCheck(guardCheck(route.guard))(proto, key, descriptor);
    Auth()(proto, key, 0);
    Body()(proto, key, 1);
    Req()(proto, key, 2);
    Res()(proto, key, 3);
  }
  Controller()(RoutesController);
  return RoutesController;
}

/** Serves a Nest app on a loopback port. */
async function serve(app: INestApplication): Promise<Driver> {
  await app.init();
  return listeningDriver(app.getHttpServer() as Server, () => app.close());
}

async function nestDriver(auth: WebAuth, options: AppOptions = {}): Promise<Driver> {
  if (options.anonymous === true) throw new Error('the Nest recipe mounts the middleware as is');
  return serve(await createApp(auth, [routesController()]));
}

runAdapterScenarios('nestjs recipe', nestDriver);

describe('nestjs recipe: the example controller', () => {
  const h = adapterHarness((auth) => nestDriver(auth));

  it('@AllowAnonymous() routes answer visitors, the others need a user, @AuthCheck adds its check', async () => {
    const { env, d, jar } = await h.start();
    expect((await d.send('GET', '/hello')).json()).toEqual({ session: 'none' });
    const me = await d.send('GET', '/me', { headers: { accept: 'application/json' } });
    expect(me.status).toBe(401);
    expect(me.json()['error']).toBe('unauthenticated');
    env.server.authnzerver.addUser({
      email: 'ada@example.com',
      password: 'correct horse battery staple 42',
    });
    const signIn = await d.send('POST', '/sign-in', {
      headers: { origin: APP },
      body: { email: 'ada@example.com', password: 'correct horse battery staple 42' },
    });
    expect(signIn.json()).toEqual({ ok: true });
    jar.take(signIn);
    const mine = await d.send('GET', '/me', { headers: jar.header() });
    expect(mine.status).toBe(200);
    expect(mine.json()['userId']).toBe(env.server.authnzerver.findUser('ada@example.com')?.user_id);
    expect((await d.send('GET', '/root', { headers: jar.header() })).status).toBe(403);
  });
});
