// Tests for the SLEDAI-2K descriptors, weights, total and lab-based suggestions.
import { describe, expect, it } from 'vitest';
import { SLEDAI_DESCRIPTORS, SLEDAI_ITEMS, SLEDAI_MAX, SLEDAI_WEIGHTS, sledai2kScore, suggestSledaiFromLab } from './sledai';

describe('SLEDAI-2K', () => {
  it('has 24 descriptors: 8 × 8, 6 × 4, 7 × 2, 3 × 1 = 105', () => {
    expect(SLEDAI_ITEMS).toHaveLength(24);
    const count = (w: number) => SLEDAI_DESCRIPTORS.filter((d) => d.weight === w).length;
    expect([count(8), count(4), count(2), count(1)]).toEqual([8, 6, 7, 3]);
    expect(SLEDAI_MAX).toBe(105);
    expect(sledai2kScore(Object.fromEntries(SLEDAI_ITEMS.map((i) => [i, true])))).toBe(105);
  });
  it('weights as in PROTOCOL.md', () => {
    expect(SLEDAI_WEIGHTS).toMatchObject({ seizure: 8, cva: 8, vasculitis: 8, arthritis: 4, haematuria: 4, pyuria: 4, rash: 2, lowComplement: 2, increasedDnaBinding: 2, fever: 1, thrombocytopenia: 1, leukopenia: 1 });
  });
  it('sums only descriptors that are exactly true', () => {
    expect(sledai2kScore({})).toBe(0);
    // proteinuria 4 + haematuria 4 + low complement 2 + DNA 2 = 12
    expect(sledai2kScore({ proteinuria: true, haematuria: true, lowComplement: true, increasedDnaBinding: true, rash: false })).toBe(12);
    expect(sledai2kScore({ seizure: 'yes' as unknown as boolean, fever: true })).toBe(1);
    expect(sledai2kScore(null as never)).toBe(0);
  });
});

describe('suggestSledaiFromLab', () => {
  it('uses the protocol thresholds (strictly above / below)', () => {
    expect(suggestSledaiFromLab({ urineRbc: 5, urineWbc: 6, urineProtein24h: 0.5, platelets: 100, wbc: 3 })).toEqual({
      haematuria: false, // > 5 needed
      pyuria: true,
      proteinuria: false, // > 0.5 needed
      thrombocytopenia: false, // < 100 needed
      leukopenia: false, // < 3 needed
    });
    expect(suggestSledaiFromLab({ urineRbc: 6, urineProtein24h: 0.51, c3: 0.5, antiDsDna: 250, temperatureC: 38.1, platelets: 99, wbc: 2.9, urineCasts: true })).toEqual({
      haematuria: true,
      proteinuria: true,
      lowComplement: true,
      increasedDnaBinding: true,
      fever: true,
      thrombocytopenia: true,
      leukopenia: true,
      urinaryCasts: true,
    });
  });
  it('omits descriptors whose inputs are missing', () => {
    expect(suggestSledaiFromLab({})).toEqual({});
    expect(suggestSledaiFromLab({ c4: 0.2 })).toEqual({ lowComplement: false });
  });
});
