// The zlib-backed Compression/DecompressionStream: byte-exact with node:zlib at its fastest level, take input only as output is read
// (Node 20's own CompressionStream swallows the whole input first), fail on damaged input, and restore the globals.
import { constants, deflateRawSync, deflateSync, gzipSync, inflateRawSync, inflateSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toWebStream } from './pgpStream';
import { withZlibStreams, ZlibCompressionStream, ZlibDecompressionStream } from './zlibStreams';

function sample(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i % 7 === 0 ? x >>> 24 : 65 + (i % 26); // compressible but not trivial
  }
  return b;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(value);
  }
}

async function* chunks(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('zlib streams', () => {
  it.each([
    ['deflate', inflateSync, deflateSync],
    ['deflate-raw', inflateRawSync, deflateRawSync],
    ['gzip', gunzipSync, gzipSync],
  ] as const)('%s round-trips with node:zlib both ways', async (format, inflate, deflate) => {
    const data = sample(300_000, 7);
    const packed = await readAll(toWebStream(chunks(data, 10_000)).pipeThrough(new ZlibCompressionStream(format)));
    expect(packed.length).toBeLessThan(data.length);
    expect(Buffer.compare(inflate(packed), data)).toBe(0);
    // zlib's fastest level (the export trades ~12% bundle size for twice the compression speed)
    expect(Buffer.compare(packed, deflate(data, { level: constants.Z_BEST_SPEED }))).toBe(0);
    expect(Buffer.compare(packed, deflate(data))).not.toBe(0);
    const unpacked = await readAll(toWebStream(chunks(deflate(data), 4_096)).pipeThrough(new ZlibDecompressionStream(format)));
    expect(Buffer.compare(unpacked, data)).toBe(0);
  });

  it('reads its input only as fast as the output is consumed', async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 400; i++) {
        produced++;
        yield sample(65_536, i); // 25 MB in all
      }
    }
    const reader = toWebStream(source()).pipeThrough(new ZlibCompressionStream('deflate')).getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 200));
    expect(produced).toBeLessThan(10);
    await reader.cancel();
  });

  it('fails on damaged input instead of returning partial data', async () => {
    const bad = Buffer.concat([deflateSync(sample(50_000, 3)).subarray(0, 200), Buffer.alloc(100, 0xff)]);
    await expect(readAll(toWebStream(chunks(bad, 64)).pipeThrough(new ZlibDecompressionStream('deflate')))).rejects.toThrow();
    expect(() => new ZlibCompressionStream('brotli')).toThrow(TypeError);
  });

  it('settles (rejects) when a byte in the middle of a multi-chunk stream is flipped; node:zlib never calls that write back', async () => {
    const data = deflateSync(sample(400_000, 5));
    const never = new Promise<string>((resolve) => setTimeout(() => resolve('never settled'), 5_000).unref());
    for (const at of [0.25, 0.5, 0.75]) {
      const bad = Buffer.from(data);
      bad[Math.floor(bad.length * at)]! ^= 0x10;
      const outcome = readAll(toWebStream(chunks(bad, 4_096)).pipeThrough(new ZlibDecompressionStream('deflate'))).then(
        () => 'resolved',
        (e: Error) => `rejected: ${e.message}`,
      );
      expect(await Promise.race([outcome, never])).toMatch(/^rejected: /);
    }
  });

  it('puts the globals back after the call, also when it throws', async () => {
    const before = globalThis.CompressionStream;
    await expect(
      withZlibStreams(async () => {
        expect(globalThis.CompressionStream).toBe(ZlibCompressionStream);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(globalThis.CompressionStream).toBe(before);
  });
});
