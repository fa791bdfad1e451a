import { getAuth } from '../lib/auth';

export default async function Home() {
  const { session } = await getAuth();
  return (
    <p id="status">{session.kind === 'user' ? `Signed in as ${session.email}` : 'Not signed in'}</p>
  );
}
