// Tests of the permuted-block generator: 2:1 in every block, block sizes 3/6, reproducible from the seed (fast-check
// over seeds), different seeds give different lists, numbering up to R99999, a known first list pinned.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacStream, MAX_LIST_SIZE, generatePermutedBlocks, listDigest, type ListEntry } from './permutedBlocks';

function blocks(list: ListEntry[]): ListEntry[][] {
  const out = new Map<number, ListEntry[]>();
  for (const e of list) out.set(e.blockNo, [...(out.get(e.blockNo) ?? []), e]);
  return [...out.values()];
}

describe('generatePermutedBlocks', () => {
  it('every block is 3 or 6 long and exactly two thirds MSC; whole blocks only, at least size entries', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 300 }), (seed, size) => {
        const list = generatePermutedBlocks(seed, size);
        expect(list.length).toBeGreaterThanOrEqual(size);
        expect(list.length).toBeLessThan(size + 6);
        for (const block of blocks(list)) {
          expect([3, 6]).toContain(block.length);
          expect(block.filter((e) => e.allocation === 'MSC').length * 3).toBe(block.length * 2);
        }
        const msc = list.filter((e) => e.allocation === 'MSC').length;
        expect(msc * 3).toBe(list.length * 2);
        expect(list.map((e) => e.randNo)).toEqual(list.map((_, i) => `R${String(i + 1).padStart(3, '0')}`));
        expect(new Set(list.map((e) => e.kitNo)).size).toBe(list.length);
      }),
      { numRuns: 200 },
    );
  });

  it('is reproducible from the seed and differs between seeds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        fc.pre(a !== b);
        expect(generatePermutedBlocks(a, 60)).toEqual(generatePermutedBlocks(a, 60));
        expect(listDigest(generatePermutedBlocks(a, 60))).not.toBe(listDigest(generatePermutedBlocks(b, 60)));
      }),
      { numRuns: 200 },
    );
  });

  it('uses both block sizes and both orders within blocks (not a fixed pattern)', () => {
    const list = generatePermutedBlocks('pattern-check', 600);
    const bs = blocks(list);
    expect(new Set(bs.map((b) => b.length))).toEqual(new Set([3, 6]));
    const threes = new Set(bs.filter((b) => b.length === 3).map((b) => b.map((e) => e.allocation[0]).join('')));
    expect(threes).toEqual(new Set(['MMP', 'MPM', 'PMM']));
  });

  it('pins the algorithm: a known seed gives a known list (a change of algorithm must be deliberate)', () => {
    const list = generatePermutedBlocks('NCT01539902', 12);
    expect(list.map((e) => `${e.randNo}:${e.blockNo}:${e.allocation[0]}`).join(' ')).toMatchInlineSnapshot(`"R001:1:P R002:1:M R003:1:P R004:1:M R005:1:M R006:1:M R007:2:P R008:2:M R009:2:M R010:3:M R011:3:P R012:3:M R013:3:M R014:3:P R015:3:M"`);
  });

  it('numbers up to R99999 and continues numbering from firstNumber', () => {
    const big = generatePermutedBlocks('big', 10_000);
    expect(big.at(-1)!.randNo).toMatch(/^R1000[0-5]$/);
    const tail = generatePermutedBlocks('tail', 5, { firstNumber: MAX_LIST_SIZE - 4, firstBlock: 7 });
    expect(tail[0]!.randNo).toBe(`R${MAX_LIST_SIZE - 4}`);
    expect(tail[0]!.blockNo).toBe(7);
    expect(tail.every((e) => /^R[0-9]{3,5}$/.test(e.randNo))).toBe(true);
    expect(() => generatePermutedBlocks('x', MAX_LIST_SIZE + 1)).toThrow(RangeError);
    expect(() => generatePermutedBlocks('', 5)).toThrow(RangeError);
    expect(() => generatePermutedBlocks('x', 0)).toThrow(RangeError);
  });
});

describe('HmacStream', () => {
  it('below(n) stays in range and is roughly uniform', () => {
    const s = new HmacStream('uniform');
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[s.below(3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => s.below(0)).toThrow(RangeError);
  });
});
