// ESLint flat config. Type-checked rules everywhere TypeScript runs; the layer import rules of
// docs/architecture.md are enforced here as well as by the per-layer tsconfigs (belt and braces:
// tsconfig catches a missing type, lint catches a forbidden module that happens to type-check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

const electronOnly = { group: ['electron', 'electron/*', 'electron-store'], message: 'Only electron/main and electron/preload may import electron.' };
const rendererCode = { group: ['**/renderer/**'], message: 'The renderer is reached through the contract, never imported.' };
// The shells reach the core through one index per domain (electron/core/<domain>/index.ts) and the
// top-level createCore.ts/version.ts, never the files behind them: the core can move its insides.
const coreSurface = { group: ['**/core/*/*'], message: 'Import the core through its domain index (electron/core/<domain>/index.ts), not a file inside it.' };
const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https'], message: 'This layer runs without Node.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tsbuild/**', 'bench/cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
  { files: ['shared/**/*.ts'], rules: restrict([electronOnly, rendererCode, nodeBuiltins, { group: ['**/electron/**'], message: 'shared/ depends on nothing but zod.' }]) },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict([electronOnly, rendererCode, { group: ['**/main/**', '**/preload/**', '**/cli/**', '**/simulator/**'], message: 'core is imported by the shells, never the reverse.' }]),
  },
  {
    // One clock: core reads the time through the injected Clock (util/clock.ts), so tests control
    // it. Migrations get no clock: 0030-seals and 0062-chat-kind-source stamp their seal with Date.now.
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/util/clock.ts', 'electron/core/archive/migrations/0030-seals.ts', 'electron/core/archive/migrations/0062-chat-kind-source.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Use the injected Clock (electron/core/util/clock.ts), not Date.now.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use new Date(clock.now()) with the injected Clock (electron/core/util/clock.ts).' },
      ],
    },
  },
  {
    files: ['electron/simulator/**/*.ts'],
    rules: restrict([electronOnly, rendererCode, { group: ['**/core/**', '**/cli/**', '**/shared/**'], message: 'The simulator models Cliq; it must not share code with the client it tests.' }]),
  },
  { files: ['electron/cli/**/*.ts'], rules: restrict([coreSurface, electronOnly, rendererCode, { group: ['**/main/**', '**/preload/**'], message: 'The CLI runs under plain Node.' }]) },
  {
    files: ['electron/worker/**/*.ts'],
    rules: restrict([
      coreSurface,
      electronOnly,
      rendererCode,
      { group: ['**/main/**', '**/preload/**', '**/cli/**', '**/server/**'], message: 'The app service worker runs under plain Node (a utility process or a worker thread).' },
    ]),
  },
  {
    files: ['electron/server/**/*.ts'],
    rules: restrict([coreSurface, electronOnly, rendererCode, { group: ['**/main/**', '**/preload/**', '**/cli/**'], message: 'The HTTP bridge runs under plain Node, beside the CLI.' }]),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([coreSurface, rendererCode, { group: ['**/preload/**', '**/cli/**', '**/server/**'], message: 'The main process reaches the renderer only through IPC.' }]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict([rendererCode, nodeBuiltins, { group: ['**/core/**', '**/main/**', '**/simulator/**'], message: 'The sandboxed preload knows the contract and nothing else.' }]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict([electronOnly, nodeBuiltins, { group: ['**/electron/**'], message: 'The renderer reaches the app through src/api only.' }]),
  },
);
