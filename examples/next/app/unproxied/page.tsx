// A page the proxy's matcher leaves out: getAuth() throws here rather than trust a header a client sent.
import { getAuth } from '../../lib/auth';

export default async function Unproxied() {
  const { session } = await getAuth();
  return <p id="status">{session.kind === 'user' ? session.email : 'Not signed in'}</p>;
}
