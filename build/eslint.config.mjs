// ESLint: TypeScript rules plus the layer boundaries of DESIGN.md (shared is pure, renderer has no Node,
// only electron/main.ts and electron/preload.ts import 'electron').
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'stream', 'zlib', 'worker_threads'];
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.cache/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'react', 'react-dom', 'better-sqlite3-multiple-ciphers', '**/electron/**', '**/renderer/**'], 'shared/ is pure TypeScript: no Node, DOM, Electron or UI imports.'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: restrict([...nodeBuiltins, 'electron', 'better-sqlite3-multiple-ciphers', '**/electron/**'], 'The renderer reaches the back end only through the API client.'),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: restrict(['electron', '**/renderer/**'], "Only electron/main.ts and electron/preload.ts may import 'electron'; services run under plain Node."),
  },
);
