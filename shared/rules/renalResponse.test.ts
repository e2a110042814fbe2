// Tests for the Month 6 renal response: every boundary of rules 1-3 and complete remission, and not-evaluable inputs.
import { describe, expect, it } from 'vitest';
import { classifyRenalResponse, isRemission } from './renalResponse';

const base = { creatinineUmolL: 88.4, urineRbcPerHpf: 30, proteinGPer24h: 4.0 };
const m6 = (over: Record<string, number | null>) => ({ creatinineUmolL: 90, urineRbcPerHpf: 3, proteinGPer24h: 0.3, ...over });

describe('classifyRenalResponse', () => {
  it('complete: rules 1 and 2 hold and M6 protein < 0.5', () => {
    const r = classifyRenalResponse({ baseline: base, month6: m6({}) });
    expect(r.category).toBe('complete');
    expect(r.missing).toEqual([]);
    expect(r.steps.complete.pass).toBe(true);
    expect(isRemission(r.category)).toBe(true);
  });
  it('M6 protein exactly 0.5 is not complete (partial when rule 3 holds)', () => {
    const r = classifyRenalResponse({ baseline: base, month6: m6({ proteinGPer24h: 0.5 }) });
    expect(r.steps.complete.pass).toBe(false);
    expect(r.category).toBe('partial');
  });
  it('rule 1: M6 creatinine exactly 1.25 × baseline passes, just above fails', () => {
    // 1.25 × 88.4 = 110.5
    expect(classifyRenalResponse({ baseline: base, month6: m6({ creatinineUmolL: 110.5 }) }).steps.renalFunction).toMatchObject({ pass: true, threshold: 110.5 });
    const r = classifyRenalResponse({ baseline: base, month6: m6({ creatinineUmolL: 110.6 }) });
    expect(r.steps.renalFunction.pass).toBe(false);
    expect(r.category).toBe('none');
    // 1.25 × 70 = 87.5
    expect(classifyRenalResponse({ baseline: { ...base, creatinineUmolL: 70 }, month6: m6({ creatinineUmolL: 87.5 }) }).category).toBe('complete');
  });
  it('rule 2: urine RBC exactly 10 fails, 9.9 passes', () => {
    expect(classifyRenalResponse({ baseline: base, month6: m6({ urineRbcPerHpf: 10 }) }).category).toBe('none');
    expect(classifyRenalResponse({ baseline: base, month6: m6({ urineRbcPerHpf: 9.9 }) }).category).toBe('complete');
  });
  it('rule 3, nephrotic baseline (> 3.0): M6 < 3.0 and ≤ 0.5 × baseline; exactly half passes', () => {
    // baseline 4.0: 0.5 × 4.0 = 2.0
    const half = classifyRenalResponse({ baseline: base, month6: m6({ proteinGPer24h: 2.0 }) });
    expect(half.steps.proteinuria).toMatchObject({ branch: 'nephrotic', threshold: 2.0, pass: true });
    expect(half.category).toBe('partial');
    expect(classifyRenalResponse({ baseline: base, month6: m6({ proteinGPer24h: 2.01 }) }).category).toBe('none');
    // baseline 8.0: 0.5 × 8 = 4.0 but M6 must also be < 3.0: 3.0 fails, 2.99 passes
    expect(classifyRenalResponse({ baseline: { ...base, proteinGPer24h: 8 }, month6: m6({ proteinGPer24h: 3.0 }) }).category).toBe('none');
    expect(classifyRenalResponse({ baseline: { ...base, proteinGPer24h: 8 }, month6: m6({ proteinGPer24h: 2.99 }) }).category).toBe('partial');
  });
  it('rule 3, baseline exactly 3.0 is subnephrotic: M6 must be < 1.0', () => {
    const b3 = { ...base, proteinGPer24h: 3.0 };
    const r = classifyRenalResponse({ baseline: b3, month6: m6({ proteinGPer24h: 0.99 }) });
    expect(r.steps.proteinuria).toMatchObject({ branch: 'subnephrotic', threshold: 1.0, pass: true });
    expect(r.category).toBe('partial');
    expect(classifyRenalResponse({ baseline: b3, month6: m6({ proteinGPer24h: 1.0 }) }).category).toBe('none');
    // just above 3.0 is nephrotic: 1.4 ≤ 0.5 × 3.01 = 1.505 and < 3.0 → partial; 1.6 fails
    expect(classifyRenalResponse({ baseline: { ...base, proteinGPer24h: 3.01 }, month6: m6({ proteinGPer24h: 1.4 }) }).category).toBe('partial');
    expect(classifyRenalResponse({ baseline: { ...base, proteinGPer24h: 3.01 }, month6: m6({ proteinGPer24h: 1.6 }) }).category).toBe('none');
  });
  it('missing inputs → not_evaluable, naming them, never "none"', () => {
    const r = classifyRenalResponse({ baseline: base, month6: { creatinineUmolL: 200, proteinGPer24h: 0.2 } });
    expect(r.category).toBe('not_evaluable');
    expect(r.missing).toEqual(['month6.urineRbcPerHpf']);
    expect(r.steps.renalFunction.pass).toBe(false); // computed where possible
    const all = classifyRenalResponse({ baseline: {}, month6: {} });
    expect(all.missing).toEqual(['baseline.creatinineUmolL', 'baseline.proteinGPer24h', 'month6.creatinineUmolL', 'month6.urineRbcPerHpf', 'month6.proteinGPer24h']);
    expect(classifyRenalResponse({ baseline: { ...base, creatinineUmolL: NaN }, month6: m6({}) }).missing).toEqual(['baseline.creatinineUmolL']);
    expect(classifyRenalResponse(undefined as never).category).toBe('not_evaluable');
  });
  it('baseline urine RBC is not an input of the rules', () => {
    expect(classifyRenalResponse({ baseline: { creatinineUmolL: 80, proteinGPer24h: 2 }, month6: m6({}) }).category).toBe('complete');
  });
});
