// Sealed 2:1 (MSC:placebo) permuted-block randomisation list, reproducible from a recorded seed.
// Random stream: HMAC-SHA256(key = seed, message = 64-bit big-endian counter), i.e. HMAC in counter mode
// (the construction of NIST SP 800-108 KDF in counter mode), consumed 32 bits at a time; integers are drawn
// without modulo bias by rejection sampling, blocks are shuffled with Fisher-Yates (Durstenfeld).
// Block by block: the block length is drawn uniformly from {3, 6}, the block holds two thirds MSC and one third
// placebo, and is shuffled; blocks are appended until the list has at least `size` entries (the last block is
// never cut, so every block keeps 2:1). Entry n gets randomisation number R<n> (3-5 digits) and kit K-<1000+n>.
import { createHash, createHmac } from 'node:crypto';

export type Allocation = 'MSC' | 'PLACEBO';
export const ALLOCATIONS: readonly Allocation[] = ['MSC', 'PLACEBO'];
export const ALLOCATION_METHOD = 'permuted blocks 2:1, block sizes {3,6}, HMAC-SHA256 counter-mode stream, Fisher-Yates';
/** Largest list: randomisation numbers stay within R99999 even when the last block runs over `size`. */
export const MAX_LIST_SIZE = 99_990;

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

export interface GenerateOptions {
  blockSizes?: readonly (3 | 6)[];
  /** Number of the first entry (default 1): lets demo data append a further sealed segment after an existing list. */
  firstNumber?: number;
  /** Block number of the first block (default 1). */
  firstBlock?: number;
}

/**
 * At least `size` entries in whole blocks (the last block is never cut, so every block keeps 2:1).
 * Each block is 3 or 6 long (chosen from the stream), two thirds MSC, shuffled.
 */
export function generatePermutedBlocks(seed: string, size: number, options: GenerateOptions = {}): ListEntry[] {
  const blockSizes = options.blockSizes ?? [3, 6];
  const first = options.firstNumber ?? 1;
  if (!seed) throw new RangeError('seed is required');
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a whole number ≥ 1');
  if (!Number.isInteger(first) || first < 1 || first - 1 + size > MAX_LIST_SIZE) {
    throw new RangeError(`the list may hold at most ${MAX_LIST_SIZE} numbers`);
  }
  if (blockSizes.length === 0 || blockSizes.some((b) => b !== 3 && b !== 6)) throw new RangeError('block sizes must be 3 or 6');
  const stream = new HmacStream(seed);
  const entries: ListEntry[] = [];
  let blockNo = (options.firstBlock ?? 1) - 1;
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
      const n = first + entries.length;
      entries.push({ randNo: randNumber(n), kitNo: kitNumber(n), blockNo, allocation });
    }
  }
  return entries;
}

/** Numeric order of randomisation numbers (R999 before R1000). */
export const randNumberOrder = (a: { randNo: string }, b: { randNo: string }) => a.randNo.length - b.randNo.length || (a.randNo < b.randNo ? -1 : a.randNo > b.randNo ? 1 : 0);

/** SHA-256 over the list in rand_no order (one line per entry: randNo,kitNo,blockNo,allocation): seals what was generated. */
export function listDigest(entries: readonly ListEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.randNo},${e.kitNo},${e.blockNo},${e.allocation}\n`);
  return hash.digest('hex');
}
