// Worked-number tests of the clinical panels' view logic: eligibility rows, CYC dose, infusion checks, renal response, lab series.
import { describe, expect, it } from 'vitest';
import type { CasebookForm } from '../../../shared/protocol/types';
import { cycStartValues } from './cycStartValues';
import { cycDoseView } from './cycDoseView';
import { eligibilityView } from './eligibilityRows';
import { formsChangedAfterConfirmation } from './eligibilityStale';
import { infusionChecks, pharmChecks } from './infusionChecks';
import { labSeries } from './labSeries';
import { num, responseView } from './responseView';
import { WORKED_FOLLOW_UP, WORKED_SCREENING, type SeedForm } from './testing/workedSubject';

const book = (forms: SeedForm[]): CasebookForm[] => forms.map((f) => ({ ...f, repeatKey: 0 }));
const withLab = (forms: SeedForm[], visit: string, patch: Record<string, unknown>): SeedForm[] =>
  forms.map((f) => (f.formCode === 'LAB' && f.visitCode === visit ? { ...f, data: { ...f.data, ...patch } as SeedForm['data'] } : f));

describe('eligibilityView', () => {
  it('shows every criterion met with its source value for the worked subject', () => {
    const v = eligibilityView(book(WORKED_SCREENING));
    expect(v.eligible).toBe(true);
    expect(v.rows).toHaveLength(16);
    expect(v.counts).toEqual({ met: 16, not_met: 0, missing: 0 });
    const byId = Object.fromEntries(v.rows.map((r) => [r.id, r]));
    expect(byId.INC_AGE?.source.zh).toBe('年龄 34 岁（知情同意日 2026-03-02）');
    expect(byId.INC_AGE?.source.en).toBe('Age 34 years (consent 2026-03-02)');
    expect(byId.EXC_CREATININE_GT_250?.source.zh).toBe('血肌酐 88 µmol/L ≤ 250');
    expect(byId.EXC_WBC_LT_3_5?.source.zh).toBe('白细胞 5.2×10⁹/L ≥ 3.5');
    // casts 4 + haematuria 4 + proteinuria 4 + low complement 2 + DNA binding 2 = 16
    expect(byId.INC_DISEASE_ACTIVITY?.source.zh).toBe('SLEDAI-2K 16 分（需 >8）；BILAG 肾脏 A 级');
    expect(byId.INC_CONSENT?.source.zh).toBe('知情同意日 2026-03-02，签署人：患者本人');
  });

  it('marks a failing creatinine not met and missing data missing', () => {
    const forms = withLab(WORKED_SCREENING, 'SCR', { creatinine: 312 }).filter((f) => f.formCode !== 'BIOPSY');
    const v = eligibilityView(book(forms));
    expect(v.eligible).toBe(false);
    const byId = Object.fromEntries(v.rows.map((r) => [r.id, r]));
    expect(byId.EXC_CREATININE_GT_250?.status).toBe('not_met');
    expect(byId.EXC_CREATININE_GT_250?.source.en).toBe('Creatinine 312 µmol/L > 250');
    expect(byId.INC_LN_CLASS_III_IV?.status).toBe('missing');
    expect(byId.INC_LN_CLASS_III_IV?.source.zh).toBe('肾活检分型未录入；新诊断：是');
    expect(v.counts).toEqual({ met: 14, not_met: 1, missing: 1 });
  });

  it('is missing (not failed) on an empty casebook', () => {
    const v = eligibilityView([]);
    expect(v.eligible).toBeNull();
    expect(v.counts.missing).toBe(16);
    expect(v.rows[0]?.source.zh).toBe('出生日期 未录入，知情同意日 未录入');
  });
});

