/** Every route of the test app as one endpoint: the route's guard through the recipe's `refuse`, then its handler. */
import type { APIRoute } from 'astro';
import { refuse } from '../../../../../examples/recipes/astro/auth.js';
import '../env.js';

export const ALL: APIRoute = async ({ request, locals }) => {
  const url = new URL(request.url);
  const route = locals.routes.find((r) => r.method === request.method && r.path === url.pathname);
  if (route === undefined) return new Response('Not found', { status: 404 });
  if (route.check !== undefined) {
    const refused = await refuse(locals.auth, route.check);
    if (refused !== null) return refused;
  }
  const body =
    request.headers.get('content-type') === 'application/json'
      ? ((await request.json()) as Record<string, unknown>)
      : {};
  const { status, json } = await route.handle(locals.auth, body, url.searchParams);
  return Response.json(json, { status });
};
