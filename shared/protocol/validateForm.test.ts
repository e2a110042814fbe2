// Tests for validateForm and formSchema: every form accepts good data and rejects missing, mistyped, out-of-range and mis-ordered values with messages naming the field.
import { describe, expect, it } from 'vitest';
import type { FormCode, FormContext, FormData, ValidationResult } from './types';
import { FORMS, FORM_CODES } from './study';
import { buildFormContext } from './casebook';
import { consentGate, formSchema, validateForm } from './validateForm';
import { EDIT_CHECKS } from './editChecks';
import { CONSENT_DATE, GOOD_FORMS, casebookOf, withForm } from './testing/fixtures';

const TODAY = '2024-12-31';
const FULL = casebookOf();
const ctxFor = (code: FormCode, casebook = FULL): FormContext => buildFormContext(casebook, GOOD_FORMS[code].visit, TODAY);
const run = (code: FormCode, patch: FormData = {}, ctx = ctxFor(code)): ValidationResult =>
  validateForm(code, { ...GOOD_FORMS[code].data, ...patch }, ctx);
const errorIds = (r: ValidationResult) => r.errors.map((e) => e.checkId);
const warningIds = (r: ValidationResult) => r.warnings.map((e) => e.checkId);

/** Every check id the engine emits must be in the edit-check catalog. */
const KNOWN = new Set(EDIT_CHECKS.map((c) => c.id));
const allKnown = (r: ValidationResult) => [...r.errors, ...r.warnings].every((i) => KNOWN.has(i.checkId));

describe('validateForm: good data', () => {
  it.each(FORM_CODES)('%s: the fixture instance saves without errors', (code) => {
    const r = run(code);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(allKnown(r)).toBe(true);
  });
});

describe('validateForm: missing required field', () => {
  it.each(FORM_CODES)('%s: each always-required field blanked is an error naming it', (code) => {
    for (const f of FORMS[code].fields.filter((x) => x.required === true && !x.visibleWhen)) {
      const r = run(code, { [f.id]: '' });
      const e = r.errors.find((x) => x.checkId === `${code}.${f.id}.required`);
      expect(e, `${code}.${f.id}`).toBeDefined();
      expect(e!.message.zh).toContain(f.label.zh);
      expect(e!.message.en).toContain(f.label.en);
      expect(r.ok).toBe(false);
    }
  });
});

describe('validateForm: wrong type', () => {
  it.each(FORM_CODES)('%s: text in a number/date/time/choice/boolean field is an error naming it', (code) => {
    // (System items, the RESPONSE of record, are written by the back end: never an input, never checked.)
    for (const f of FORMS[code].fields.filter((x) => ['number', 'integer', 'date', 'time', 'choice', 'boolean'].includes(x.type) && !x.visibleWhen && !x.system)) {
      const r = run(code, { [f.id]: 'abc' });
      const e = r.errors.find((x) => x.fieldId === f.id);
      expect(e, `${code}.${f.id}`).toBeDefined();
      expect(e!.checkId).toBe(`${code}.${f.id}.type`);
      expect(e!.message.zh).toContain(f.label.zh);
    }
  });
  it('rejects impossible dates and times, non-integers, too many decimals', () => {
    expect(errorIds(run('LAB', { collectionDate: '2024-02-30' }))).toContain('LAB.collectionDate.type');
    expect(errorIds(run('INFUSION', { startTime: '24:00' }))).toContain('INFUSION.startTime.type');
    expect(errorIds(run('VITALS', { heartRate: 72.5 }))).toContain('VITALS.heartRate.type');
    expect(errorIds(run('VITALS', { weightKg: 55.25 }))).toContain('VITALS.weightKg.decimals');
    expect(errorIds(run('RAND', { randNo: '001' }))).toContain('RAND.randNo.pattern');
    expect(errorIds(run('MEDHX', { otherSeriousCondition: true, otherSeriousConditionDetails: 'x'.repeat(501) }))).toContain('MEDHX.otherSeriousConditionDetails.maxLength');
  });
});

