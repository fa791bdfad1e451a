import { redirect } from 'react-router';
import { getAuth } from 'authnzerver/react-router';
import type { Route } from './+types/logout';

export async function action({ context }: Route.ActionArgs) {
  await getAuth(context).logout();
  return redirect('/');
}

export default function LoggedOut() {
  return <p>You are logged out.</p>;
}
