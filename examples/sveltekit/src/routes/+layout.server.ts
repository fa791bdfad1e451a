import type { LayoutServerLoad } from './$types';

// Every page knows who is logged in (only what it shows: never the session token).
export const load: LayoutServerLoad = ({ locals }) => ({
  email: locals.auth.user?.email ?? null,
});
