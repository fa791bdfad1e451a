// @ts-check
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import timingSafe from './eslint-rules/timing-safe.js';

/** Why src/core/ may not import the runtime seam or a Node.js module. */
const CORE_IS_PURE =
  'src/core/ is pure: it gets what it needs from outside as CallServices or step results, not from the runtime.';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      '.tmp/',
      '.tmp-codegen-*/',
      'reports/',
      '.stryker-tmp/',
      'examples/next/.next/',
      'examples/next/next-env.d.ts',
      // The framework examples are apps of their own, with their framework's generated types (`./$types`,
      // `+types`) and globals; their journeys build and run them (test/browser/*-journey.test.ts).
      'examples/sveltekit/',
      'examples/react-router/',
      '**/.astro/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': [
        'error',
        { allowConstantLoopConditions: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Generated code: a reply with no documented keys is an empty interface on purpose (reading an undocumented
    // key should not compile), and the catalogue's `Any` is TypeScript's non-null `{}`.
    files: ['generated/**/*.ts', 'test/codegen/generator/__golden__/**/*.ts'],
    rules: {
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-generated-empty-object-type': 'off',
    },
  },
  {
    // A signature is checked with crypto.subtle.verify (constant time), never compared: eslint-rules/timing-safe.js.
    files: ['src/web/**/*.ts'],
    plugins: { 'timing-safe': timingSafe },
    rules: {
      'timing-safe/no-mac-comparison': 'error',
      'timing-safe/unsign-verifies': 'error',
    },
  },
  {
    // The wall around the call core (src/core/README.md): it is pure, so it imports only itself and zod. No
    // runtime seam, no Node.js module, no HTTP stack and no outer layer of src/ (test/lint/core-wall.test.ts).
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['#platform', ...builtinModules].map((name) => ({ name, message: CORE_IS_PURE })),
          patterns: [
            { group: ['node:*'], message: CORE_IS_PURE },
            {
              group: ['undici', 'undici/**', 'ky', 'ky/**'],
              message: 'src/core/ does no I/O: the transports (src/transport/) do.',
            },
            {
              group: ['../**'],
              message:
                'src/core/ imports nothing outside src/core/ (transport, sync, observe, crypto, platform, the client): they import it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The generator never imports the catalogue tools or the CLI (codegen/generator/README.md): the tools build on
    // the generator's catalogue model, never the reverse.
    files: ['codegen/generator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+tools(/|$)',
              message:
                'codegen/generator never imports codegen/tools (codegen/generator/README.md).',
            },
            {
              regex: '^(\\.\\./)+(cli|bin)\\.js$',
              message: 'codegen/generator never imports the CLI (codegen/generator/README.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The NestJS recipe's test is left out of the root tsconfig.json (Nest needs legacy decorators): its project is
    // the recipe's (the recipe's own files find that tsconfig.json by themselves).
    files: ['test/recipes/nestjs.test.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './examples/recipes/nestjs/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
);
