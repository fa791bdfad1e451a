import type { ReactNode } from 'react';

export const metadata = { title: 'authnzerver on Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <nav>
          <a href="/">Home</a> · <a href="/signup">Sign up</a> · <a href="/login">Log in</a> ·{' '}
          <a href="/account">Account</a>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
