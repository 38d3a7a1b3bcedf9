// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layer boundaries of architecture.md, enforced so a wrong import fails CI:
 * shared/ is runtime-neutral; renderer/ is the browser; only main.ts and preload.ts touch Electron.
 */
const nodeBuiltins = ['node:*'];
const electronOnly = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' };

export const boundaryRules = {
  shared: {
    'no-restricted-imports': [
      'error',
      {
        paths: [electronOnly],
        patterns: [
          { group: nodeBuiltins, message: 'shared/ runs everywhere: no Node built-ins (architecture.md, Layers).' },
          { group: ['**/renderer/**', '**/electron/**'], message: 'shared/ may not import renderer/ or electron/.' },
        ],
      },
    ],
  },
  renderer: {
    'no-restricted-imports': [
      'error',
      {
        paths: [electronOnly],
        patterns: [
          { group: nodeBuiltins, message: 'renderer/ runs in the browser: no Node built-ins.' },
          { group: ['**/electron/**'], message: 'renderer/ reaches the backend only through shared/api.ts.' },
        ],
      },
    ],
  },
  electron: {
    'no-restricted-imports': ['error', { paths: [electronOnly] }],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['shared/**/*.{ts,tsx}'], rules: boundaryRules.shared },
  { files: ['renderer/**/*.{ts,tsx}'], rules: boundaryRules.renderer },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: boundaryRules.electron,
  },
);
