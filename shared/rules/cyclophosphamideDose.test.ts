// Tests for the cyclophosphamide pulse dose: BSA × target, 10 mg rounding, 1000 mg/m² and 1500 mg caps, WBC hold, CrCl reduction.
import { describe, expect, it } from 'vitest';
import { CYC_WARNING_MESSAGES, cyclophosphamideDose, doseDifferenceFraction } from './cyclophosphamideDose';

describe('cyclophosphamideDose', () => {
  it('BSA × target rounded to the nearest 10 mg', () => {
    // BSA √(170 × 65 / 3600) = 1.75198; × 750 = 1313.99 → 1310
    const r = cyclophosphamideDose({ heightCm: 170, weightKg: 65, targetMgPerM2: 750 });
    expect(r.bsa).toBeCloseTo(1.75198, 5);
    expect(r.doseMg).toBe(1310);
    expect(r.warnings).toEqual([]);
    // BSA √(160 × 50 / 3600) = 1.490712; × 750 = 1118.03 → 1120
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750 }).doseMg).toBe(1120);
  });
  it('rounds halves up', () => {
    // BSA √(90 × 90 / 3600) = √2.25 = 1.5 exactly; × 750 = 1125 → 1130
    expect(cyclophosphamideDose({ heightCm: 90, weightKg: 90, targetMgPerM2: 750 }).doseMg).toBe(1130);
    // 1.5 × 503 = 754.5 → 750 (75.45 rounds down)
    expect(cyclophosphamideDose({ heightCm: 90, weightKg: 90, targetMgPerM2: 503 }).doseMg).toBe(750);
  });
  it('caps the target at 1000 mg/m²', () => {
    // 1.490712 × min(1200, 1000) = 1490.71 → 1490
    const r = cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 1200 });
    expect(r.doseMg).toBe(1490);
    expect(r.effectiveTargetMgPerM2).toBe(1000);
    expect(r.warnings).toEqual(['CAPPED_MG_PER_M2']);
  });
  it('caps the pulse at 1500 mg', () => {
    // BSA √(180 × 90 / 3600) = 2.12132; × 750 = 1590.99 → 1590 → capped 1500
    const r = cyclophosphamideDose({ heightCm: 180, weightKg: 90, targetMgPerM2: 750 });
    expect(r.doseMg).toBe(1500);
    expect(r.warnings).toEqual(['CAPPED_1500']);
    // BSA 2 (180 cm, 80 kg) × 750 = 1500 exactly: not capped
    expect(cyclophosphamideDose({ heightCm: 180, weightKg: 80, targetMgPerM2: 750 })).toMatchObject({ doseMg: 1500, warnings: [] });
    // both caps: 2 × min(1100, 1000) = 2000 → 1500
    expect(cyclophosphamideDose({ heightCm: 180, weightKg: 80, targetMgPerM2: 1100 }).warnings).toEqual(['CAPPED_MG_PER_M2', 'CAPPED_1500']);
  });
  it('WBC < 3.0 → WBC_HOLD (3.0 itself is fine)', () => {
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750, wbc: 2.9 }).warnings).toEqual(['WBC_HOLD']);
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750, wbc: 3.0 }).warnings).toEqual([]);
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750, wbc: 2.9 }).doseMg).toBe(1120); // dose still shown
  });
  it('CrCl < 30 → CRCL_REDUCE and 500 mg/m² suggested; the dose is not changed silently', () => {
    const r = cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750, creatinineClearance: 29 });
    expect(r.warnings).toEqual(['CRCL_REDUCE']);
    expect(r.suggestedTargetMgPerM2).toBe(500);
    expect(r.doseMg).toBe(1120);
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 750, creatinineClearance: 30 }).warnings).toEqual([]);
    // already at 500: suggestion stands, no warning; 1.490712 × 500 = 745.36 → 750
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: 500, creatinineClearance: 20 })).toMatchObject({ doseMg: 750, warnings: [], suggestedTargetMgPerM2: 500 });
  });
  it('invalid input gives NaN and INVALID_INPUT, never a throw', () => {
    expect(cyclophosphamideDose({ heightCm: 0, weightKg: 50, targetMgPerM2: 750 })).toMatchObject({ warnings: ['INVALID_INPUT'] });
    expect(cyclophosphamideDose({ heightCm: 160, weightKg: 50, targetMgPerM2: NaN }).doseMg).toBeNaN();
    expect(cyclophosphamideDose(undefined as never).doseMg).toBeNaN();
  });
  it('every warning code has both messages', () => {
    for (const m of Object.values(CYC_WARNING_MESSAGES)) expect(m.zh && m.en).toBeTruthy();
  });
  it('doseDifferenceFraction', () => {
    expect(doseDifferenceFraction(1100, 1000)).toBeCloseTo(0.1, 12);
    expect(doseDifferenceFraction(1000, 0)).toBeNaN();
  });
});