describe('cycDoseView', () => {
  it('170 cm, 60 kg, 750 mg/m² → BSA 1.683 m², 1262.4 mg → 1260 mg', () => {
    const v = cycDoseView({ heightCm: 170, weightKg: 60, targetMgPerM2: 750, wbc: 5.1 });
    expect(v.bsa).toBeCloseTo(1.6833, 4);
    expect(v.unroundedMg).toBeCloseTo(1262.44, 2);
    expect(v.calculatedMg).toBe(1260);
    expect(v.notices).toEqual([]);
  });

  it('flags WBC < 3.0 as a hold, CrCl < 30 as a 500 mg/m² suggestion, and > 10 % difference as reason required', () => {
    const v = cycDoseView({ heightCm: 170, weightKg: 60, targetMgPerM2: 750, wbc: 2.8, creatinineClearance: 25, doseGiven: true, administeredDoseMg: 1000 });
    expect(v.notices.map((n) => n.code)).toEqual(['WBC_HOLD', 'CRCL_REDUCE', 'DIFF_REASON_REQUIRED']);
    expect(v.notices[0]?.level).toBe('stop');
    expect(v.differencePercent).toBeCloseTo(((1000 - 1260) / 1260) * 100, 6); // −20.6 %
    expect(v.reasonRequired).toBe(true);
  });

  it('10 % exactly needs no reason; the 1500 mg cap is reported', () => {
    expect(cycDoseView({ heightCm: 170, weightKg: 60, targetMgPerM2: 750, administeredDoseMg: 1386 }).reasonRequired).toBe(false);
    const big = cycDoseView({ heightCm: 190, weightKg: 110, targetMgPerM2: 1000 });
    expect(big.calculatedMg).toBe(1500);
    expect(big.notices.map((n) => n.code)).toContain('CAPPED_1500');
  });

  it('shows nothing computed (and no alarm) on an empty form', () => {
    const v = cycDoseView({ targetMgPerM2: 750 });
    expect(v.bsa).toBeNull();
    expect(v.calculatedMg).toBeNull();
    expect(v.notices).toEqual([]);
  });
});

describe('infusionChecks / pharmChecks (amendment 1 rule 4)', () => {
  const casebook: CasebookForm[] = [
    { visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { randNo: 'R003', kitNo: 'K-017' } },
    { visitCode: 'D0', formCode: 'VITALS', repeatKey: 0, data: { weightKg: 55 } },
    { visitCode: 'D7', formCode: 'VITALS', repeatKey: 0, data: { weightKg: 50 } },
    { visitCode: 'D0', formCode: 'PHARM', repeatKey: 0, data: { kitNo: 'K-017', preparedDate: '2024-01-20', releaseDecision: 'released' } },
  ];
  it('PHARM uses the same visit weight: 100×10⁶ ÷ 55 kg = 1.82×10⁶/kg at D0, 2.0 at D7', () => {
    expect(pharmChecks({ cellsInBag: 100 }, casebook, 'D0').cellsPerKg).toBeCloseTo(1.818, 3);
    expect(pharmChecks({ cellsInBag: 100 }, casebook, 'D7').cellsPerKg).toBe(2);
  });
  it('PHARM release: viability ≥ 70 %, hUC-MSC 80-120 ×10⁶, placebo 0, kit as randomised (case-insensitive)', () => {
    expect(pharmChecks({ productType: 'MSC', cellsInBag: 80, viabilityPercent: 70, kitNo: 'k-017' }, casebook, 'D0')).toMatchObject({ viability: 'pass', cells: 'pass', kitMatch: 'pass' });
    expect(pharmChecks({ productType: 'MSC', cellsInBag: 79.9, viabilityPercent: 69.9, kitNo: 'K-018' }, casebook, 'D0')).toMatchObject({ viability: 'fail', cells: 'fail', kitMatch: 'fail' });
    expect(pharmChecks({ productType: 'PLACEBO', cellsInBag: 0 }, casebook, 'D0')).toMatchObject({ cells: 'pass' });
    expect(pharmChecks({ productType: 'PLACEBO', cellsInBag: 95 }, casebook, 'D0')).toMatchObject({ cells: 'fail' });
    expect(pharmChecks({}, [], 'D0')).toMatchObject({ viability: 'missing', cells: 'missing', kitMatch: 'missing', cellsPerKg: null });
  });
  it('INFUSION (blinded) sees the kit and the pharmacy release of this visit, nothing else', () => {
    expect(infusionChecks({ kitNo: 'K-017' }, casebook, 'D0')).toEqual({
      kitEntered: 'K-017',
      kitAssigned: 'K-017',
      kitMatch: 'pass',
      release: 'released',
      releaseKit: 'K-017',
      releaseDate: '2024-01-20',
    });
    expect(infusionChecks({ kitNo: 'K-017' }, casebook, 'D7')).toMatchObject({ release: 'missing', releaseKit: null });
  });
});

