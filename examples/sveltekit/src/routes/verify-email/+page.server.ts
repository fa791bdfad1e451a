import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
  const result = await locals.auth.verifyEmail(url.searchParams.get('token') ?? '');
  return result.ok ? { verified: result.value.email } : { verified: null };
};
