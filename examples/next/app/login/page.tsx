import { logIn } from '../actions';

export default async function LogIn({
  searchParams,
}: {
  searchParams: Promise<{ verified?: string; error?: string }>;
}) {
  const { verified, error } = await searchParams;
  return (
    <form action={logIn}>
      {verified === undefined ? null : <p id="verified">Email verified: log in.</p>}
      {error === undefined ? null : <p id="error">Log-in refused ({error}).</p>}
      <input name="email" type="email" placeholder="Email" />
      <input name="password" type="password" placeholder="Password" />
      <button type="submit">Log in</button>
    </form>
  );
}
