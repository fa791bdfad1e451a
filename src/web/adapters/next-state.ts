/**
 * The auth state `authnzerver/next`'s proxy hands the render: what the sealed request header holds, the session
 * in a form JSON keeps, and what the header is bound to (the session cookie's value and the `Authorization`
 * header), so that a header copied to another request is refused.
 */
import type { Principal, Session } from '../types.js';

/** Any header object with `get` (a `Headers`, Next's `ReadonlyHeaders`). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What the sealed header holds. */
export interface SealedState {
  readonly ver: 1;
  /** The client IP, the origin. */
  readonly ip: string;
  readonly origin: string;
  /** The cookie's name and the binding: a hash of the session cookie's value and the `Authorization` header. */
  readonly cn: string;
  readonly b: string;
  readonly s: SealedSession;
  readonly u: Principal | null;
}

export type SealedSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'anonymous'; readonly expires: number }
  | {
      readonly kind: 'user';
      readonly userId: number;
      readonly systemId: string;
      readonly email: string;
      readonly fullName: string | null;
      readonly role: string;
      readonly emailVerified: boolean;
      readonly expires: number;
    };

/** The value of one cookie in a `Cookie` header, or null. */
function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The text a sealed state is bound to: the session cookie's value and the `Authorization` header. */
export function bindingText(headersIn: HeaderReader, cookieName: string): string {
  return `${cookieValue(headersIn.get('cookie'), cookieName) ?? ''}\n${headersIn.get('authorization') ?? ''}`;
}

/** The session as the sealed state keeps it (dates as numbers). */
export function sealSession(session: Session): SealedSession {
  switch (session.kind) {
    case 'none':
      return { kind: 'none' };
    case 'anonymous':
      return { kind: 'anonymous', expires: session.expires.getTime() };
    case 'user':
      return { ...session, expires: session.expires.getTime() };
  }
}

/** The session out of the sealed state. */
export function openSession(s: SealedSession): Session {
  return s.kind === 'none'
    ? { kind: 'none' }
    : Object.freeze({ ...s, expires: new Date(s.expires) });
}
