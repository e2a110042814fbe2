// Sealed 2:1 (MSC:placebo) permuted-block randomisation list, reproducible from a recorded seed.
// Random stream: HMAC-SHA256(key = seed, message = 64-bit big-endian counter), i.e. HMAC in counter mode
// (the construction of NIST SP 800-108 KDF in counter mode), consumed 32 bits at a time; integers are drawn
// without modulo bias by rejection sampling, blocks are shuffled with Fisher-Yates (Durstenfeld).
import { createHmac } from 'node:crypto';

export type Allocation = 'MSC' | 'PLACEBO';
export const ALLOCATIONS: readonly Allocation[] = ['MSC', 'PLACEBO'];
export const ALLOCATION_METHOD = 'permuted blocks 2:1, block sizes {3,6}, HMAC-SHA256 counter-mode stream, Fisher-Yates';

export interface ListEntry {
  randNo: string;
  kitNo: string;
  blockNo: number;
  allocation: Allocation;
}

/** A deterministic stream of uniform 32-bit integers from the seed. */
export class HmacStream {
  private counter = 0n;
  private buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly seed: string) {}

  nextUint32(): number {
    if (this.offset + 4 > this.buffer.length) {
      const block = Buffer.alloc(8);
      block.writeBigUInt64BE(this.counter++);
      this.buffer = createHmac('sha256', this.seed).update(block).digest();
      this.offset = 0;
    }
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Uniform integer in [0, n), by rejection sampling (no modulo bias). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`below(${n})`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

export const randNumber = (i: number) => `R${String(i).padStart(3, '0')}`;
export const kitNumber = (i: number) => `K-${1000 + i}`;

/**
 * At least `size` entries in whole blocks (the last block is never cut, so every block keeps 2:1).
 * Each block is 3 or 6 long (chosen from the stream), two thirds MSC, shuffled.
 */
export function generatePermutedBlocks(seed: string, size: number, blockSizes: readonly (3 | 6)[] = [3, 6]): ListEntry[] {
  if (!seed) throw new RangeError('seed is required');
  if (!Number.isInteger(size) || size < 1 || size > 999) throw new RangeError('size must be 1..999');
  const stream = new HmacStream(seed);
  const entries: ListEntry[] = [];
  let blockNo = 0;
  while (entries.length < size) {
    blockNo++;
    const length = blockSizes[stream.below(blockSizes.length)]!;
    const block: Allocation[] = [];
    for (let i = 0; i < length; i++) block.push(i < (length * 2) / 3 ? 'MSC' : 'PLACEBO');
    for (let i = block.length - 1; i > 0; i--) {
      const j = stream.below(i + 1);
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    for (const allocation of block) {
      const n = entries.length + 1;
      if (n > 999) break;
      entries.push({ randNo: randNumber(n), kitNo: kitNumber(n), blockNo, allocation });
    }
  }
  return entries;
}

/** Parses an imported list: CSV with header randNo,kitNo,allocation[,blockNo]. */
export function parseListCsv(text: string): ListEntry[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name.toLowerCase());
  const [r, k, a, b] = [col('randNo'), col('kitNo'), col('allocation'), col('blockNo')];
  if (r < 0 || k < 0 || a < 0) throw new RangeError('CSV header must contain randNo,kitNo,allocation');
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const allocation = (cells[a] ?? '').toUpperCase();
    if (allocation !== 'MSC' && allocation !== 'PLACEBO') throw new RangeError(`line ${i + 2}: allocation must be MSC or PLACEBO`);
    const randNo = cells[r] ?? '';
    if (!/^R[0-9]{3}$/.test(randNo)) throw new RangeError(`line ${i + 2}: randNo must look like R001`);
    const kitNo = cells[k] ?? '';
    if (!/^[A-Za-z0-9-]{1,20}$/.test(kitNo)) throw new RangeError(`line ${i + 2}: invalid kitNo`);
    const blockNo = b >= 0 ? Number(cells[b]) : 0;
    return { randNo, kitNo, allocation, blockNo: Number.isInteger(blockNo) ? blockNo : 0 };
  });
}
