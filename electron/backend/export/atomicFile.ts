// Writes a file so that it appears whole or not at all: temp file in the destination folder, fsync,
// rename over the final name, fsync the folder. A pulled USB stick leaves at most a *.partial file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicTarget {
  fd: number;
  tempPath: string;
  finalPath: string;
}

export function openAtomic(dir: string, finalName: string): AtomicTarget {
  const tempPath = join(dir, `.${finalName}.${randomBytes(4).toString('hex')}.partial`);
  return { fd: openSync(tempPath, 'wx', 0o644), tempPath, finalPath: join(dir, finalName) };
}

/** fsync + close the temp file (data durable, not yet visible under its final name). */
export function sealAtomic(t: AtomicTarget): void {
  fsyncSync(t.fd);
  closeSync(t.fd);
}

/** Rename into place and fsync the folder so the new name is durable too. */
export function publishAtomic(t: AtomicTarget, dir: string): void {
  renameSync(t.tempPath, t.finalPath);
  fsyncDir(dir);
}

export function abandonAtomic(t: AtomicTarget): void {
  try {
    closeSync(t.fd);
  } catch {
    /* already closed */
  }
  rmSync(t.tempPath, { force: true });
}

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
