// HashedFile: the bytes on disk, their SHA-256 and size are exactly those of everything written, in order,
// whatever the mix of small/large strings (incl. Chinese and emoji) and buffers.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../testing/tempDir';
import { HashedFile } from './hashedFile';

let dir: ReturnType<typeof tempDir> | null = null;
afterEach(() => dir?.cleanup());

it('writes, hashes and counts exactly what was written', () => {
  dir = tempDir();
  const file = new HashedFile('x.txt', join(dir.dir, 'x.part'));
  const parts: (string | Buffer)[] = [];
  let x = 1;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 48271) % 2147483647;
    const kind = x % 5;
    const part =
      kind === 0 ? `肌酐 ${i} µmol/L 🙂\n` : kind === 1 ? Buffer.from([x & 255, (x >> 8) & 255, 0]) : kind === 2 ? 'a'.repeat(x % 3000) : kind === 3 ? '' : `<ItemData Value="${i}"/>`;
    parts.push(part);
    file.write(part);
  }
  const big = '数据'.repeat(200_000); // larger than the internal buffer
  parts.push(big);
  file.write(big);
  const { sha256, size } = file.close();
  const expected = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  const onDisk = readFileSync(join(dir.dir, 'x.part'));
  expect(Buffer.compare(onDisk, expected)).toBe(0);
  expect(size).toBe(expected.length);
  expect(sha256).toBe(createHash('sha256').update(expected).digest('hex'));
  expect(() => file.write('late')).toThrow(/already closed/);
});
