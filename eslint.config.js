// Lint rules, zero warnings allowed. Layer boundaries are enforced here: the UI may not reach storage, and the
// domain core may not reach the DOM, storage, the UI or the worker.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const storageImports = {
  group: ['dexie', '**/store/*', '**/store'],
  message: 'The UI never touches IndexedDB: call a backend handler (src/ui/backend.ts).',
  allowTypeImports: true,
};

export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-*/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      '.cache/',
      'public/',
      'dev-dist/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // TypeScript checks undefined names (svelte-check and tsc run in npm test).
      'no-undef': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/ui/**', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            storageImports,
            {
              group: ['**/backend/handlers*', '**/backend/registry', '**/backend/*.worker'],
              message:
                'The UI reaches the backend only through src/ui/backend.ts and the types in backend/api.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'dexie',
                'svelte',
                'svelte/*',
                'comlink',
                '**/store/**',
                '**/ui/**',
                '**/backend/**',
                '**/engine/**',
              ],
              message: 'src/core is pure domain code: no storage, UI, worker or engine imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'indexedDB',
        'localStorage',
        'self',
      ],
    },
  },
);
