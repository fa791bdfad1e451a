/* global process */
// The test app of the SvelteKit driver (test/web/drivers/sveltekit.ts): built once, run through SvelteKit's own
// `Server`. No adapter: the driver uses the build's `Server` and manifest directly.
/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    outDir: process.env.SVELTEKIT_DRIVER_OUT ?? '.svelte-kit',
    // The scenarios test the adapter's own cross-site check, so SvelteKit's (which answers first) is off here.
    csrf: { trustedOrigins: ['*'] },
  },
};
