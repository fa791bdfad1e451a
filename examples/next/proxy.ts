// Next 16's proxy (formerly middleware): authenticates each request the matcher covers, sets and forwards its
// cookies, and hands the render the sealed auth state. /unproxied is left out on purpose (the tests show that
// getAuth() refuses a header a client made up there).
import type { NextRequest } from 'next/server';
import { nextAuth } from './lib/auth';

export function proxy(request: NextRequest): Promise<Response> {
  return nextAuth().proxy(request);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|unproxied).*)'],
};
