// SealedTempFile: reading it back gives exactly everything written, in order, whatever the mix of small/large strings
// (incl. Chinese and emoji) and buffers, with that plaintext's SHA-256 and size; the file on disk holds no plaintext,
// takes a fraction of the space on text, and a flipped byte, a dropped frame or a foreign key is refused.
// reproducedFile: packs what its producer gives at the size announced before, and knows its SHA-256 once packed.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/tempDir';
import { memoryFile, reproducedFile, SealedTempFile, SealKey } from './sealedFile';

let dir: ReturnType<typeof tempDir> | null = null;
afterEach(() => dir?.cleanup());

async function readAll(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

function written(file: SealedTempFile): Buffer {
  const parts: (string | Buffer)[] = [];
  let x = 1;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 48271) % 2147483647;
    const kind = x % 5;
    const part =
      kind === 0 ? `肌酐 ${i} µmol/L 🙂 KM01-S${String(i).padStart(3, '0')}\n` : kind === 1 ? Buffer.from([x & 255, (x >> 8) & 255, 0]) : kind === 2 ? 'a'.repeat(x % 3000) : kind === 3 ? '' : `<ItemData Value="${i}"/>`;
    parts.push(part);
    file.write(part);
  }
  const big = '数据'.repeat(200_000); // larger than a frame
  parts.push(big);
  file.write(big);
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

describe('SealedTempFile', () => {
  it('gives back, hashes and counts exactly what was written, and holds none of it in plaintext', async () => {
    dir = tempDir();
    const path = join(dir.dir, 'x.sealed');
    const file = new SealedTempFile('x.txt', path, new SealKey());
    const expected = written(file);
    const { sha256, size } = await file.finish();
    expect(size).toBe(expected.length);
    expect(sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(Buffer.compare(await readAll(file.read()), expected)).toBe(0);
    expect(() => file.write('late')).toThrow(/already closed/);

    const onDisk = readFileSync(path);
    for (const plain of ['肌酐', 'KM01-S', 'ItemData', 'µmol', 'aaaaaaaa']) expect(onDisk.includes(Buffer.from(plain, 'utf8'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(file.diskBytes).toBe(onDisk.length);
    expect(onDisk.length).toBeLessThan(expected.length / 4);
  });

  it('refuses a flipped byte, a missing frame and another export key', async () => {
    dir = tempDir();
    const path = join(dir.dir, 'y.sealed');
    const key = new SealKey();
    const file = new SealedTempFile('y.txt', path, key);
    written(file);
    await file.finish();
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x04;
    writeFileSync(path, flipped);
    await expect(readAll(file.read())).rejects.toThrow(/auth|decrypt/i);
    writeFileSync(path, good.subarray(0, good.length - 100));
    await expect(readAll(file.read())).rejects.toThrow(/truncated/);
    writeFileSync(path, good);
    expect((await readAll(file.read())).length).toBe(file.size);

    const other = new SealedTempFile('z.txt', join(dir.dir, 'z.sealed'), new SealKey());
    other.write('same words');
    await other.finish();
    writeFileSync(join(dir.dir, 'z.sealed'), good.subarray(0, readFileSync(join(dir.dir, 'z.sealed')).length));
    await expect(readAll(other.read())).rejects.toThrow();
  });
});

describe('reproducedFile and memoryFile', () => {
  it('packs what its producer gives with the announced size, knows its SHA-256 once packed, refuses another size', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `{"seq":${i + 1},"v":"值 ${i}"}\n`);
    const expected = Buffer.from(lines.join(''), 'utf8');
    const same = reproducedFile('audit.jsonl', () => lines, expected.length);
    expect(same.size).toBe(expected.length);
    expect(() => same.sha256).toThrow(/not been packed yet/);
    expect(Buffer.compare(await readAll(same.read()), expected)).toBe(0);
    expect(same.sha256).toBe(createHash('sha256').update(expected).digest('hex'));

    const longer = reproducedFile('audit.jsonl', () => [...lines, '{"seq":5001}\n'], expected.length);
    const parts: Buffer[] = [];
    await expect((async () => {
      for await (const c of longer.read()) parts.push(c);
    })()).rejects.toThrow(/came out at \d+ bytes, \d+ were announced/);
    expect(Buffer.concat(parts).length).toBeLessThan(expected.length); // the last piece never goes out

    const m = memoryFile('SHA256SUMS', 'abc  x\n');
    expect(m).toMatchObject({ size: 7, sha256: createHash('sha256').update('abc  x\n').digest('hex') });
    expect((await readAll(m.read())).toString()).toBe('abc  x\n');
  });
});
