// Reads a sponsor bundle without writing a byte of it to disk: decrypt with the sponsor key as it streams, parse the
// tar as it streams, hand each file of its one top folder to a callback, and resolve only once the MDC (at the end of
// the message) and the site signature are verified. The callback must write nothing until then (verification reads
// the whole bundle once and writes nothing; loading reads it again afterwards). Every failure is an ImportRefused that
// says what is wrong: damaged, wrong key or wrong site.
import { createHash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as openpgp from 'openpgp';
import * as tar from 'tar-stream';
import { refuse, ImportRefused } from './importRefusal';
import { toWebStream } from './pgpStream';
import { withZlibStreams } from './zlibStreams';

export interface BundleKeys {
  sponsor: openpgp.PrivateKey;
  site: openpgp.PublicKey;
}

export interface BundleEntry {
  /** The bundle's one top folder, e.g. KM01-export-000003. */
  folder: string;
  /** Path inside the bundle's top folder, e.g. forms/VITALS.csv. */
  name: string;
  size: number;
  /** The file's bytes; the callback must read it to the end (or throw). */
  body: AsyncIterable<Buffer>;
}

const readAt = promisify(read);

/**
 * The bytes of an open file from the start, by position (a file descriptor, so a file renamed over the path is not read
 * half-way; reading by position never closes or moves it, so each pass reads the same file from its first byte).
 */
async function* fileBytes(fd: number): AsyncGenerator<Uint8Array> {
  for (let position = 0; ; ) {
    const buffer = Buffer.allocUnsafe(256 * 1024);
    const { bytesRead } = await readAt(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * The encrypted file from its first byte, hashed as it is read. rest() takes over from the decryption when it stopped
 * early (the load pass stops once it has what it loads): it reads and hashes the bytes the decryption did not, so
 * digest() is always the SHA-256 of the whole file as it was read.
 */
class HashedFile {
  private readonly hash = createHash('sha256');
  private position = 0;
  private ended = false;
  private stopped = false;
  private inFlight: Promise<unknown> = Promise.resolve();
  private result: string | null = null;

  constructor(private readonly fd: number) {}

  private async chunk(): Promise<Uint8Array | null> {
    const buffer = Buffer.allocUnsafe(256 * 1024);
    const { bytesRead } = await readAt(this.fd, buffer, 0, buffer.length, this.position);
    if (bytesRead === 0) {
      this.ended = true;
      return null;
    }
    this.position += bytesRead;
    const bytes = buffer.subarray(0, bytesRead);
    this.hash.update(bytes);
    return bytes;
  }

  /** The bytes for the decryption: to the end of the file, or until rest() takes over. */
  async *bytes(): AsyncGenerator<Uint8Array> {
    while (!this.stopped) {
      const next = this.chunk();
      this.inFlight = next;
      const bytes = await next;
      if (bytes === null || this.stopped) return;
      yield bytes;
    }
  }

  /** Reads and hashes the rest of the file (after a read the decryption began has finished). */
  async rest(): Promise<void> {
    this.stopped = true;
    await this.inFlight.catch(() => undefined);
    while (!this.ended) await this.chunk();
  }

  /** SHA-256 of the whole file, once it has been read to its end; else null. */
  digest(): string | null {
    if (this.ended) this.result ??= this.hash.digest('hex');
    return this.result;
  }
}

async function* counted<T>(source: AsyncIterable<T>, onChunk: () => void): AsyncGenerator<T> {
  for await (const chunk of source) {
    onChunk();
    yield chunk;
  }
}


/**
 * openpgp.js, fed damaged plaintext as it streams, can stop asking for input without failing (its parser waits for
 * bytes it will never be given): the import would neither end nor fail. This notices when nothing moves — no bytes read
 * from the file or decrypted, and no file read, decompression or other I/O in flight beyond what was alive before the
 * import began (the process's stdio, timers) — for 3 checks 100 ms apart, or for 15 seconds whatever is in flight, and rejects.
 * (Not streaming would hold the whole decompressed bundle in memory: 9 GB at 10,000 subjects.)
 */
function stallWatch(): { progress(): void; stalled: Promise<never>; stop(): void } {
  const before = process.getActiveResourcesInfo();
  const idleKinds = new Set([...before, 'Timeout', 'Immediate']);
  const busy = (list: string[]) => list.filter((r) => r !== 'Timeout' && r !== 'Immediate').length;
  let moves = 0;
  let seen = -1;
  let quietChecks = 0;
  let quietSince = Date.now();
  let fail: (error: Error) => void = () => {};
  const stalled = new Promise<never>((_, reject) => {
    fail = reject;
  });
  stalled.catch(() => {});
  const timer = setInterval(() => {
    if (moves !== seen) {
      seen = moves;
      quietChecks = 0;
      quietSince = Date.now();
      return;
    }
    const now = process.getActiveResourcesInfo();
    const idle = now.every((r) => idleKinds.has(r)) && busy(now) <= busy(before);
    quietChecks = idle ? quietChecks + 1 : 0;
    if (quietChecks >= 3 || Date.now() - quietSince > 15_000) fail(new Error('the decryption stopped part-way through the file'));
  }, 100);
  return { progress: () => moves++, stalled, stop: () => clearInterval(timer) };
}

export async function sha256OfFd(fd: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fileBytes(fd)) hash.update(chunk);
  return hash.digest('hex');
}

const ids = (list: openpgp.KeyID[]) => list.map((k) => k.toHex().toUpperCase());

function differingBytes(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i += 2) if (a.slice(i, i + 2) !== b.slice(i, i + 2)) n++;
  return n;
}

/** Turns an openpgp (or zlib, or tar) failure into the refusal a person can act on. */
export function classifyReadError(error: unknown, siteIds: string[]): ImportRefused {
  if (error instanceof ImportRefused) return error;
  const detail = error instanceof Error ? error.message.replace(/^Error decrypting message: /, '') : String(error);
  const signer = /Could not find signing key with key ID ([0-9a-f]+)/i.exec(detail);
  try {
    if (signer) {
      refuse(
        'wrong-site',
        `数据包由密钥 ${signer[1]!.toUpperCase()} 签名，不是受信任的中心密钥（${siteIds.join(', ')}）`,
        `the bundle is signed by key ${signer[1]!.toUpperCase()}, not by the trusted site key (${siteIds.join(', ')})`,
      );
    }
    if (/not signed/i.test(detail)) refuse('wrong-site', '数据包没有中心签名', 'the bundle carries no site signature');
    if (/digest did not match|signature/i.test(detail)) {
      refuse('wrong-site', `中心签名与内容不符（签名后内容被改动）：${detail}`, `the site signature does not match the content (altered after signing): ${detail}`);
    }
    if (/unexpected end/i.test(detail)) {
      refuse('damaged', `文件不完整（被截断？）：${detail}`, `the file is incomplete (truncated?): ${detail}`);
    }
    if (/session key/i.test(detail)) {
      refuse('damaged', `文件开头加密的会话密钥已损坏（密钥本身无误）：${detail}`, `the encrypted session key at the start of the file is damaged (the key itself is right): ${detail}`);
    }
    refuse('damaged', `文件已损坏或被改动：${detail}`, `the file is damaged or was altered: ${detail}`);
  } catch (refusal) {
    return refusal as ImportRefused;
  }
  throw new Error('unreachable');
}

/** Name of a regular file inside the top folder, or null for the folder's own entry; refuses anything else. */
function entryName(header: tar.Header, folder: string): string | null {
  const name = header.name;
  if (header.type === 'directory' && (name === folder || name === `${folder}/`)) return null;
  const rel = name.startsWith(`${folder}/`) ? name.slice(folder.length + 1) : null;
  if (header.type !== 'file' || !rel || rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
    refuse('damaged', `归档中有意外条目 ${name}`, `unexpected entry in the archive: ${name}`);
  }
  return rel;
}

export interface BundleRead {
  folder: string;
  signerKeyId: string;
  /**
   * SHA-256 of the whole encrypted file as this read read it (null if it did not reach its end): two reads with the
   * same value read the very same bytes, so the very same files.
   */
  sha256: string | null;
  /**
   * The MDC and the site signature were verified (the whole message decrypted). False only for a read told to stop
   * after some files (`stopAfter`): such a read proves nothing by itself; its sha256 must equal that of a read that
   * verified.
   */
  verified: boolean;
}

/**
 * Decrypts and verifies the bundle open at fd, streaming every file to onEntry; resolves with the top folder name once
 * the MDC and the site signature are verified (onEntry may have been called already: what it did must be undone by
 * the caller if this rejects).
 */
export async function readBundle(
  fd: number, keys: BundleKeys, onEntry: (entry: BundleEntry) => Promise<void>, options: { stopAfter?: readonly string[] } = {},
): Promise<BundleRead> {
  const siteIds = ids(keys.site.getKeyIDs());
  const watch = stallWatch();
  try {
    return await Promise.race([watch.stalled, decryptEntries(fd, keys, siteIds, watch.progress, onEntry, options.stopAfter ?? null)]);
  } catch (error) {
    throw classifyReadError(error, siteIds);
  } finally {
    watch.stop();
  }
}

async function decryptEntries(
  fd: number, keys: BundleKeys, siteIds: string[], progress: () => void, onEntry: (entry: BundleEntry) => Promise<void>, stopAfter: readonly string[] | null,
): Promise<BundleRead> {
  return withZlibStreams(async () => {
    let message: openpgp.Message<ReadableStream<Uint8Array>>;
    const cipher = new HashedFile(fd);
    try {
      message = await openpgp.readMessage({ binaryMessage: toWebStream(counted(cipher.bytes(), progress)) });
    } catch (error) {
      return refuse('damaged', `不是 OpenPGP 数据包，或文件开头已损坏：${(error as Error).message}`, `not an OpenPGP bundle, or its start is damaged: ${(error as Error).message}`);
    }
    const ours = ids(keys.sponsor.getKeyIDs());
    const named = ids(message.getEncryptionKeyIDs());
    if (named.length === 0) refuse('damaged', '文件开头已损坏：其中没有可读的加密密钥记录', 'the start of the file is damaged: it holds no readable encrypted session key');
    if (!named.some((id) => ours.includes(id))) {
      // Another key's ID differs from ours in ~32 of its 64 bits; one that differs in a single byte is ours, damaged.
      const near = named.find((id) => ours.some((o) => differingBytes(id, o) === 1));
      if (near) {
        refuse(
          'damaged',
          `文件开头已损坏：其中的密钥编号 ${near} 与此申办方密钥只差一个字节`,
          `the start of the file is damaged: the key ID in it (${near}) differs from this sponsor key's by one byte`,
        );
      }
      refuse(
        'wrong-key',
        `数据包不是加密给此申办方密钥的：它指向密钥 ${named.join(', ') || '（无）'}，此密钥为 ${ours.join(', ')}（是给其他密钥的数据包或测试导出？）`,
        `the bundle is not encrypted to this sponsor key: it names key ${named.join(', ') || '(none)'}, this key is ${ours.join(', ')} (a bundle for another key, or a test export?)`,
      );
    }
    let result: Awaited<ReturnType<typeof openpgp.decrypt<openpgp.MaybeStream<Uint8Array>>>>;
    try {
      // Streamed: the MDC over the whole message and the signature fail the stream at its end; until then what the
      // callback gets is not authenticated (it writes nothing). A missing signature is checked below, after the MDC
      // (openpgp's expectSigned would call a garbled signature packet "not signed" before the MDC could say damaged).
      result = await openpgp.decrypt({
        message, decryptionKeys: keys.sponsor, verificationKeys: keys.site, format: 'binary',
        config: { allowUnauthenticatedStream: true },
      });
    } catch (error) {
      throw classifyReadError(error, siteIds);
    }
    const signature = result.signatures[0];
    if (!signature) {
      // No signature packet read: either the content was made unsigned (not by the site), or a flipped byte in the
      // encrypted data garbled the packet that announces the signature. Only the MDC at the end tells them apart.
      try {
        for await (const _chunk of counted(result.data as ReadableStream<Uint8Array> as unknown as AsyncIterable<Uint8Array>, progress)) void _chunk;
      } catch (error) {
        return refuse('damaged', `文件已损坏或被改动：${(error as Error).message}`, `the file is damaged or was altered: ${(error as Error).message}`);
      }
      return refuse('wrong-site', '数据包没有中心签名', 'the bundle carries no site signature');
    }
    const signerKeyId = signature.keyID.toHex().toUpperCase();
    if (!siteIds.includes(signerKeyId)) throw classifyReadError(new Error(`Could not find signing key with key ID ${signerKeyId}`), siteIds);

    let folder: string | null = null;
    const seen = new Set<string>();
    const wanted = stopAfter ? new Set(stopAfter) : null;
    let stoppedEarly = false;
    const extract = tar.extract();
    const consuming = (async () => {
      for await (const entry of extract) {
        const top = entry.header.name.split('/')[0] ?? '';
        folder ??= top;
        const name = entryName(entry.header, folder);
        if (name === null) {
          entry.resume();
          continue;
        }
        if (seen.has(name)) refuse('damaged', `归档中 ${name} 出现两次`, `${name} appears twice in the archive`);
        seen.add(name);
        await onEntry({ folder, name, size: entry.header.size ?? 0, body: entry as AsyncIterable<Buffer> });
        entry.resume(); // whatever the callback left unread
        wanted?.delete(name);
        if (wanted && wanted.size === 0) {
          stoppedEarly = true;
          break; // destroys the tar stream, which cancels the decryption
        }
      }
    })();
    const feeding = pipeline(Readable.from(counted(result.data as ReadableStream<Uint8Array> as unknown as AsyncIterable<Uint8Array>, progress)), extract);
    // Stopped early, the tar stream's end (a premature close) is no failure.
    const fed = feeding.catch((error: unknown) => {
      if (!stoppedEarly) throw error;
    });
    try {
      await Promise.all([consuming, fed]);
      if (stoppedEarly) {
        signature.verified.catch(() => undefined);
        await cipher.rest();
        return { folder: folder!, signerKeyId, sha256: cipher.digest(), verified: false };
      }
      await signature.verified;
    } catch (error) {
      extract.destroy();
      throw classifyReadError(error, siteIds);
    }
    if (folder === null) refuse('damaged', '归档为空', 'the archive is empty');
    return { folder: folder!, signerKeyId, sha256: cipher.digest(), verified: true };
  });
}

/** Splits a byte stream into UTF-8 lines (no line ends), one string at a time, whatever the chunk boundaries. */
export async function* utf8Lines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of body) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) yield line;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}
