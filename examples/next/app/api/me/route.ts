// An API route: a user (by session cookie or API key) or 401, as JSON.
import { requireUser } from 'authnzerver/next';
import { withAuth } from '../../../lib/auth';

export const GET = withAuth(
  (_request, { auth }) => Response.json({ userId: auth.user?.userId, email: auth.user?.email }),
  { guard: requireUser({ json: true }) },
);

export const POST = GET;
