/**
 * The example app's session data demo: `/preferences` keeps a theme in the session's data (`context.data`,
 * `setData`), so another session of the same user (another browser, or after log-out) starts without it.
 */
import type { AuthContext } from 'authnzerver/web';
import type { Notice } from './html.js';
import { preferencesPage, THEMES } from './pages.js';
import { page, redirect, text, withUser, type Refused, type Route } from './reply.js';

/** The session's theme, else `light`. */
function themeOf(auth: AuthContext): string {
  const theme = auth.data['theme'];
  return typeof theme === 'string' ? theme : 'light';
}

/** `GET` and `POST /preferences`. */
export function preferencesRoutes(refused: Refused): Route[] {
  return [
    {
      method: 'GET',
      path: '/preferences',
      handle: (auth) =>
        withUser(auth, (session) => page(200, preferencesPage(session, themeOf(auth)))),
    },
    {
      method: 'POST',
      path: '/preferences',
      handle: (auth, { form }) =>
        withUser(auth, async (session) => {
          const theme = text(form, 'theme');
          if (!THEMES.includes(theme as (typeof THEMES)[number])) {
            const notice: Notice = { kind: 'error', messages: ['Choose a theme.'] };
            return page(400, preferencesPage(session, themeOf(auth), notice));
          }
          const saved = await auth.setData({ theme });
          if (!saved.ok) return refused('/preferences', saved.failure, auth);
          return redirect('/preferences');
        }),
    },
  ];
}
