// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layer boundaries of architecture.md, enforced so a wrong import fails CI:
 * shared/ is runtime-neutral; renderer/ is the browser; only main.ts and preload.ts touch Electron.
 */
const nodeBuiltins = ['node:*'];
const electronOnly = {
  name: 'electron',
  message: 'Only electron/main.ts and electron/preload.ts may import electron.',
};

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

/** The globals each layer may name: shared/ gets ECMAScript only (plus the host globals of shared/host-globals.d.ts). */
export const layerGlobals = {
  shared: { ...globals.es2023, structuredClone: 'readonly' },
  renderer: { ...globals.es2023, ...globals.browser },
  // NodeJS, Electron and RequestInit are type namespaces @types/node and electron declare globally.
  node: { ...globals.es2023, ...globals.node, NodeJS: 'readonly', Electron: 'readonly', RequestInit: 'readonly' },
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests and tooling run on Node; test/dom and the e2e page scripts also touch the DOM.
    ignores: ['shared/**', 'renderer/**', 'electron/**', 'scripts/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  // Each layer sees only its runtime's globals, as its tsconfig.json does. typescript-eslint turns
  // no-undef off for TypeScript; it is back on here so a global from the wrong runtime fails lint too.
  {
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}', 'electron/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-undef': 'error' },
  },
  { files: ['shared/**/*.{ts,tsx}'], languageOptions: { globals: layerGlobals.shared }, rules: boundaryRules.shared },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: layerGlobals.renderer },
    rules: boundaryRules.renderer,
  },
  { files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs}'], languageOptions: { globals: layerGlobals.node } },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: boundaryRules.electron,
  },
);
