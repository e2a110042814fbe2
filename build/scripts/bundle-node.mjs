// Bundles the Node-side entry points (Electron main, preload, the ecrf CLI) into dist/ with esbuild.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // pdfkit reads its font metrics from files beside its own code: it stays a package in node_modules.
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'pdfkit'],
  // ESM dependencies (openpgp) read import.meta.url, which a CJS bundle must provide.
  define: { __APP_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/preload.cjs', platform: 'browser', target: 'chrome130' }),
  build({ ...common, entryPoints: ['electron/cli/ecrf.ts'], outfile: 'dist/ecrf.cjs', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
]);
