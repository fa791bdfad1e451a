import { sequence } from '@sveltejs/kit/hooks';
import type { Handle } from '@sveltejs/kit';
import { authnzerver } from 'authnzerver/sveltekit';
import { auth } from '$lib/server/auth';

/** The app's own hook, after the adapter's: a header every page gets. */
const security: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-frame-options', 'DENY');
  return response;
};

export const handle = sequence(authnzerver(auth), security);