describe('validateForm: plausible (hard) and normal (soft) ranges', () => {
  it.each(FORM_CODES)('%s: above the plausible maximum is an error naming field and limit', (code) => {
    for (const f of FORMS[code].fields.filter((x) => x.plausible?.max !== undefined && !x.visibleWhen)) {
      const value = f.plausible!.max! + 1;
      const r = run(code, { [f.id]: value });
      const e = r.errors.find((x) => x.checkId === `${code}.${f.id}.plausible`);
      expect(e, `${code}.${f.id}`).toBeDefined();
      expect(e!.message.zh).toContain(f.label.zh);
      expect(e!.message.zh).toContain(String(f.plausible!.max));
      expect(e!.message.en).toContain(String(value));
    }
  });
  it('message format: creatinine 3500', () => {
    const r = run('LAB', { creatinine: 3500 });
    expect(r.errors[0]!.message).toEqual({
      zh: '血肌酐 3500 µmol/L 超出可信范围 10–3000 µmol/L',
      en: 'Serum creatinine 3500 µmol/L is outside the plausible range 10–3000 µmol/L',
    });
    expect(errorIds(run('LAB', { creatinine: 9 }))).toEqual(['LAB.creatinine.plausible']);
    expect(errorIds(run('LAB', { creatinine: 10 }))).toEqual([]);
    expect(errorIds(run('LAB', { creatinine: 3000 }))).toEqual([]);
  });
  it('normal range is a warning, sex-specific when known (creatinine F 41-73, M 57-97)', () => {
    const female = run('LAB', { creatinine: 80 });
    expect(female.ok).toBe(true);
    expect(warningIds(female)).toContain('LAB.creatinine.normal');
    expect(female.warnings.find((w) => w.checkId === 'LAB.creatinine.normal')!.message.zh).toContain('41–73');
    const maleCtx = buildFormContext(withForm(FULL, 'DEMOG', 'SCR', { ...GOOD_FORMS.DEMOG.data, sex: 'M' }), 'SCR', TODAY);
    expect(warningIds(run('LAB', { creatinine: 80 }, maleCtx))).not.toContain('LAB.creatinine.normal');
  });
});

describe('validateForm: cleaning', () => {
  it('coerces numeric strings, trims, empty → null, removes hidden and unknown fields', () => {
    const r = run('LAB', { creatinine: ' 85.5 ', albumin: '', neutrophils: '３．１', junk: 'x' } as FormData);
    expect(r.values.creatinine).toBe(85.5);
    expect(r.values.albumin).toBeNull();
    expect(r.values.neutrophils).toBe(3.1);
    expect('junk' in r.values).toBe(false);
    const male = validateForm('DEMOG', { ...GOOD_FORMS.DEMOG.data, sex: 'M', childbearingPotential: 'true' }, ctxFor('DEMOG'));
    expect(male.ok).toBe(true);
    expect('childbearingPotential' in male.values).toBe(false);
  });
  it('conditional required: shown fields become required', () => {
    expect(errorIds(run('DEMOG', { ethnicity: 'other' }))).toEqual(['DEMOG.ethnicityOther.required']);
    expect(errorIds(run('AE', { ongoing: false, endDate: null }))).toEqual(['AE.endDate.required']);
    expect(errorIds(run('EOS', { status: 'early_termination', terminationReason: 'death' }))).toEqual(['EOS.deathDate.required', 'EOS.deathCause.required']);
  });
  it('derived values', () => {
    // BMI 55 / 1.6² = 21.48; BSA √(160 × 55 / 3600) = 1.5635
    const v = run('VITALS');
    expect(v.derived.bmi).toBeCloseTo(21.484, 3);
    expect(v.derived.bsa).toBeCloseTo(1.5635, 4);
    expect(run('SLEDAI').derived.sledaiTotal).toBe(14);
    // age at consent: 1990-05-20 → 2024-01-02 = 33
    expect(run('DEMOG').derived.ageAtConsent).toBe(33);
    expect(run('CYC').derived.calculatedDoseMg).toBe(1170);
    expect(run('ELIG').derived.eligible).toBe(1);
    // LAB: F, 33 y, 80 µmol/L, weight 55 kg → CrCl = (140 − 33) × 55 / (72 × 0.904977) × 0.85 = 76.77
    expect(run('LAB').derived.creatinineClearance).toBeCloseTo(76.77, 1);
  });
});

