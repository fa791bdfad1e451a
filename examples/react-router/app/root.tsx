import { Form, Links, Meta, Outlet, Scripts, useLoaderData } from 'react-router';
import type { ReactNode } from 'react';
import { authnzerver, getAuth } from 'authnzerver/react-router';
import { auth } from './lib/auth.server';
import type { Route } from './+types/root';

// Every request: authenticated once, its context in the router context, its cookies and caching headers on the
// response.
export const middleware: Route.MiddlewareFunction[] = [authnzerver(auth)];

export function loader({ context }: Route.LoaderArgs) {
  return { email: getAuth(context).user?.email ?? null };
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <nav>
        <a href="/">Home</a>{' '}
        {email === null ? (
          <>
            <a href="/signup">Sign up</a> <a href="/login">Log in</a>
          </>
        ) : (
          <>
            <span id="who">{email}</span> <a href="/account">Account</a>
            <Form method="post" action="/logout">
              <button id="logout">Log out</button>
            </Form>
          </>
        )}
      </nav>
      <main>
        <Outlet />
      </main>
    </>
  );
}
