import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // The tests build into .tmp/ (EXAMPLE_OUT); by hand, into build/ and .svelte-kit/ here.
    adapter: adapter({ out: process.env.EXAMPLE_OUT ?? 'build' }),
    outDir: process.env.EXAMPLE_KIT_DIR ?? '.svelte-kit',
  },
};
