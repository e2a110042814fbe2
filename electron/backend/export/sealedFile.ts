// The files of a bundle before they are packed. A SealedTempFile is written synchronously, row by row, while its
// SHA-256 and size (of the plaintext) are computed, but never holds plaintext on disk: it is cut into 256 KiB frames,
// each deflated (zlib level 1: about a tenth of the size on the export's text) and sealed with AES-256-GCM under a key
// that lives only in this process's memory (SealKey). A crash leaves ciphertext whose key died with the process; the
// frames are read back, each one's tag checked, when the bundle is packed. Other bundle files are held in memory or
// produced again from the snapshot when they are packed (BundleFile).
import { createCipheriv, createDecipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { constants, deflateRaw as deflateRawCb, inflateRaw as inflateRawCb } from 'node:zlib';

const deflateRaw = promisify(deflateRawCb) as (buf: Buffer, options: { level: number }) => Promise<Buffer>;
const inflateRaw = promisify(inflateRawCb) as (buf: Buffer) => Promise<Buffer>;

/** A file as the bundle packs it: name inside the bundle, SHA-256 and size of its bytes, and the bytes on demand. */
export interface BundleFile {
  name: string;
  sha256: string;
  size: number;
  read(): AsyncIterable<Buffer>;
}

const FRAME = 256 * 1024;
const HEADER = 8; // u32 plaintext length, u32 sealed length (authenticated as associated data)
const TAG = 16;

/** One random AES-256 key per export, kept in memory only; each file sealed under it gets its own nonce space. */
export class SealKey {
  readonly key = randomBytes(32);
  private files = 0;
  nextFileId(): number {
    return this.files++;
  }
}

function nonce(fileId: number, frame: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(fileId, 0);
  iv.writeUInt32BE(frame, 8);
  return iv;
}

export class SealedTempFile implements BundleFile {
  private fd: number | null;
  private readonly id: number;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private frames = 0;
  private onDisk = 0;
  /** Bytes not yet sealed: strings are UTF-8 encoded straight into this buffer (no buffer per call). */
  private buf = Buffer.allocUnsafe(FRAME);
  private used = 0;
  private digest: string | undefined;
  /**
   * Frames are deflated on libuv's thread pool (beside the thread that reads the snapshot) and sealed and written in
   * order as they come back; `queued` bytes are in flight, `written` settles when all of them are on disk.
   */
  private written: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: Error | null = null;

  /** name: the path inside the bundle; path: where the sealed temp file lives on disk. */
  constructor(
    readonly name: string,
    readonly path: string,
    private readonly seal: SealKey,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
    this.id = seal.nextFileId();
  }

  write(chunk: string | Buffer): void {
    if (this.fd === null || this.digest !== undefined) throw new Error(`${this.name} is already closed`);
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
    const full = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(FRAME); // the full one is in flight
    this.used = 0;
    this.put(full);
  }

  private put(plain: Buffer): void {
    this.hash.update(plain);
    this.bytes += plain.length;
    for (let off = 0; off < plain.length; off += FRAME) this.sealFrame(Buffer.from(plain.subarray(off, off + FRAME)));
  }

  private sealFrame(plain: Buffer): void {
    const frame = this.frames++;
    this.queued += plain.length;
    const packed = deflateRaw(plain, { level: constants.Z_BEST_SPEED });
    this.written = this.written.then(async () => {
      const body = await packed;
      if (this.failure || this.fd === null) return;
      const header = Buffer.alloc(HEADER);
      header.writeUInt32BE(plain.length, 0);
      header.writeUInt32BE(body.length, 4);
      const cipher = createCipheriv('aes-256-gcm', this.seal.key, nonce(this.id, frame));
      cipher.setAAD(header);
      const sealed = Buffer.concat([header, cipher.update(body), cipher.final(), cipher.getAuthTag()]);
      let off = 0;
      while (off < sealed.length) off += writeSync(this.fd, sealed, off, sealed.length - off);
      this.onDisk += sealed.length;
      this.queued -= plain.length;
    }).catch((error: unknown) => {
      this.failure ??= error as Error;
    });
  }

  /** Waits until no more than `most` bytes are waiting to be sealed (call between pages of rows). */
  async settle(most = 8 * FRAME): Promise<void> {
    while (this.queued > most && !this.failure) await Promise.race([this.written, new Promise((r) => setImmediate(r))]);
    if (this.failure) throw this.failure;
  }

  /** Seals what is buffered, waits for every frame to be written and closes; the plaintext's SHA-256 and size. */
  async finish(): Promise<{ sha256: string; size: number }> {
    if (this.digest === undefined) {
      this.flush();
      this.digest = this.hash.digest('hex');
      await this.written;
      closeSync(this.fd!);
      this.fd = null;
    }
    await this.written;
    if (this.failure) throw this.failure;
    return { sha256: this.digest, size: this.bytes };
  }

  /** Valid once finish() has resolved. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error(`${this.name} is not finished`);
    return this.digest;
  }

  get size(): number {
    return this.bytes;
  }

  /** Bytes the sealed file takes on disk. */
  get diskBytes(): number {
    return this.onDisk;
  }

  /** The plaintext again, frame by frame (inflated on the thread pool, one frame ahead); throws if a frame was altered, reordered or is missing. */
  async *read(): AsyncGenerator<Buffer> {
    await this.finish();
    const fd = openSync(this.path, 'r');
    try {
      let pos = 0;
      const next = (frame: number): Promise<Buffer> | null => {
        if (frame >= this.frames) return null;
        const header = Buffer.alloc(HEADER);
        if (readSync(fd, header, 0, HEADER, pos) !== HEADER) throw new Error(`${this.name}: sealed temp file is truncated`);
        const plainLength = header.readUInt32BE(0);
        const sealedLength = header.readUInt32BE(4);
        const body = Buffer.alloc(sealedLength + TAG);
        if (readSync(fd, body, 0, body.length, pos + HEADER) !== body.length) throw new Error(`${this.name}: sealed temp file is truncated`);
        pos += HEADER + body.length;
        const decipher = createDecipheriv('aes-256-gcm', this.seal.key, nonce(this.id, frame));
        decipher.setAAD(header);
        decipher.setAuthTag(body.subarray(sealedLength));
        const packed = Buffer.concat([decipher.update(body.subarray(0, sealedLength)), decipher.final()]);
        return inflateRaw(packed).then((plain) => {
          if (plain.length !== plainLength) throw new Error(`${this.name}: frame ${frame} has the wrong length`);
          return plain;
        });
      };
      let total = 0;
      let ahead = next(0);
      for (let frame = 0; ahead; frame++) {
        const current = ahead;
        ahead = next(frame + 1);
        const plain = await current;
        total += plain.length;
        yield plain;
      }
      if (total !== this.bytes) throw new Error(`${this.name}: sealed temp file holds ${total} of ${this.bytes} bytes`);
    } finally {
      closeSync(fd);
    }
  }
}

/** A small file held in memory (manifest.json, SHA256SUMS). */
export function memoryFile(name: string, text: string): BundleFile {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    async *read() {
      yield bytes;
    },
  };
}

/**
 * A file produced from the snapshot while it is packed instead of stored: its size is known beforehand (the tar header
 * needs it first; the producer of the export counts it in SQL), its SHA-256 once it has been read to the end, checked
 * against that size.
 */
export function reproducedFile(name: string, produce: () => Iterable<string>, size: number): BundleFile {
  let sha256: string | null = null;
  return {
    name,
    size,
    get sha256(): string {
      if (sha256 === null) throw new Error(`${name} has not been packed yet`);
      return sha256;
    },
    async *read() {
      const hash = createHash('sha256');
      let produced = 0;
      let parts: string[] = [];
      let length = 0;
      const batch = () => {
        const chunk = Buffer.from(parts.join(''), 'utf8');
        parts = [];
        length = 0;
        hash.update(chunk);
        produced += chunk.length;
        return chunk;
      };
      // ~64 KiB at a time: hashing and encoding millions of short lines one by one is slow.
      for (const piece of produce()) {
        parts.push(piece);
        length += piece.length;
        if (length >= 64 * 1024) yield batch();
      }
      const last = batch();
      if (produced !== size) throw new Error(`${name} came out at ${produced} bytes, ${size} were announced`);
      sha256 = hash.digest('hex');
      if (last.length) yield last;
    },
  };
}
