import { requireUser } from 'authnzerver/react-router';
import type { Route } from './+types/account';

// A protected page: without a user, a redirect to the log-in page (and back here after it).
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args, { redirectTo: '/login' });
  return { email: user.email, role: user.role };
}

export default function Account({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <h1>Your account</h1>
      <p id="account">
        {loaderData.email} ({loaderData.role})
      </p>
    </>
  );
}
