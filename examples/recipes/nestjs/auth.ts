/**
 * Recipe: authnzerver's web core in NestJS 12 on its Express platform. The `authnzerver/express` middleware
 * (`app.use(authnzerver(auth))`) authenticates every request; `AUTH_PROVIDERS` registers a global guard that lets a
 * route through only with a user, unless the route (or its controller) says `@AllowAnonymous()`, and runs the
 * route's `@AuthCheck(...)`; `@Auth()` gives a handler the request's `AuthContext`. A refusal is answered as the
 * web core answers it (status, `WWW-Authenticate`, `Retry-After`, text or JSON), not as Nest's default JSON error.
 *
 * Nest needs TypeScript's legacy decorators (`experimentalDecorators`, see tsconfig.json here). Without
 * `emitDecoratorMetadata`, which esbuild-based tools do not emit, injection names its tokens (`@Inject(Reflector)`).
 */
import {
  Catch,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type {} from 'authnzerver/express';
import { failureHeaders, failureJson, type AuthContext, type AuthFailure } from 'authnzerver/web';

/** A route's extra check on the request's context: null to let it through, else the refusal. */
export type AuthCheckFn = (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>;

const ALLOW_ANONYMOUS = 'authnzerver:allow-anonymous';
const AUTH_CHECK = 'authnzerver:check';

/** Lets requests without a user reach the route (or every route of the controller). */
export const AllowAnonymous = () => SetMetadata(ALLOW_ANONYMOUS, true);

/** Runs `check` before the route, e.g. `@AuthCheck((a) => a.requireRole('superuser'))`. */
export const AuthCheck = (check: AuthCheckFn) => SetMetadata(AUTH_CHECK, check);

/** The request's `AuthContext`, as a handler's parameter: `me(@Auth() auth: AuthContext)`. */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext =>
  authOf(ctx),
);

function authOf(ctx: ExecutionContext): AuthContext {
  const auth = ctx.switchToHttp().getRequest<Request>().auth as AuthContext | undefined;
  if (auth === undefined) {
    throw new Error('authnzerver: app.use(authnzerver(auth)) did not run for this request');
  }
  return auth;
}

/** A refusal on its way to {@link AuthRefusalFilter}. */
export class AuthRefusal extends Error {
  constructor(
    readonly failure: AuthFailure,
    readonly json: boolean,
  ) {
    super(failure.message);
  }
}

/** The global guard: a user unless `@AllowAnonymous()`, then the route's `@AuthCheck`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const auth = authOf(ctx);
    const targets = [ctx.getHandler(), ctx.getClass()];
    const anonymous =
      this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_ANONYMOUS, targets) === true;
    const check = this.reflector.getAllAndOverride<AuthCheckFn | undefined>(AUTH_CHECK, targets);
    const failure = (anonymous ? null : auth.requireUser()) ?? (await check?.(auth)) ?? null;
    if (failure !== null) throw new AuthRefusal(failure, auth.wantsJson);
    return true;
  }
}

/** Answers an {@link AuthRefusal} as the web core does. */
@Catch(AuthRefusal)
export class AuthRefusalFilter implements ExceptionFilter<AuthRefusal> {
  catch(refusal: AuthRefusal, host: ArgumentsHost): void {
    const { failure, json } = refusal;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(failure.status)
      .set(failureHeaders(failure))
      .type(json ? 'application/json' : 'text/plain')
      .send(json ? failureJson(failure) : failure.message);
  }
}

/** The guard and the filter, app-wide: `@Module({ providers: [...AUTH_PROVIDERS] })`. */
export const AUTH_PROVIDERS = [
  { provide: APP_GUARD, useClass: AuthGuard },
  { provide: APP_FILTER, useClass: AuthRefusalFilter },
];
