export default function Home() {
  return (
    <>
      <h1>authnzerver on React Router</h1>
      <p>Sign up, verify the email, log in, and see the account page.</p>
    </>
  );
}
