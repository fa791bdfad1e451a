import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const form = await request.formData();
    const result = await locals.auth.signup({
      fullName: form.get('fullName'),
      email: form.get('email'),
      password: form.get('password'),
    });
    if (!result.ok)
      return fail(result.failure.status, {
        error: result.failure.message,
        messages: result.failure.messages,
      });
    return { sent: true };
  },
};
