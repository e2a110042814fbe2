// A temp file written synchronously while its SHA-256 and size are computed, so any export file
// can be streamed row by row (flat memory) and later packed into the tar with its size known up front.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export class HashedFile {
  private fd: number | null;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** name: the path inside the bundle; path: where the temp file lives on disk. */
  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(chunk: string | Buffer): void {
    if (this.fd === null) throw new Error(`${this.name} is already closed`);
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.hash.update(buf);
    this.bytes += buf.length;
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    const buf = Buffer.concat(this.pending, this.pendingBytes);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Flushes and closes; returns the file's SHA-256 (hex) and size in bytes. */
  close(): { sha256: string; size: number } {
    if (this.fd !== null) {
      this.flush();
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      this.digest = this.hash.digest('hex');
    }
    return { sha256: this.digest!, size: this.bytes };
  }

  private digest: string | undefined;
}
