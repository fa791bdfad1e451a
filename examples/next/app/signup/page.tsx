import { signUp } from '../actions';

export default async function SignUp({
  searchParams,
}: {
  searchParams: Promise<{ sent?: string; error?: string }>;
}) {
  const { sent, error } = await searchParams;
  if (sent !== undefined) return <p id="sent">Check your email for the link.</p>;
  return (
    <form action={signUp}>
      {error === undefined ? null : <p id="error">Sign-up refused ({error}).</p>}
      <input name="fullName" placeholder="Full name" />
      <input name="email" type="email" placeholder="Email" />
      <input name="password" type="password" placeholder="Password" />
      <button type="submit">Sign up</button>
    </form>
  );
}
