// Vitest configuration: unit and integration tests across shared/, electron/, renderer/ and bench/.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['{shared,electron,renderer,bench}/**/*.test.{ts,tsx}'],
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.cache/test-reports/vitest.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
