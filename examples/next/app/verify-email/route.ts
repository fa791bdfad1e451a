// The link of the verification email, as a route handler.
import { withAuth } from '../../lib/auth';

export const GET = withAuth(async (request, { auth }) => {
  const result = await auth.verifyEmail(request.nextUrl.searchParams.get('token') ?? '');
  const to = result.ok ? '/login?verified=1' : '/signup?error=invalid-token';
  return Response.redirect(new URL(to, auth.origin), 303);
});
