import { Form, data, redirect } from 'react-router';
import { getAuth } from 'authnzerver/react-router';
import type { Route } from './+types/login';

/** Only a path of this site: never an open redirect. */
function safeNext(value: string | null): string {
  return value !== null && value.startsWith('/') && !value.startsWith('//') ? value : '/account';
}

// The log-in's cookie goes on this action's redirect (the middleware adds it to the response).
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const result = await getAuth(context).login(form.get('email'), form.get('password'));
  if (!result.ok) return data({ error: result.failure.message }, { status: result.failure.status });
  return redirect(safeNext(new URL(request.url).searchParams.get('next')));
}

export default function Login({ actionData }: Route.ComponentProps) {
  return (
    <>
      <h1>Log in</h1>
      {actionData?.error ? <p id="error">{actionData.error}</p> : null}
      <Form method="post">
        <input name="email" type="email" placeholder="Email" required />
        <input name="password" type="password" placeholder="Password" required />
        <button id="login">Log in</button>
      </Form>
    </>
  );
}
