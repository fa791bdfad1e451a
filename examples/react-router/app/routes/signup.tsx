import { Form, data } from 'react-router';
import { getAuth } from 'authnzerver/react-router';
import type { Route } from './+types/signup';

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const result = await getAuth(context).signup({
    fullName: form.get('fullName'),
    email: form.get('email'),
    password: form.get('password'),
  });
  if (!result.ok) {
    return data({ sent: false, error: result.failure.message }, { status: result.failure.status });
  }
  return { sent: true, error: null };
}

export default function Signup({ actionData }: Route.ComponentProps) {
  if (actionData?.sent === true)
    return <p id="sent">Check your email for the verification link.</p>;
  return (
    <>
      <h1>Sign up</h1>
      {actionData?.error ? <p id="error">{actionData.error}</p> : null}
      <Form method="post">
        <input name="fullName" placeholder="Name" required />
        <input name="email" type="email" placeholder="Email" required />
        <input name="password" type="password" placeholder="Password" required />
        <button id="signup">Sign up</button>
      </Form>
    </>
  );
}
