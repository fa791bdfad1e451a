// The driver gives each request its hook (the adapter's, in `sequence()`) as `platform.handle`.
/** @type {import('@sveltejs/kit').Handle} */
export const handle = (input) => input.event.platform.handle(input);
