import { requireUser } from 'authnzerver/sveltekit';
import type { PageServerLoad } from './$types';

// A protected page: without a user, SvelteKit's redirect to the log-in page (and back here after it).
export const load: PageServerLoad = async (event) => {
  const user = await requireUser(event, { redirectTo: '/login' });
  return { account: { email: user.email, role: user.role } };
};
