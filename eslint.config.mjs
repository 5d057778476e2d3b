// ESLint flat config: `npm run lint` (also run by `npm test`) checks the language server and CLI,
// the extension client and the tests with ESLint's and typescript-eslint's recommended rules.
// Type-aware rules (recommendedTypeChecked) are left out: on a 2-core machine they made the lint
// about 3x slower and 2x bigger in memory, and their ~990 findings were deliberate code or noise
// (mostly node:test's test() promises and `any` JSON in tests), not bugs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/out/**', '**/node_modules/**', 'dist/**', '.vscode-test/**', 'test/fixtures/**', 'test/bench/results/**'] },
  {
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // tsc already enforces this (noUnusedLocals, noUnusedParameters in tsconfig.json); the rule
      // would add only the `const KEYS = [...] as const; type Key = (typeof KEYS)[number]` idiom.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    // The language server's stdout is the LSP channel (main.ts forwards console.* to the client's
    // log, for libraries) and the CLI writes through its injected io: no console in server code.
    files: ['server/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Python's str.splitlines() and str.isspace() sets include control characters (\v, \f, \x1c-\x1e).
    files: ['server/src/parser/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests assert on untyped JSON (pip's oracle output, index pages, package.json) and rejections.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // mocha 11 is CommonJS and is loaded with require() inside the VS Code extension host (see loadMocha).
    files: ['test/e2e/suite/index.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
