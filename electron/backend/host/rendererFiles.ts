// The files the app may serve to its page: exactly those of the renderer build, listed at build time in
// renderer-files.json (written by the Vite build, see renderer/vite.config.ts). Anything else in or under the folder
// (a backup someone pointed there, a stray file) is never served, with or without the token, in browser mode or by
// Electron's app:// handler.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RENDERER_FILE_LIST = 'renderer-files.json';

export type RendererLookup = { kind: 'file'; path: string } | { kind: 'bad_request' } | { kind: 'not_found' } | { kind: 'not_built' };

/** Reads the build's list once; an empty list (no build) serves nothing. */
export function rendererFiles(rendererDir: string): { lookup(pathname: string): RendererLookup } {
  const root = resolve(rendererDir);
  const listFile = join(root, RENDERER_FILE_LIST);
  const names = new Set<string>(existsSync(listFile) ? (JSON.parse(readFileSync(listFile, 'utf8')) as string[]) : []);
  return {
    lookup(pathname) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        return { kind: 'bad_request' };
      }
      if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad_request' };
      const name = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
      if (names.size === 0) return { kind: 'not_built' };
      // Only exact names from the list: no normalising, so '..', '.', '//' and encodings never reach the disk.
      if (!names.has(name)) return { kind: 'not_found' };
      return { kind: 'file', path: join(root, ...name.split('/')) };
    },
  };
}
