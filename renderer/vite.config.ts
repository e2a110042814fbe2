// Vite build of the React renderer into dist/renderer (relative asset paths: served by app:// and the loopback host).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { readdirSync, writeFileSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../electron/backend/security/csp';

/** The page carries the same CSP as the HTTP header (frame-ancestors only works as a header). */
const metaCsp = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [
    react(),
    {
      name: 'ecrf-csp-meta',
      transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaCsp }, injectTo: 'head-prepend' }],
    },
    {
      // The only files the app serves to its page (electron/backend/host/rendererFiles.ts), listed once the build is
      // written: whatever lands in the folder later is never served.
      name: 'ecrf-renderer-file-list',
      closeBundle() {
        const names = (readdirSync(outDir, { recursive: true, withFileTypes: true }) as Dirent[])
          .filter((entry) => entry.isFile() && !entry.name.endsWith('.map') && entry.name !== 'renderer-files.json')
          .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
          .sort();
        writeFileSync(join(outDir, 'renderer-files.json'), `${JSON.stringify(names, null, 1)}\n`);
      },
    },
  ],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
