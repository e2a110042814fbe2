// Tests for BSA (Mosteller, DuBois) and BMI with hand-worked numbers.
import { describe, expect, it } from 'vitest';
import { bodyMassIndex, bsaDuBois, bsaMosteller } from './bsa';

describe('bsaMosteller', () => {
  it('√(h × w / 3600)', () => {
    // 170 × 65 = 11050; / 3600 = 3.069444; √ = 1.75198
    expect(bsaMosteller({ heightCm: 170, weightKg: 65 })).toBeCloseTo(1.75198, 5);
    // 180 × 80 = 14400; / 3600 = 4; √ = 2 exactly
    expect(bsaMosteller({ heightCm: 180, weightKg: 80 })).toBe(2);
  });
  it('NaN on missing, zero, negative or non-finite input', () => {
    expect(bsaMosteller({ heightCm: 0, weightKg: 65 })).toBeNaN();
    expect(bsaMosteller({ heightCm: 170, weightKg: -1 })).toBeNaN();
    expect(bsaMosteller({ heightCm: Infinity, weightKg: 65 })).toBeNaN();
    expect(bsaMosteller(undefined as never)).toBeNaN();
  });
});

describe('bsaDuBois', () => {
  it('0.007184 × h^0.725 × w^0.425', () => {
    // 170^0.725 = e^(0.725 × 5.135798) = e^3.723454 = 41.4173; 65^0.425 = e^(0.425 × 4.174387) = e^1.774115 = 5.89460
    // 0.007184 × 41.4173 × 5.89460 = 1.75360
    expect(bsaDuBois({ heightCm: 170, weightKg: 65 })).toBeCloseTo(1.7536, 4);
    // 160^0.725 = e^(0.725 × 5.075174) = e^3.679501 = 39.6363; 50^0.425 = e^(0.425 × 3.912023) = e^1.662610 = 5.27282
    // 0.007184 × 39.6363 × 5.27282 = 1.50140 (≈ 1.5011 with unrounded factors)
    expect(bsaDuBois({ heightCm: 160, weightKg: 50 })).toBeCloseTo(1.5011, 3);
  });
  it('NaN on invalid input', () => {
    expect(bsaDuBois({ heightCm: NaN, weightKg: 50 })).toBeNaN();
  });
});

describe('bodyMassIndex', () => {
  it('w / (h m)²', () => {
    // 64 / 1.6² = 64 / 2.56 = 25
    expect(bodyMassIndex({ heightCm: 160, weightKg: 64 })).toBeCloseTo(25, 10);
  });
});
