import type { Config } from '@react-router/dev/config';

export default {
  ssr: true,
  // The tests build into .tmp/ (EXAMPLE_OUT); by hand, into build/ here.
  buildDirectory: process.env['EXAMPLE_OUT'] ?? 'build',
  // Middleware and the router context: `authnzerver(auth)` in app/root.tsx, `getAuth(context)` in loaders.
  future: { v8_middleware: true },
} satisfies Config;
