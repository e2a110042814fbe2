// Streaming OpenPGP with openpgp.js: sign with the site key and encrypt to the sponsor key while the tar is
// produced, writing straight to a file descriptor. The reverse (the sponsor's side) is bundleReader.ts.
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { withZlibStreams } from './zlibStreams';

/** Wraps an async iterable of bytes as the Web ReadableStream openpgp 6 takes as streaming input. */
export function toWebStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer));
    },
    async cancel(reason) {
      await it.return?.(reason);
    },
  });
}

async function drainTo(stream: ReadableStream<Uint8Array>, fd: number, onBytes?: (n: number) => void): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    hash.update(value);
    let off = 0;
    while (off < value.length) off += writeSync(fd, value, off, value.length - off);
    size += value.length;
    onBytes?.(size);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Signs (one-pass, so `gpg --decrypt` verifies it) and encrypts the stream; returns the output's SHA-256 and size. */
export async function signAndEncryptToFd(
  source: AsyncIterable<Uint8Array>,
  fd: number,
  keys: { sponsor: openpgp.PublicKey; site: openpgp.PrivateKey },
  onBytes?: (n: number) => void,
): Promise<{ sha256: string; size: number }> {
  // The zlib streams keep memory flat: the tar is read only as fast as the compressed output is written.
  return withZlibStreams(async () => {
    const message = await openpgp.createMessage({ binary: toWebStream(source), format: 'binary' });
    const encrypted = await openpgp.encrypt({
      message,
      encryptionKeys: keys.sponsor,
      signingKeys: keys.site,
      format: 'binary',
      // zlib (RFC 1950) is read by every gpg; CSV/XML shrink about tenfold.
      config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
    });
    return drainTo(encrypted as ReadableStream<Uint8Array>, fd, onBytes);
  });
}
