// Every path and method goes to the driver's route table (`platform.endpoint`), behind SvelteKit's own routing,
// hooks, cookies and error handling.
/** @type {import('@sveltejs/kit').RequestHandler} */
const endpoint = (event) => event.platform.endpoint(event);

export const GET = endpoint;
export const POST = endpoint;
export const PUT = endpoint;
export const PATCH = endpoint;
export const DELETE = endpoint;
