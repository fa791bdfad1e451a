import { getAuth } from 'authnzerver/react-router';
import type { Route } from './+types/verify-email';

export async function loader({ request, context }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const result = await getAuth(context).verifyEmail(token);
  return { verified: result.ok ? result.value.email : null };
}

export default function VerifyEmail({ loaderData }: Route.ComponentProps) {
  return loaderData.verified === null ? (
    <p id="not-verified">This link is not valid or has expired.</p>
  ) : (
    <p id="verified">
      {loaderData.verified} is verified. <a href="/login">Log in</a>.
    </p>
  );
}