describe('validateForm: dates, consent, windows', () => {
  it('consent gate: nothing but CONSENT is saved before consent', () => {
    const none = buildFormContext([], 'SCR', TODAY);
    expect(consentGate('LAB', none).allowed).toBe(false);
    expect(consentGate('CONSENT', none).allowed).toBe(true);
    expect(consentGate('LAB', ctxFor('LAB')).allowed).toBe(true);
    expect(errorIds(validateForm('LAB', GOOD_FORMS.LAB.data, none))).toContain('LAB.consentGate');
    expect(validateForm('CONSENT', GOOD_FORMS.CONSENT.data, none).ok).toBe(true);
  });
  it('any date before consent is an error, except historical ones', () => {
    const r = run('LAB', { collectionDate: '2024-01-01' });
    expect(errorIds(r)).toEqual(['LAB.collectionDate.beforeConsent']);
    expect(r.errors[0]!.message.zh).toContain(CONSENT_DATE);
    expect(errorIds(run('AE', { onsetDate: '2023-12-01', endDate: '2023-12-05' }))).toContain('AE.onsetDate.beforeConsent');
    expect(run('CONMED', { startDate: '2020-01-01' }).ok).toBe(true);
    expect(run('BIOPSY', { biopsyDate: '2023-07-01' }).ok).toBe(true);
  });
  it('dates after today are errors', () => {
    expect(errorIds(run('AE', { onsetDate: '2025-01-01', ongoing: true, endDate: null }))).toEqual(['AE.onsetDate.future']);
  });
  it('a visit date outside its window is a warning, never an error', () => {
    // D7 target 2024-01-27, ±2 → 01-25…01-29
    const ctx = buildFormContext(FULL, 'D7', TODAY);
    const late = validateForm('VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: '2024-01-30', heightCm: null }, ctx);
    expect(late.ok).toBe(true);
    expect(warningIds(late)).toEqual(['VITALS.assessmentDate.visitWindow']);
    expect(late.warnings[0]!.message.en).toContain('1 day late');
    expect(warningIds(validateForm('VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: '2024-01-29' }, ctx))).toEqual([]);
  });
  it('a form not scheduled at the visit is refused', () => {
    expect(errorIds(validateForm('RAND', GOOD_FORMS.RAND.data, buildFormContext(FULL, 'M3', TODAY)))).toContain('RAND.visit.notScheduled');
  });
});

describe('validateForm: cross-field rules', () => {
  it('date order: AE end ≥ onset, CONMED stop ≥ start, infusion stop after start, EOS not before death', () => {
    const ae = run('AE', { onsetDate: '2024-02-10', endDate: '2024-02-09' });
    expect(errorIds(ae)).toEqual(['AE.endDate.beforeOnset']);
    expect(ae.errors[0]!.message.zh).toContain('结束日期');
    expect(run('AE', { onsetDate: '2024-02-10', endDate: '2024-02-10' }).ok).toBe(true);
    expect(errorIds(run('CONMED', { ongoing: false, stopDate: '2023-12-20' }))).toEqual(['CONMED.stopDate.beforeStart']);
    expect(errorIds(run('INFUSION', { stopTime: '08:59' }))).toEqual(['INFUSION.stopTime.afterStart']);
    expect(errorIds(run('INFUSION', { stopTime: '09:00' }))).toEqual(['INFUSION.stopTime.afterStart']);
    expect(errorIds(run('EOS', { status: 'early_termination', terminationReason: 'death', deathDate: '2024-07-19', deathCause: 'x' }))).toEqual(['EOS.eosDate.beforeDeath']);
  });
  it('SLE diagnosis before biopsy and consent', () => {
    expect(errorIds(run('MEDHX', { sleDiagnosisDate: '2024-01-03' }))).toEqual(expect.arrayContaining(['MEDHX.sleDiagnosisDate.afterConsent', 'MEDHX.sleDiagnosisDate.afterBiopsy']));
    expect(errorIds(run('MEDHX', { sleDiagnosisDate: '2023-12-21' }))).toEqual(['MEDHX.sleDiagnosisDate.afterBiopsy']);
    expect(errorIds(run('BIOPSY', { biopsyDate: '2023-05-01' }))).toEqual(['BIOPSY.biopsyDate.beforeSleDiagnosis']);
  });
  it('guardian required for ages 16-17 at consent, from either form', () => {
    // born 2007-01-03 → 16 on 2024-01-02
    const minor = withForm(FULL, 'DEMOG', 'SCR', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: '2007-01-03' });
    expect(errorIds(run('DEMOG', { dateOfBirth: '2007-01-03' }))).toEqual(['DEMOG.dateOfBirth.guardianForMinor']);
    expect(errorIds(validateForm('CONSENT', GOOD_FORMS.CONSENT.data, buildFormContext(minor, 'SCR', TODAY)))).toEqual(['CONSENT.signedBy.guardianForMinor']);
    expect(validateForm('CONSENT', { ...GOOD_FORMS.CONSENT.data, signedBy: 'patient_and_guardian', guardianRelationship: 'mother' }, buildFormContext(minor, 'SCR', TODAY)).ok).toBe(true);
    // 18 on the consent day: no guardian needed
    expect(run('DEMOG', { dateOfBirth: '2006-01-02' }).ok).toBe(true);
  });
  it('pregnancy test required for a woman of childbearing potential before randomisation', () => {
    const noPreg = FULL.filter((f) => f.formCode !== 'PREG');
    const r = validateForm('RAND', GOOD_FORMS.RAND.data, buildFormContext(noPreg, 'D0', TODAY));
    expect(errorIds(r)).toContain('RAND.randDate.pregnancyTest');
    const male = withForm(noPreg, 'DEMOG', 'SCR', { ...GOOD_FORMS.DEMOG.data, sex: 'M' });
    expect(errorIds(validateForm('RAND', GOOD_FORMS.RAND.data, buildFormContext(male, 'D0', TODAY)))).not.toContain('RAND.randDate.pregnancyTest');
  });
  it('randomisation refused unless eligibility is met and confirmed', () => {
    const unconfirmed = withForm(FULL, 'ELIG', 'SCR', { confirmed: false });
    const r = validateForm('RAND', GOOD_FORMS.RAND.data, buildFormContext(unconfirmed, 'D0', TODAY));
    expect(errorIds(r)).toEqual(['RAND.randNo.eligibilityConfirmed']);
    const ineligible = withForm(FULL, 'LAB', 'SCR', { ...GOOD_FORMS.LAB.data, creatinine: 260 });
    const r2 = validateForm('RAND', GOOD_FORMS.RAND.data, buildFormContext(ineligible, 'D0', TODAY));
    expect(r2.errors[0]!.message.en).toContain('EXC_CREATININE_GT_250');
  });
  it('INFUSION kit must match RAND kit', () => {
    const r = run('INFUSION', { kitNo: 'K0008' });
    expect(errorIds(r)).toEqual(['INFUSION.kitNo.matchesRand']);
    expect(r.errors[0]!.message.zh).toContain('K0007');
    expect(run('INFUSION', { kitNo: 'k0007' }).ok).toBe(true);
    expect(errorIds(validateForm('INFUSION', GOOD_FORMS.INFUSION.data, buildFormContext(FULL.filter((f) => f.formCode !== 'RAND'), 'D0', TODAY)))).toContain('INFUSION.kitNo.matchesRand');
  });
  it('PHARM (amendment 1 rule 4): viability < 70 % or cells outside 80-120 ×10⁶ released only as a declared deviation; placebo holds no cells', () => {
    const r = run('PHARM', { viabilityPercent: 65 });
    expect(warningIds(r)).toContain('PHARM.releaseDecision.outOfSpec');
    expect(errorIds(r)).toEqual(['PHARM.releasedOutOfSpec.matchesSpec']);
    expect(run('PHARM', { viabilityPercent: 65, releasedOutOfSpec: true, releaseNote: '药师确认后仍放行，已报告' }).ok).toBe(true);
    expect(warningIds(run('PHARM', { viabilityPercent: 70 }))).not.toContain('PHARM.releaseDecision.outOfSpec');
    expect(errorIds(run('PHARM', { viabilityPercent: 70, releasedOutOfSpec: true }))).toEqual(['PHARM.releasedOutOfSpec.matchesSpec']);
    // 1,000 ×10⁶ (ten times a bag) is not released without declaring it.
    expect(errorIds(run('PHARM', { cellsInBag: 1000 }))).toEqual(['PHARM.releasedOutOfSpec.matchesSpec']);
    expect(run('PHARM', { cellsInBag: 120 }).ok).toBe(true);
    expect(errorIds(run('PHARM', { cellsInBag: 120.1 }))).toEqual(['PHARM.releasedOutOfSpec.matchesSpec']);
    expect(errorIds(run('PHARM', { cellsInBag: 0 }))).toContain('PHARM.cellsInBag.productMatchesCells');
    expect(errorIds(run('PHARM', { viabilityPercent: '不适用' }))).toContain('PHARM.cellsInBag.productMatchesCells');
    const placebo = run('PHARM', { productType: 'PLACEBO', cellsInBag: 0, viabilityPercent: '不适用' });
    expect(placebo.ok).toBe(true);
    expect(placebo.values.viabilityPercent).toBe('not_applicable');
    expect(errorIds(run('PHARM', { productType: 'PLACEBO', cellsInBag: 95 }))).toEqual(['PHARM.cellsInBag.productMatchesCells']);
    expect(errorIds(run('PHARM', { productType: 'PLACEBO', cellsInBag: 0, viabilityPercent: 92 }))).toEqual(['PHARM.cellsInBag.productMatchesCells']);
    expect(errorIds(run('PHARM', { releaseDecision: 'not_released', releasedOutOfSpec: null, releaseNote: null }))).toEqual(['PHARM.notReleasedReason.required']);
  });
  it('PHARM: the hidden part has the same items for a placebo and an hUC-MSC bag (no count of withheld rows tells the arm)', () => {
    const hidden = (data: FormData) =>
      Object.keys(run('PHARM', data).values)
        .filter((k) => FORMS.PHARM.fields.find((f) => f.id === k)?.unblindedOnly)
        .sort();
    const msc = hidden({});
    expect(msc).toEqual(['cellsInBag', 'productLot', 'productType', 'releaseNote', 'releasedOutOfSpec', 'viabilityPercent']);
    expect(hidden({ productType: 'PLACEBO', cellsInBag: 0, viabilityPercent: 'not_applicable' })).toEqual(msc);
    expect(hidden({ viabilityPercent: 65, releasedOutOfSpec: true, releaseNote: '超标放行' })).toEqual(msc);
  });
  it('CYC: target 500-1000 mg/m², >10 % difference needs a reason, WBC hold and CrCl queries', () => {
    // Below the protocol's 500 mg/m² may be recorded, with a reason (amendment 1); below 100 or above 1000 never.
    expect(errorIds(run('CYC', { targetMgPerM2: 499, administeredDoseMg: 780 }))).toEqual(['CYC.targetBelowRangeReason.required']);
    expect(run('CYC', { targetMgPerM2: 499, administeredDoseMg: 780, targetBelowRangeReason: '既往骨髓抑制' }).ok).toBe(true);
    expect(errorIds(run('CYC', { targetMgPerM2: 99 }))).toEqual(['CYC.targetMgPerM2.plausible']);
    expect(errorIds(run('CYC', { targetMgPerM2: 1001 }))).toEqual(['CYC.targetMgPerM2.plausible']);
    // calculated 1170: 1300 is +11.1 % → reason required; 1280 is +9.4 % → fine
    expect(errorIds(run('CYC', { administeredDoseMg: 1300 }))).toEqual(['CYC.doseDifferenceReason.required']);
    expect(run('CYC', { administeredDoseMg: 1300, doseDifferenceReason: '医嘱调整' }).ok).toBe(true);
    expect(run('CYC', { administeredDoseMg: 1280 }).ok).toBe(true);
    // 1000 mg/m² × 1.5635 = 1563.5 → above the 1500 mg plausible limit first
    expect(errorIds(run('CYC', { administeredDoseMg: 1600, doseDifferenceReason: 'x' }))).toEqual(['CYC.administeredDoseMg.plausible']);
    const hold = run('CYC', { wbc: 2.8 });
    expect(hold.ok).toBe(true);
    expect(warningIds(hold)).toContain('CYC.wbc.hold');
    expect(warningIds(run('CYC', { creatinineClearance: 25, reducedTargetReason: '研究者决定' }))).toContain('CYC.targetMgPerM2.crclReduce');
    expect(run('CYC', { doseGiven: false, holdReason: 'WBC 低', administeredDoseMg: null }).ok).toBe(true);
  });
  it('AE: grade 5 needs outcome fatal and the death criterion; SAEs are flagged', () => {
    expect(errorIds(run('AE', { grade: '5' }))).toEqual(['AE.outcome.grade5Fatal', 'AE.serious.deathCriterion']);
    const sae = run('AE', { grade: '5', outcome: 'fatal', serious: true, seriousCriteria: ['death'], awarenessDate: '2024-02-01', awarenessTime: '10:00', expectedness: 'unexpected' });
    expect(sae.ok).toBe(true);
    expect(warningIds(sae)).toContain('AE.serious.expeditedReport');
  });
  it('VITALS: diastolic below systolic; LAB: neutrophils ≤ WBC and CTCAE ≥3 suggests an AE', () => {
    expect(errorIds(run('VITALS', { diastolicBp: 128 }))).toEqual(['VITALS.diastolicBp.belowSystolic']);
    expect(errorIds(run('LAB', { neutrophils: 6 }))).toEqual(['LAB.neutrophils.aboveWbc']);
    expect(warningIds(run('LAB', { wbc: 1.9, neutrophils: 0.9 }))).toEqual(expect.arrayContaining(['LAB.wbc.critical', 'LAB.neutrophils.critical']));
  });
  it('unknown form or non-object data: a clear error, not a throw', () => {
    expect(validateForm('NOPE' as FormCode, {}, ctxFor('LAB')).errors[0]!.checkId).toBe('FORM.unknown');
    expect(errorIds(validateForm('LAB', 'hello', ctxFor('LAB')))).toContain('LAB.notAnObject');
  });
});

describe('formSchema (zod, for react-hook-form)', () => {
  it.each(FORM_CODES)('%s: good data parses to the cleaned values', (code) => {
    const r = formSchema(code, ctxFor(code), 'zh-CN').safeParse(GOOD_FORMS[code].data);
    expect(r.success).toBe(true);
  });
  it('errors carry the field path and the message in the chosen language', () => {
    const bad = { ...GOOD_FORMS.LAB.data, creatinine: '3500', wbc: '' };
    const zh = formSchema('LAB', ctxFor('LAB'), 'zh-CN').safeParse(bad);
    expect(zh.success).toBe(false);
    const byPath = Object.fromEntries(zh.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath.creatinine).toBe('血肌酐 3500 µmol/L 超出可信范围 10–3000 µmol/L');
    expect(byPath.wbc).toBe('请填写「白细胞计数」');
    const en = formSchema('LAB', ctxFor('LAB'), 'en').safeParse(bad);
    expect(en.error!.issues.map((i) => i.message)).toContain('White blood cells is required');
  });
  it('coerces strings and reports cross-field errors via superRefine', () => {
    const ok = formSchema('LAB', ctxFor('LAB'), 'en').safeParse({ ...GOOD_FORMS.LAB.data, creatinine: '85.5', albumin: '' });
    expect(ok.success && ok.data.creatinine).toBe(85.5);
    expect(ok.success && ok.data.albumin).toBeNull();
    const order = formSchema('AE', ctxFor('AE'), 'en').safeParse({ ...GOOD_FORMS.AE.data, endDate: '2024-01-31' });
    expect(order.error!.issues[0]).toMatchObject({ path: ['endDate'] });
  });
  it('warnings do not fail the schema', () => {
    expect(formSchema('CYC', ctxFor('CYC'), 'en').safeParse({ ...GOOD_FORMS.CYC.data, wbc: 2.5 }).success).toBe(true);
  });
});
