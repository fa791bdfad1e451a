import { json } from '@sveltejs/kit';
import { requireUser } from 'authnzerver/sveltekit';
import type { RequestHandler } from './$types';

// An endpoint: a refusal answers 401 as JSON to an API client (the hook turns the guard's error into it).
export const GET: RequestHandler = async (event) => {
  const user = await requireUser(event);
  return json({ email: user.email, role: user.role });
};
