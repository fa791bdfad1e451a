import { requireUser } from 'authnzerver/react-router';
import type { Route } from './+types/api.me';

// A resource route: a refusal is the 401 itself (JSON to an API client).
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  return Response.json({ email: user.email, role: user.role });
}
