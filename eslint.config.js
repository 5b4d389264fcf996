// Lint rules keep the layers apart: src-shared is pure TypeScript, the core never touches Electron,
// and the renderer reaches the core only through the contract in src-shared.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'crypto',
  'child_process',
  'worker_threads',
  'stream',
  'url',
  'util',
  'net',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'drizzle/**', 'test-results/**', 'coverage/**'] },
  // Prettier lays the code out (npm run format); lines stay within 120 characters outside data
  // (strings, template literals, regular expressions and URLs may run on).
  {
    rules: {
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
        },
      ],
    },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}', 'bin/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['bin/eclectyc', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'src-shared is pure TypeScript: no Node built-ins.' },
            {
              group: [
                'electron',
                'electron/*',
                'better-sqlite3',
                'drizzle-orm',
                'drizzle-orm/*',
                'react',
                'react-dom',
                'react/*',
                'zustand',
                'echarts',
                'echarts/*',
              ],
              message: 'src-shared imports no Node, Electron, database or React code.',
            },
            {
              group: ['**/src-main/**', '**/src-renderer/**'],
              message: 'src-shared depends on nothing else in the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts', 'src-main/server/**/*.ts', 'src-main/cli/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', 'electron-updater'],
              message: 'Only src-main/electron may import Electron: the core runs in plain Node.',
            },
            { group: ['**/src-renderer/**'], message: 'The core never imports the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src-renderer/**'], message: 'The main process never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', '../src-main/*'],
              message: 'The renderer talks to the core only through the api client and src-shared types.',
            },
            {
              group: ['electron', 'electron/*', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*'],
              message: 'The renderer runs sandboxed: no Electron or database modules.',
            },
            { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.{mjs,ts}', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
