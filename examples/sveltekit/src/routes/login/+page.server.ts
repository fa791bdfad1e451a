import { fail, redirect } from '@sveltejs/kit';
import type { Actions } from './$types';

/** Only a path of this site: never an open redirect. */
function safeNext(value: string | null): string {
  return value !== null && value.startsWith('/') && !value.startsWith('//') ? value : '/account';
}

export const actions: Actions = {
  // The log-in sets the session cookie through `event.cookies` (the adapter does it): it reaches the browser
  // with this action's redirect.
  default: async ({ request, locals, url }) => {
    const form = await request.formData();
    const result = await locals.auth.login(form.get('email'), form.get('password'));
    if (!result.ok) return fail(result.failure.status, { error: result.failure.message });
    redirect(303, safeNext(url.searchParams.get('next')));
  },
};