describe('responseView', () => {
  it('worked example: 88→95 µmol/L, RBC 4, protein 3.6→1.2 g → partial remission', () => {
    const v = responseView(book([...WORKED_SCREENING, ...WORKED_FOLLOW_UP]));
    expect(v.category).toBe('partial');
    expect(v.categoryLabel.zh).toBe('部分缓解');
    expect(v.steps.map((s) => s.pass)).toEqual([true, true, true, false]);
    expect(v.steps[0]?.threshold).toBe('≤ 110 µmol/L (1.25 × 88)');
    expect(v.steps[2]?.threshold).toEqual({ zh: '< 3 g/24 h 且 ≤ 1.8 g/24 h（0.5 × 3.6）', en: '< 3 g/24 h and ≤ 1.8 g/24 h (0.5 × 3.6)' });
    expect(v.inputs.map((i) => i.value)).toEqual([88, 3.6, 95, 4, 1.2]);
    expect(v.inputs[4]?.date).toBe('2026-09-14');
  });
  it('subnephrotic baseline (2.4 g) uses M6 < 1.0: 0.9 → partial, 1.0 → none', () => {
    const base = withLab([...WORKED_SCREENING, ...WORKED_FOLLOW_UP], 'SCR', { urineProtein24h: 2.4 });
    const v = responseView(book(withLab(base, 'M6', { urineProtein24h: 0.9 })));
    expect(v.category).toBe('partial');
    expect(v.steps[2]?.threshold).toBe('< 1 g/24 h');
    expect(responseView(book(withLab(base, 'M6', { urineProtein24h: 1.0 }))).category).toBe('none');
  });
  it('M6 protein 0.4 → complete; creatinine 111 (> 110) → no remission', () => {
    const base = [...WORKED_SCREENING, ...WORKED_FOLLOW_UP];
    expect(responseView(book(withLab(base, 'M6', { urineProtein24h: 0.4 }))).category).toBe('complete');
    expect(responseView(book(withLab(base, 'M6', { creatinine: 111 }))).category).toBe('none');
  });
  it('names what is missing instead of counting it as no remission', () => {
    const v = responseView(book(WORKED_SCREENING));
    expect(v.category).toBe('not_evaluable');
    expect(v.missing.map((m) => m.zh)).toEqual(['第 6 个月血肌酐', '第 6 个月尿红细胞', '第 6 个月 24 小时尿蛋白']);
    expect(num(null)).toBe('—');
    expect(v.steps[0]?.value).toBe('—');
    expect(v.steps[0]?.threshold).toBe('≤ 110 µmol/L (1.25 × 88)');
    // the nephrotic limit is known from the baseline alone
    expect(v.steps[2]?.threshold).toEqual({ zh: '< 3 g/24 h 且 ≤ 1.8 g/24 h（0.5 × 3.6）', en: '< 3 g/24 h and ≤ 1.8 g/24 h (0.5 × 3.6)' });
  });
});

