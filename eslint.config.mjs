// ESLint (typescript-eslint) for every TypeScript file; formatting is Prettier's (eslint-config-prettier
// turns off the rules that would disagree with it). Architecture boundaries: .dependency-cruiser.cjs.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'reports/**',
      '.data/**',
      'gateway/explorer/page.js',
      '**/*.cjs',
      '**/*.mjs',
      'tests/helpers/*.js',
      'jest.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // Rows from raw SQL and GraphQL results in tests are untyped by nature.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // type-graphql declares types as classes with definite assignment; decorators need the class.
      '@typescript-eslint/no-extraneous-class': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Regular expressions run on what callers send (files, URLs, variables): none may take time growing faster than
    // the text's length (a date cell of 40,000 spaces once took 3.4 s, blocking its service). Tests' own are exempt.
    files: ['**/*.ts'],
    ignores: ['tests/**'],
    plugins: { regexp },
    rules: { 'regexp/no-super-linear-backtracking': 'error', 'regexp/no-super-linear-move': 'error' },
  },
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
