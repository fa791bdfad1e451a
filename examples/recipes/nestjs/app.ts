/**
 * A small NestJS app on the recipe: the Express middleware mounted with `app.use`, the guard app-wide, and a
 * controller with an anonymous route, a log-in, and a page for users only.
 */
import {
  Body,
  Controller,
  Get,
  Module,
  Post,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { authnzerver } from 'authnzerver/express';
import type { AuthContext, WebAuth } from 'authnzerver/web';
import { AllowAnonymous, Auth, AUTH_PROVIDERS, AuthCheck } from './auth.js';

@Controller()
export class AccountController {
  @AllowAnonymous()
  @Get('hello')
  hello(@Auth() auth: AuthContext): { session: string } {
    return { session: auth.session.kind };
  }

  @AllowAnonymous()
  @Post('sign-in')
  async signIn(
    @Auth() auth: AuthContext,
    @Body() body: { email?: unknown; password?: unknown },
  ): Promise<{ ok: boolean }> {
    return { ok: (await auth.login(body.email, body.password)).ok };
  }

  @Get('me')
  me(@Auth() auth: AuthContext): { userId: number | null } {
    return { userId: auth.user?.userId ?? null };
  }

  @AuthCheck((auth) => auth.requireRole('superuser'))
  @Get('root')
  root(): { root: true } {
    return { root: true };
  }
}

/** Makes the Nest app (not yet listening) on a web core, with the example's controller and any others. */
export async function createApp(
  auth: WebAuth,
  controllers: readonly Type[] = [],
): Promise<INestApplication> {
  @Module({ controllers: [AccountController, ...controllers], providers: [...AUTH_PROVIDERS] })
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class its decorator describes
  class AppModule {}
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest's options are a plain object
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(authnzerver(auth));
  return app;
}
