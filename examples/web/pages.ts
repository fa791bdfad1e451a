/**
 * The example app's pages: one function per page, each returning the whole HTML document. Every value from the
 * user or the auth server goes through the escaping `html` template (./html.ts).
 */
import { INPUT_LIMITS, type ApiKeyInfo, type UserSession } from 'authnzerver/web';
import { html, layout, type Notice, type SafeHtml, type Viewer } from './html.js';

/** One API key as the keys page lists it: never its Bearer value. */
export interface KeyRow {
  readonly id: string;
  readonly info: ApiKeyInfo;
  readonly revoked: boolean;
}

function when(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** `/`: what this app is, and where to go. */
export function homePage(viewer: Viewer): string {
  const body =
    viewer.email === undefined
      ? html`<p>
            This is the authnzerver web example: sign up, verify your email, log in, and make API
            keys.
          </p>
          <p><a href="/signup">Sign up</a> or <a href="/login">log in</a>.</p>`
      : html`<p>You are logged in as <strong id="who">${viewer.email}</strong>.</p>
          <p>See <a href="/account">your account</a> or <a href="/keys">your API keys</a>.</p>`;
  return layout('Welcome', viewer, body);
}

/** One required, labelled input of a form; `value` refills it (never for a password). */
export function input(
  label: string,
  name: string,
  type: 'text' | 'email' | 'password',
  autocomplete: string,
  value?: string,
): SafeHtml {
  const refill = value === undefined ? '' : html` value="${value}"`;
  // The auth server's limits (INPUT_LIMITS), so a browser stops at them; the web core checks them again.
  const max =
    INPUT_LIMITS[name === 'fullName' ? 'fullName' : type === 'password' ? 'password' : 'email'];
  return html`<label
    >${label}
    <input
      name="${name}"
      type="${type}"
      autocomplete="${autocomplete}"
      maxlength="${String(max)}"
      required${refill}
  /></label>`;
}

/** `/signup`: the sign-up form, with the values typed so far (never the password). */
export function signupPage(
  viewer: Viewer,
  values: { fullName?: string; email?: string } = {},
  notice?: Notice,
): string {
  const body = html`<form method="post" action="/signup">
      ${input('Full name', 'fullName', 'text', 'name', values.fullName ?? '')}
      ${input('Email', 'email', 'email', 'email', values.email ?? '')}
      ${input('Password', 'password', 'password', 'new-password')}
      <button type="submit">Sign up</button>
    </form>
    <p>Already signed up? <a href="/login">Log in</a>.</p>`;
  return layout('Sign up', viewer, body, notice);
}

/** After a sign-up: the server's messages, and where the link went. */
export function signedUpPage(viewer: Viewer, email: string, notice: Notice): string {
  const body = html`<p id="sent">
      We sent a verification link to <strong>${email}</strong>. Open it to activate your account,
      then <a href="/login">log in</a>.
    </p>
    <p>(This example prints the email on the server's console.)</p>`;
  return layout('Check your email', viewer, body, notice);
}

/** `/verify-email`: the outcome of a verification link. */
export function verifiedPage(viewer: Viewer, email: string | undefined, notice: Notice): string {
  const body =
    email === undefined
      ? html`<p>
          The link did not verify an address. <a href="/signup">Sign up</a> again to get a new one.
        </p>`
      : html`<p id="verified">
          Your email address <strong>${email}</strong> is verified. You can now
          <a href="/login">log in</a>.
        </p>`;
  return layout('Email verification', viewer, body, notice);
}

/** `/login`: the log-in form. */
export function loginPage(viewer: Viewer, email = '', notice?: Notice): string {
  const body = html`<form method="post" action="/login">
      ${input('Email', 'email', 'email', 'username', email)}
      ${input('Password', 'password', 'password', 'current-password')}
      <label class="check"
        ><input type="checkbox" name="remember" value="yes" id="remember" /> Remember me on this
        device</label
      >
      <button type="submit">Log in</button>
    </form>
    <p>No account yet? <a href="/signup">Sign up</a>.</p>
    <p>
      <a href="/forgot-password">Forgot your password?</a>
      <a href="/resend-verification">Resend the verification link</a>
    </p>`;
  return layout('Log in', viewer, body, notice);
}

/** The themes of the session data demo. */
export const THEMES = ['light', 'dark'] as const;

/** `/preferences`: the session data demo, a theme kept in the session (`context.data`, `setData`). */
export function preferencesPage(session: UserSession, theme: string, notice?: Notice): string {
  const body = html`<p>
      Your theme is <strong id="theme">${theme}</strong>. It is kept in this session's data: another
      session (another browser, or after log-out) starts without it.
    </p>
    <form method="post" action="/preferences">
      ${THEMES.map(
        (t) =>
          html`<label class="check"
            ><input type="radio" name="theme" value="${t}" ${t === theme ? 'checked' : ''} />
            ${t}</label
          >`,
      )}
      <button type="submit">Save</button>
    </form>`;
  return layout('Preferences', { email: session.email }, body, notice);
}

/** `/account`: the logged-in user's session. */
export function accountPage(session: UserSession, notice?: Notice): string {
  const body = html`<table>
      <tr>
        <th>Name</th>
        <td id="full-name">${session.fullName ?? ''}</td>
      </tr>
      <tr>
        <th>Email</th>
        <td id="email">${session.email}</td>
      </tr>
      <tr>
        <th>User ID</th>
        <td id="user-id">${session.userId}</td>
      </tr>
      <tr>
        <th>Role</th>
        <td id="role">${session.role}</td>
      </tr>
      <tr>
        <th>Session expires</th>
        <td>${when(session.expires)}</td>
      </tr>
    </table>
    <ul id="account-links">
      <li><a href="/keys">Manage your API keys</a></li>
      <li><a href="/preferences">Preferences</a> (kept in the session's data)</li>
      <li><a href="/account/profile">Edit your profile</a></li>
      <li><a href="/account/password">Change your password</a></li>
      <li><a href="/account/delete">Delete your account</a></li>
    </ul>
    <form method="post" action="/logout-everywhere" id="logout-everywhere">
      <button type="submit">Log out on every other device</button>
    </form>`;
  return layout('Your account', { email: session.email }, body, notice);
}

/** `/keys`: the user's keys, the form for a new one, and a new key's Bearer value (shown once). */
export function keysPage(
  session: UserSession,
  origin: string,
  keys: readonly KeyRow[],
  created?: { token: string; id: string },
  notice?: Notice,
): string {
  const fresh =
    created === undefined
      ? ''
      : html`<section id="new-key">
          <p>Your new API key (<code>${created.id}</code>). Copy it now: it is not shown again.</p>
          <code class="key" id="new-key-token">${created.token}</code>
          <p>
            Use it as <code>Authorization: Bearer &lt;key&gt;</code> on <code>/api/</code>, e.g.
            <code>curl -H "Authorization: Bearer …" ${origin}/api/me</code>.
          </p>
        </section>`;
  const rows =
    keys.length === 0
      ? html`<p id="no-keys">You have no API keys yet.</p>`
      : html`<table id="keys">
          <tr>
            <th>Key</th>
            <th>For</th>
            <th>Issued</th>
            <th>Expires</th>
            <th></th>
          </tr>
          ${keys.map(
            (key) =>
              html`<tr data-key-id="${key.id}">
                <td><code>${key.id}</code></td>
                <td>${key.info.subject}</td>
                <td>${when(key.info.issuedAt)}</td>
                <td>${when(key.info.expires)}</td>
                <td>
                  ${
                    key.revoked
                      ? html`<span class="revoked">revoked</span>`
                      : html`<form method="post" action="/keys/${key.id}/revoke">
                          <button type="submit">Revoke</button>
                        </form>`
                  }
                </td>
              </tr>`,
          )}
        </table>`;
  const body = html`${fresh}${rows}
    <form method="post" action="/keys" id="create-key">
      <button type="submit">Create an API key</button>
    </form>`;
  return layout('API keys', { email: session.email }, body, notice);
}

/**
 * A page for a refusal or failure, or a plain notice: the generic text or the server's messages, and the web
 * core's failure code (`unavailable`, `csrf`, ...) when there is one.
 */
export function failurePage(viewer: Viewer, title: string, notice: Notice, code?: string): string {
  const body = html`${code === undefined ? '' : html`<p id="failure-code">Reason: <code>${code}</code></p>`}
    <p><a href="/">Back to the start</a></p>`;
  return layout(title, viewer, body, notice);
}
