// A protected page, as a server component: it reads the state the proxy sealed (read-only).
import { redirect } from 'next/navigation';
import { getAuth } from '../../lib/auth';
import { logOut } from '../actions';

export default async function Account() {
  const { session } = await getAuth();
  if (session.kind !== 'user') redirect('/login');
  return (
    <>
      <p id="who">{session.email}</p>
      <form action={logOut}>
        <button type="submit">Log out</button>
      </form>
    </>
  );
}
