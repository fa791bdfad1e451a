/**
 * The example app's HTML: a tagged template that escapes every value put into it, and the page layout. Anything
 * that comes from the user or from the auth server (names, emails, the server's messages) goes through
 * {@link html}, so it is shown as text and never read as markup.
 */

/** A piece of HTML that is already safe: made by {@link html} or {@link raw}, never from user input. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** A value that can go into {@link html}: text is escaped, SafeHtml is kept, arrays are joined, null is nothing. */
export type HtmlValue =
  string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** The tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup written in this app's source, used as is. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** The app's only CSS, served as `/style.css` (a file, so the Content-Security-Policy needs no inline style). */
export const STYLE = `body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #ddd; margin-bottom: 1.5rem; }
header h1 { font-size: 1.2rem; margin: 0 auto 0 0; }
nav { display: flex; gap: 0.75rem; align-items: baseline; }
nav form { margin: 0; }
label { display: block; margin: 0.5rem 0; }
input { display: block; width: 100%; padding: 0.4rem; box-sizing: border-box; }
label.check input { display: inline; width: auto; }
button { padding: 0.4rem 0.9rem; cursor: pointer; }
nav button { padding: 0.1rem 0.5rem; }
.messages { padding: 0.6rem 1rem; border-radius: 4px; margin: 1rem 0; }
.messages.info { background: #eef6ee; border: 1px solid #9c9; }
.messages.error { background: #fbeeee; border: 1px solid #d99; }
.messages p { margin: 0.2rem 0; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #eee; }
code.key { display: block; word-break: break-all; background: #f4f4f4; padding: 0.5rem; }
`;

/** What the header shows: links for a visitor, or the signed-in user and a log-out button. */
export interface Viewer {
  readonly email?: string | undefined;
}

/** Messages shown on a page: the auth server's, or the app's own. */
export interface Notice {
  readonly kind: 'info' | 'error';
  readonly messages: readonly string[];
}

/** The page around every body. */
export function layout(title: string, viewer: Viewer, body: SafeHtml, notice?: Notice): string {
  const nav =
    viewer.email === undefined
      ? html`<a href="/signup">Sign up</a> <a href="/login">Log in</a>`
      : html`<a href="/account">${viewer.email}</a> <a href="/keys">API keys</a>
          <form method="post" action="/logout"><button type="submit">Log out</button></form>`;
  const messages =
    notice === undefined || notice.messages.length === 0
      ? ''
      : html`<div
          class="messages ${notice.kind}"
          role="${notice.kind === 'error' ? 'alert' : 'status'}"
        >
          ${notice.messages.map((message) => html`<p>${message}</p>`)}
        </div>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · authnzerver example</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        <header>
          <h1><a href="/">authnzerver example</a></h1>
          <nav>${nav}</nav>
        </header>
        <main>
          <h2>${title}</h2>
          ${messages} ${body}
        </main>
      </body>
    </html> `.text;
}
