// @ts-check
/**
 * Lint: the recommended sets of ESLint, typescript-eslint and React's hooks rules, plus the layer
 * boundaries (README, "Layers") as `import-x/no-restricted-paths` zones (why this rule: see
 * "Why these libraries" in the README). tests/unit/tooling/lint-boundaries.test.ts plants a
 * violation of each zone and checks that it is reported.
 */
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const PRODUCT = ['server', 'electron', 'renderer'];
const NOT_PRODUCT = ['tests', 'bench'];

/**
 * @param {string | string[]} target
 * @param {string} from
 * @param {string} message
 * @param {string[]} [except] paths inside `from` that stay allowed
 */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

/** Node built-ins and Electron: what code that also runs in a browser must never import. */
const notInBrowser = {
  patterns: [
    { group: ['node:*'], message: 'Runs in the browser too: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'Runs in the browser too: Electron is reached through the preload bridge only.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'data/**', 'docs/screenshots/**', 'bench/results.json'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['renderer/src/**/*.{ts,tsx}', 'tests/unit/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Off: it flags every "fetch on mount" effect whose state is set after an `await` — the
      // pattern React's docs give for fetching with cleanup, used by each page here.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // Unused names are errors, but `_`-prefixed ones mark a deliberately ignored parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            // The renderer (desktop window and web client) reaches the rest only through the contract.
            zone('renderer', 'server', 'The renderer imports only server/contract.', ['./contract']),
            zone('renderer', 'electron', 'The renderer reaches Electron through the preload bridge only.'),
            // The contract is shared by every process: it imports nothing else of ours.
            zone('server/contract', 'server', 'server/contract imports only itself.', ['./contract']),
            // The server runs without Electron and without a window.
            zone('server', 'electron', 'The server never imports Electron code.'),
            zone('server', 'renderer', 'The server never imports the renderer.'),
            // The main process hosts the server through its entry and speaks the contract, nothing deeper.
            zone('electron/main', 'server', 'electron/main imports only server/contract and the server entry (server/index.ts).', ['./contract', './index.ts']),
            zone('electron/preload', 'server', 'The preload imports only server/contract.', ['./contract']),
            zone('electron', 'renderer', 'Electron code never imports the renderer.'),
            zone('electron/preload', 'electron/main', 'The preload runs sandboxed: it never imports main-process code.'),
            // Product code never depends on tests or benchmarks.
            ...PRODUCT.flatMap((target) => NOT_PRODUCT.map((from) => zone(target, from, `Product code never imports ${from}/.`))),
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The server runs without Electron.' }] }] },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}', 'server/contract/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', notInBrowser] },
  },
  {
    // Test and benchmark code reads JSON bodies it does not type; product code may not use `any`.
    files: ['tests/**/*.{ts,tsx,mts}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain-JavaScript tooling is type-checked with checkJs (tsconfig.node.json), which already
    // reports undefined names — with Node's globals known, which `no-undef` would not know.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-undef': 'off' },
  },
);
