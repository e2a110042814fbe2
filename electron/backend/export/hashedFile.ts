// A temp file written synchronously while its SHA-256 and size are computed, so any export file
// can be streamed row by row (flat memory) and later packed into the tar with its size known up front.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export class HashedFile {
  private fd: number | null;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  /** Bytes not yet on disk: strings are UTF-8 encoded straight into this buffer (no buffer per call). */
  private readonly buf = Buffer.allocUnsafe(256 * 1024);
  private used = 0;

  /** name: the path inside the bundle; path: where the temp file lives on disk. */
  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(chunk: string | Buffer): void {
    if (this.fd === null) throw new Error(`${this.name} is already closed`);
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (this.used + most > this.buf.length) this.flush();
    if (most > this.buf.length) {
      this.put(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } else if (typeof chunk === 'string') {
      this.used += this.buf.write(chunk, this.used, 'utf8');
    } else {
      this.used += chunk.copy(this.buf, this.used);
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    this.put(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private put(bytes: Buffer): void {
    this.hash.update(bytes);
    this.bytes += bytes.length;
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd!, bytes, off, bytes.length - off);
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