describe('labSeries', () => {
  it('gives one point per visit with CKD-EPI 2021 eGFR at the age on the collection date', () => {
    const points = labSeries(book([...WORKED_SCREENING, ...WORKED_FOLLOW_UP]));
    expect(points.map((p) => p.visitCode)).toEqual(['SCR', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
    // female 34 y, 88 µmol/L = 0.9955 mg/dL: 142 × (0.9955/0.7)^−1.2 × 0.9938^34 × 1.012 = 76.2
    expect(points[0]).toEqual({ visitCode: 'SCR', date: '2026-03-03', creatinineUmolL: 88, egfr: 76.2, proteinGPer24h: 3.6 });
    expect(points[1]?.egfr).toBe(72.3);
    // M6 2026-09-14: she has turned 35 → 95 µmol/L gives 69.1
    expect(points[6]?.egfr).toBe(69.1);
    expect(points[2]).toEqual({ visitCode: 'M2', date: null, creatinineUmolL: null, egfr: null, proteinGPer24h: null });
  });
  it('leaves eGFR empty without sex or date of birth', () => {
    const points = labSeries(book(WORKED_SCREENING.filter((f) => f.formCode !== 'DEMOG')));
    expect(points[0]?.creatinineUmolL).toBe(88);
    expect(points[0]?.egfr).toBeNull();
  });
});

describe('cycStartValues', () => {
  it('pre-fills the screening height, the visit weight and WBC, and 750 mg/m²', () => {
    const casebook = [
      ...book(WORKED_SCREENING),
      { visitCode: 'M1' as const, formCode: 'VITALS' as const, repeatKey: 0, data: { weightKg: 53.5 } },
      { visitCode: 'M1' as const, formCode: 'LAB' as const, repeatKey: 0, data: { wbc: 4.1 } },
    ];
    expect(cycStartValues(casebook, 'M1')).toMatchObject({ pulseNumber: 2, heightCm: 160, weightKg: 53.5, wbc: 4.1, targetMgPerM2: 750 });
    expect(cycStartValues(casebook, 'D0')).toMatchObject({ heightCm: 160, weightKg: null, wbc: null });
  });
  it('prefers the saved CYC form of the visit', () => {
    const casebook: CasebookForm[] = [{ visitCode: 'M2', formCode: 'CYC', repeatKey: 0, data: { heightCm: 158, weightKg: 52, targetMgPerM2: 500 } }];
    expect(cycStartValues(casebook, 'M2')).toEqual({ heightCm: 158, weightKg: 52, targetMgPerM2: 500 });
  });
  it('a held pulse given later starts from the held one: its date, pulse, height, weight and target, a new WBC', () => {
    const casebook: CasebookForm[] = [
      { visitCode: 'M2', formCode: 'CYC', repeatKey: 0, data: { doseDate: '2024-03-20', pulseNumber: 3, heightCm: 158, weightKg: 52, targetMgPerM2: 500, wbc: 2.4, doseGiven: false } },
    ];
    expect(cycStartValues(casebook, 'M2', 1)).toEqual({ heldOn: '2024-03-20', pulseNumber: 3, heightCm: 158, weightKg: 52, targetMgPerM2: 500 });
  });
});

describe('formsChangedAfterConfirmation', () => {
  const t = (iso: string) => `2026-03-04T0${iso}:00.000Z`;
  it('lists screening forms saved after the ELIG confirmation, ignores later visits and unconfirmed ELIG', () => {
    const casebook = [
      { visitCode: 'SCR' as const, formCode: 'LAB' as const, repeatKey: 0, data: {}, updatedAt: t('1:00') },
      { visitCode: 'SCR' as const, formCode: 'ELIG' as const, repeatKey: 0, data: { confirmed: true }, updatedAt: t('2:00') },
      { visitCode: 'M1' as const, formCode: 'LAB' as const, repeatKey: 0, data: {}, updatedAt: t('3:00') },
    ];
    expect(formsChangedAfterConfirmation(casebook)).toEqual([]);
    const edited = [...casebook, { visitCode: 'SCR' as const, formCode: 'MEDHX' as const, repeatKey: 0, data: {}, updatedAt: t('4:00') }];
    expect(formsChangedAfterConfirmation(edited).map((f) => f.formCode)).toEqual(['MEDHX']);
    expect(formsChangedAfterConfirmation(edited.map((f) => (f.formCode === 'ELIG' ? { ...f, data: {} } : f)))).toEqual([]);
  });
});
