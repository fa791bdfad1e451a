/**
 * The recipe's middleware on the web core the host passed, with the socket's peer as the client address when the
 * host gives it (else the recipe's default, Astro's `context.clientAddress`).
 */
import type { MiddlewareHandler } from 'astro';
import { authnzerver } from '../../../../examples/recipes/astro/auth.js';
import './env.js';

export const onRequest: MiddlewareHandler = (context, next) => {
  const { webAuth, remoteAddress } = context.locals;
  const options = remoteAddress === undefined ? {} : { remoteAddress: () => remoteAddress };
  return authnzerver(webAuth, options)(context, next);
};
