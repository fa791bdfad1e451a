/**
 * The example app's account pages: forgotten password, reset, resend verification, password confirmation
 * (step-up), change password, profile and email change, and account deletion. Every value from the user or the
 * auth server goes through the escaping `html` template (./html.ts).
 */
import { html, layout, type Notice, type Viewer } from './html.js';
import { input } from './pages.js';

/** `/forgot-password`: the address to send a reset link to. */
export function forgotPage(viewer: Viewer, notice?: Notice): string {
  const body = html`<form method="post" action="/forgot-password" id="forgot">
    ${input('Email', 'email', 'email', 'email')}
    <button type="submit">Send me a reset link</button>
  </form>`;
  return layout('Forgot your password?', viewer, body, notice);
}

/** After a reset request: the same page for every address. */
export function resetSentPage(viewer: Viewer): string {
  const body = html`<p id="reset-sent">
    If an active account has this address, we sent it a link to choose a new password. It works
    once, for 30 minutes.
  </p>`;
  return layout('Check your email', viewer, body);
}

/** `/reset-password?token=…`: the new password, with the token carried in a hidden field. */
export function resetPage(viewer: Viewer, token: string, notice?: Notice): string {
  const body = html`<form method="post" action="/reset-password" id="reset">
    <input type="hidden" name="token" value="${token}" />
    ${input('New password', 'password', 'password', 'new-password')}
    <button type="submit">Set the new password</button>
  </form>`;
  return layout('Choose a new password', viewer, body, notice);
}

/** `/resend-verification`: the address to send the verification link to again. */
export function resendPage(viewer: Viewer, notice?: Notice): string {
  const body = html`<form method="post" action="/resend-verification" id="resend">
    ${input('Email', 'email', 'email', 'email')}
    <button type="submit">Send the link again</button>
  </form>`;
  return layout('Resend the verification link', viewer, body, notice);
}

/** `/confirm?next=…`: step-up, the password again before a sensitive action. */
export function confirmPage(viewer: Viewer, next: string, notice?: Notice): string {
  const body = html`<p>Please confirm your password to continue.</p>
    <form method="post" action="/confirm" id="confirm">
      <input type="hidden" name="next" value="${next}" />
      ${input('Password', 'password', 'password', 'current-password')}
      <button type="submit">Confirm</button>
    </form>`;
  return layout('Confirm your password', viewer, body, notice);
}

/** `/account/password`: the current password and the new one. */
export function changePasswordPage(viewer: Viewer, notice?: Notice): string {
  const body = html`<form method="post" action="/account/password" id="change-password">
    ${input('Current password', 'current', 'password', 'current-password')}
    ${input('New password', 'next', 'password', 'new-password')}
    <button type="submit">Change the password</button>
  </form>`;
  return layout('Change your password', viewer, body, notice);
}

/** `/account/profile`: the name, and a new email address (applied once its link is opened). */
export function profilePage(
  viewer: Viewer,
  values: { fullName: string; email: string },
  notice?: Notice,
): string {
  const body = html`<form method="post" action="/account/profile" id="profile">
      ${input('Full name', 'fullName', 'text', 'name', values.fullName)}
      <button type="submit">Save the name</button>
    </form>
    <form method="post" action="/account/email" id="change-email">
      ${input('New email', 'email', 'email', 'email', values.email)}
      <button type="submit">Send a link to the new address</button>
    </form>`;
  return layout('Your profile', viewer, body, notice);
}

/** `/account/delete`: the password, once more, to delete the account. */
export function deletePage(viewer: Viewer, notice?: Notice): string {
  const body = html`<p>Deleting your account cannot be undone.</p>
    <form method="post" action="/account/delete" id="delete-account">
      ${input('Password', 'password', 'password', 'current-password')}
      <button type="submit">Delete my account</button>
    </form>`;
  return layout('Delete your account', viewer, body, notice);
}
