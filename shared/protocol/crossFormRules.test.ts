// Amendment 1 cross-form rules at every boundary the protocol names (PROTOCOL.md "Cross-form rules"), each finding of
// issue 15 reproduced: day −28/−29, 7/8 days, 21/20 days, CrCl 29.9/30, each critical threshold, qualified values.
import { describe, expect, it } from 'vitest';
import type { CasebookForm, FormCode, FormData, VisitCode } from './types';
import { buildFormContext } from './casebook';
import { validateForm } from './validateForm';
import { criticalFindings } from './criticalValues';
import { dependentForms } from './dependentForms';
import { renalResponseInputs } from './endpointInputs';
import { DAY0, GOOD_FORMS, casebookOf } from './testing/fixtures';
import { addDays } from '../rules/dates';
import { classifyRenalResponse } from '../rules/renalResponse';
import { creatinineClearanceCockcroftGault } from '../rules/kidneyFunction';
import { evaluateEligibility } from '../rules/eligibility';

const TODAY = '2024-12-31';
const day = (n: number) => addDays(DAY0, n)!;
const form = (formCode: FormCode, visitCode: VisitCode, data: FormData, repeatKey = 0): CasebookForm => ({ formCode, visitCode, repeatKey, data });
/** The fixture's screening with one form replaced (or added). */
const replace = (casebook: CasebookForm[], f: CasebookForm) => [...casebook.filter((x) => !(x.formCode === f.formCode && x.visitCode === f.visitCode && x.repeatKey === f.repeatKey)), f];
const run = (formCode: FormCode, visitCode: VisitCode, data: FormData, casebook: CasebookForm[], repeatKey = 0) =>
  validateForm(formCode, data, buildFormContext(casebook.filter((f) => !(f.formCode === formCode && f.visitCode === visitCode && f.repeatKey === repeatKey)), visitCode, TODAY, repeatKey));
const ids = (issues: { checkId: string }[]) => issues.map((i) => i.checkId);

const SCREENING = casebookOf(['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG']);
const RAND = GOOD_FORMS.RAND.data;

describe('rule 1: screening forms dated day −28 … −1, or randomisation is refused naming them', () => {
  it('a screening LAB 75 days before Day 0 (the finding) refuses randomisation and names the form', () => {
    const old = replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, collectionDate: day(-75) }));
    const r = run('RAND', 'D0', RAND, old);
    const e = r.errors.find((x) => x.checkId === 'RAND.randDate.screeningTiming');
    expect(e?.message.zh).toContain(`实验室检查 ${day(-75)}（第 -75 天）`);
    expect(e?.message.en).toContain('Laboratory tests');
  });
  it('day −28 passes, −29 fails; day −1 passes, day 0 fails', () => {
    for (const [n, ok] of [[-28, true], [-29, false], [-1, true], [0, false]] as const) {
      const c = replace(SCREENING, form('VITALS', 'SCR', { ...GOOD_FORMS.VITALS.data, assessmentDate: day(n) }));
      expect(ids(run('RAND', 'D0', RAND, c).errors).includes('RAND.randDate.screeningTiming'), `day ${n}`).toBe(!ok);
    }
  });
  it('covers SLEDAI, BILAG and PREG too', () => {
    for (const code of ['SLEDAI', 'BILAG'] as const) {
      const c = replace(SCREENING, form(code, 'SCR', { ...GOOD_FORMS[code].data, assessmentDate: day(-40) }));
      expect(run('RAND', 'D0', RAND, c).errors.find((e) => e.checkId === 'RAND.randDate.screeningTiming')?.message.en).toContain(`${day(-40)} (day -40)`);
    }
  });
});

describe('rule 2: a negative pregnancy test within 7 days before Day 0 and before each pulse', () => {
  const withPreg = (date: string, result = 'negative', visit: VisitCode = 'SCR') => replace(SCREENING, form('PREG', visit, { testDate: date, testType: 'urine', result }));
  it('randomisation: 7 days before passes, 8 days before is refused; positive is refused; a man needs none', () => {
    expect(ids(run('RAND', 'D0', RAND, withPreg(day(-7))).errors)).not.toContain('RAND.randDate.pregnancyTest');
    const eight = run('RAND', 'D0', RAND, withPreg(day(-8))).errors.find((e) => e.checkId === 'RAND.randDate.pregnancyTest');
    expect(eight?.message.zh).toContain(`${day(-7)} 至 ${DAY0}`);
    expect(run('RAND', 'D0', RAND, withPreg(day(-2), 'positive')).errors.find((e) => e.checkId === 'RAND.randDate.pregnancyTest')?.message.en).toContain('Positive pregnancy test');
    const man = replace(withPreg(day(-30)), form('DEMOG', 'SCR', { ...GOOD_FORMS.DEMOG.data, sex: 'M', childbearingPotential: null }));
    expect(ids(run('RAND', 'D0', RAND, man).errors)).not.toContain('RAND.randDate.pregnancyTest');
  });
  it('a pulse given with the last negative test 40 days earlier (the finding) is an error; 7 days passes, 8 fails; a held pulse needs none', () => {
    const pulseAt = (date: string) => ({ ...GOOD_FORMS.CYC.data, doseDate: date });
    const base = [...withPreg(day(-40)), form('RAND', 'D0', RAND)];
    expect(ids(run('CYC', 'M1', pulseAt(day(0)), base).errors)).toContain('CYC.doseGiven.pregnancyTest');
    const m1 = day(30);
    const at = (n: number) => [...base, form('PREG', 'M1', { testDate: addDays(m1, -n)!, testType: 'urine', result: 'negative' })];
    expect(ids(run('CYC', 'M1', { ...pulseAt(m1), pulseNumber: 2 }, at(7)).errors)).not.toContain('CYC.doseGiven.pregnancyTest');
    expect(ids(run('CYC', 'M1', { ...pulseAt(m1), pulseNumber: 2 }, at(8)).errors)).toContain('CYC.doseGiven.pregnancyTest');
    const held = { ...pulseAt(m1), pulseNumber: 2, doseGiven: false, holdReason: 'WBC 2.5', administeredDoseMg: null, hydrationGiven: null, mesnaGiven: null };
    expect(ids(run('CYC', 'M1', held, at(30)).errors)).not.toContain('CYC.doseGiven.pregnancyTest');
  });
});

describe('rule 3: cyclophosphamide renal rule, intervals and doses', () => {
  // A woman of 33 with weight 55 kg: Cockcroft-Gault = 6141.65 / creatinine (µmol/L); 30 mL/min at 204.72 µmol/L.
  const lab = (date: string, creatinine: number) => form('LAB', 'UNS', { ...GOOD_FORMS.LAB.data, collectionDate: date, creatinine }, 1);
  const vitals = (date: string) => form('VITALS', 'UNS', { assessmentDate: date, weightKg: 55, temperatureC: 36.6, heartRate: 70, systolicBp: 120, diastolicBp: 80 }, 1);
  const cyc = { ...GOOD_FORMS.CYC.data, doseDate: DAY0, creatinineClearance: null };
  const book = (labDate: string, creatinine: number) => [...SCREENING, form('RAND', 'D0', RAND), lab(labDate, creatinine), vitals(labDate)];
  it('the worked numbers: CG 29.99 at 204.8 µmol/L and 30.003 at 204.7', () => {
    const cg = (scr: number) => creatinineClearanceCockcroftGault({ creatinineUmolL: scr, ageYears: 33, sex: 'F', weightKg: 55 });
    expect(cg(204.8)).toBeCloseTo(29.989, 2);
    expect(cg(204.7)).toBeCloseTo(30.003, 2);
  });
  it('CrCl is taken from the latest LAB of the last 14 days (derived, not typed); 15 days old: typed, required and queried', () => {
    const r14 = run('CYC', 'D0', cyc, book(day(-14), 80));
    expect(r14.ok).toBe(true);
    expect(r14.derived.creatinineClearanceLab).toBeCloseTo(6141.65 / 80, 1);
    expect('creatinineClearance' in r14.values).toBe(false);
    const r15 = run('CYC', 'D0', cyc, book(day(-15), 80));
    expect(r15.derived.creatinineClearanceLab).toBeNull();
    expect(ids(r15.errors)).toEqual(['CYC.creatinineClearance.required']);
    const typed = run('CYC', 'D0', { ...cyc, creatinineClearance: 80 }, book(day(-15), 80));
    expect(typed.ok).toBe(true);
    expect(ids(typed.warnings)).toContain('CYC.creatinineClearance.noRecentLab');
  });
  it('CrCl 29.9 with the full 750 mg/m² needs a reason (the finding: it saved silently); CrCl 30 does not; 500 mg/m² never does', () => {
    expect(ids(run('CYC', 'D0', cyc, book(day(-3), 204.8)).errors)).toEqual(['CYC.reducedTargetReason.required']);
    expect(run('CYC', 'D0', { ...cyc, reducedTargetReason: '研究者决定' }, book(day(-3), 204.8)).ok).toBe(true);
    expect(run('CYC', 'D0', cyc, book(day(-3), 204.7)).ok).toBe(true);
    const reduced = { ...cyc, targetMgPerM2: 500, administeredDoseMg: 780 };
    expect(run('CYC', 'D0', reduced, book(day(-3), 204.8)).ok).toBe(true);
    // A typed CrCl of 20 (no recent LAB) with 750: the reason too.
    expect(ids(run('CYC', 'D0', { ...cyc, creatinineClearance: 20 }, book(day(-20), 80)).errors)).toEqual(['CYC.reducedTargetReason.required']);
  });
  it('pulses 21 days apart pass; 20 (and the finding, 16) need a reason', () => {
    const prior = form('CYC', 'D0', { ...GOOD_FORMS.CYC.data, doseDate: DAY0 });
    const next = (n: number) => ({ ...GOOD_FORMS.CYC.data, doseDate: day(n), pulseNumber: 2 });
    const b = (n: number) => [...SCREENING, form('RAND', 'D0', RAND), prior, form('PREG', 'M1', { testDate: day(n), testType: 'urine', result: 'negative' })];
    expect(ids(run('CYC', 'M1', next(21), b(21)).errors)).toEqual([]);
    expect(ids(run('CYC', 'M1', next(20), b(20)).errors)).toEqual(['CYC.intervalReason.required']);
    expect(ids(run('CYC', 'M1', next(16), b(16)).errors)).toEqual(['CYC.intervalReason.required']);
    expect(run('CYC', 'M1', { ...next(16), intervalReason: '临床需要' }, b(16)).ok).toBe(true);
  });
  it('dose given = yes with 0 mg administered is an error (the finding)', () => {
    expect(ids(run('CYC', 'D0', { ...GOOD_FORMS.CYC.data, administeredDoseMg: 0, doseDifferenceReason: 'x' }, [...SCREENING, form('RAND', 'D0', RAND)]).errors)).toContain(
      'CYC.administeredDoseMg.positive',
    );
  });
  it('a held pulse can be given later (a second CYC form of the visit, the finding) and nothing else can', () => {
    const m1 = day(30);
    const held = form('CYC', 'M1', { ...GOOD_FORMS.CYC.data, doseDate: m1, pulseNumber: 2, doseGiven: false, holdReason: 'WBC 2.4', wbc: 2.4 });
    const later = { ...GOOD_FORMS.CYC.data, doseDate: addDays(m1, 7)!, heldOn: m1, pulseNumber: 2 };
    const b = [...SCREENING, form('RAND', 'D0', RAND), form('CYC', 'D0', { ...GOOD_FORMS.CYC.data }), held, form('PREG', 'UNS', { testDate: addDays(m1, 7)!, testType: 'urine', result: 'negative' }, 1)];
    expect(run('CYC', 'M1', later, b, 1).errors).toEqual([]);
    expect(ids(run('CYC', 'M1', { ...later, heldOn: null }, b, 1).errors)).toEqual(['CYC.heldOn.required']);
    const given = replace(b, form('CYC', 'M1', { ...GOOD_FORMS.CYC.data, doseDate: m1, pulseNumber: 2 }));
    expect(ids(run('CYC', 'M1', later, given, 1).errors)).toContain('CYC.heldOn.heldPulse');
    // A second LAB at a scheduled visit is not allowed (only CYC repeats there; unscheduled visits repeat).
    expect(ids(run('LAB', 'M1', { ...GOOD_FORMS.LAB.data, collectionDate: m1 }, b, 1).errors)).toContain('LAB.visit.repeat');
    expect(ids(run('LAB', 'UNS', { ...GOOD_FORMS.LAB.data, collectionDate: m1 }, b, 2).errors)).not.toContain('LAB.visit.repeat');
  });
  it('a target below 500 mg/m² can be recorded with a reason (the finding: it could not be)', () => {
    expect(run('CYC', 'D0', { ...GOOD_FORMS.CYC.data, targetMgPerM2: 400, administeredDoseMg: 630, targetBelowRangeReason: '既往骨髓抑制' }, [...SCREENING, form('RAND', 'D0', RAND)]).ok).toBe(true);
  });
});

describe('rule 5: critical values raise a query and suggest an AE, at each threshold', () => {
  const ctx = buildFormContext([...SCREENING, form('RAND', 'D0', RAND)], 'M1', TODAY);
  const at = (code: FormCode, patch: FormData) => criticalFindings(code, { ...GOOD_FORMS[code].data, ...patch }, ctx).map((f) => f.fieldId);
  it.each([
    ['LAB', 'wbc', 1.99, 2.0],
    ['LAB', 'neutrophils', 0.99, 1.0],
    ['LAB', 'platelets', 49, 50],
    ['LAB', 'haemoglobin', 69, 70],
    ['VITALS', 'spo2', 89, 90],
  ] as const)('%s %s: %s is critical, %s is not', (code, field, critical, fine) => {
    expect(at(code, { [field]: critical })).toContain(field);
    expect(at(code, { [field]: fine })).not.toContain(field);
  });
  it.each([
    ['VITALS', 'temperatureC', 39.0, 38.9],
    ['VITALS', 'systolicBp', 180, 179],
    ['VITALS', 'diastolicBp', 110, 109],
    ['VITALS', 'heartRate', 130, 129],
    ['INFUSION', 'preSbp', 180, 179],
    ['INFUSION', 'post1hTempC', 39.0, 38.9],
  ] as const)('%s %s: %s is critical, %s is not (≥)', (code, field, critical, fine) => {
    expect(at(code, { [field]: critical })).toContain(field);
    expect(at(code, { [field]: fine })).not.toContain(field);
  });
  it('low limits: systolic < 80 and heart rate < 45', () => {
    expect(at('VITALS', { systolicBp: 79, diastolicBp: 50 })).toContain('systolicBp');
    expect(at('VITALS', { systolicBp: 80, diastolicBp: 50 })).not.toContain('systolicBp');
    expect(at('VITALS', { heartRate: 44 })).toContain('heartRate');
    expect(at('VITALS', { heartRate: 45 })).not.toContain('heartRate');
  });
  it('creatinine above 1.5 × the screening creatinine (80 → 120.1 critical, 120 not), never at screening itself', () => {
    expect(at('LAB', { creatinine: 120.1 })).toContain('creatinine');
    expect(at('LAB', { creatinine: 120 })).not.toContain('creatinine');
    expect(criticalFindings('LAB', { ...GOOD_FORMS.LAB.data, creatinine: 400 }, buildFormContext(SCREENING, 'SCR', TODAY))).toEqual([]);
  });
  it('the findings of issue 15: platelets 5, Hb 55, BP 300/200, 41.5 °C, HR 250 — each a query with a suggested AE term', () => {
    const lab = run('LAB', 'M1', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), platelets: 5, haemoglobin: 55 }, SCREENING);
    expect(ids(lab.warnings)).toEqual(expect.arrayContaining(['LAB.platelets.critical', 'LAB.haemoglobin.critical']));
    expect(lab.warnings.find((w) => w.checkId === 'LAB.platelets.critical')?.message.zh).toContain('血小板计数降低');
    const v = run('VITALS', 'M1', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: day(30), systolicBp: 300, diastolicBp: 200, temperatureC: 41.5, heartRate: 250 }, SCREENING);
    expect(ids(v.warnings)).toEqual(expect.arrayContaining(['VITALS.systolicBp.critical', 'VITALS.diastolicBp.critical', 'VITALS.temperatureC.critical', 'VITALS.heartRate.critical']));
  });
  it('a WBC at a nadir reported as "<0.1" is critical; 0.05 can be entered as a number (the finding: it could not)', () => {
    expect(at('LAB', { wbc: '<0.1', neutrophils: null })).toContain('wbc');
    expect(run('LAB', 'UNS', { ...GOOD_FORMS.LAB.data, collectionDate: day(40), wbc: 0.05, neutrophils: 0.01 }, SCREENING, 1).errors).toEqual([]);
  });
});

describe('rule 6: serious adverse events', () => {
  const ae = (patch: FormData) => run('AE', 'LOG', { ...GOOD_FORMS.AE.data, ...patch }, SCREENING, 1);
  const sae = { serious: true, seriousCriteria: ['hospitalisation'], awarenessDate: '2024-02-02', awarenessTime: '10:00', expectedness: 'unexpected', grade: '3' };
  it('grade 4 and not serious: a query (the finding: saved silently)', () => {
    expect(ids(ae({ grade: '4', serious: false }).warnings)).toContain('AE.serious.grade4NotSerious');
    expect(ids(ae({ grade: '3', serious: false }).warnings)).not.toContain('AE.serious.grade4NotSerious');
  });
  it('criterion death with grade 2: an error (the finding); grade 5 ⇔ death ⇔ fatal', () => {
    expect(ids(ae({ ...sae, grade: '2', seriousCriteria: ['death'] }).errors)).toContain('AE.seriousCriteria.deathConsistent');
    expect(ids(ae({ ...sae, grade: '5', seriousCriteria: ['death'], outcome: 'recovered' }).errors)).toEqual(expect.arrayContaining(['AE.outcome.grade5Fatal', 'AE.seriousCriteria.deathConsistent']));
    expect(ae({ ...sae, grade: '5', seriousCriteria: ['death'], outcome: 'fatal' }).ok).toBe(true);
  });
  it('an SAE needs awareness date and time and expectedness; SUSAR is derived', () => {
    expect(ids(ae({ serious: true, seriousCriteria: ['hospitalisation'] }).errors)).toEqual(
      expect.arrayContaining(['AE.awarenessDate.required', 'AE.awarenessTime.required', 'AE.expectedness.required']),
    );
    expect(ae({ ...sae, relationCyc: 'probable' }).derived.susar).toBe(1);
    expect(ae({ ...sae, relationCyc: 'not_related', relationInfusion: 'unlikely' }).derived.susar).toBe(0);
    expect(ae({ ...sae, expectedness: 'expected', relationCyc: 'probable' }).derived.susar).toBe(0);
    expect(ae({ serious: false }).derived.susar).toBe(0);
  });
  it('reported to the sponsor the next day passes; two days after awareness is late (query); before awareness is an error', () => {
    expect(ids(ae({ ...sae, reportedSponsorDate: '2024-02-03' }).warnings)).not.toContain('AE.reportedSponsorDate.late');
    expect(ids(ae({ ...sae, reportedSponsorDate: '2024-02-04' }).warnings)).toContain('AE.reportedSponsorDate.late');
    expect(ids(ae({ ...sae, reportedSponsorDate: '2024-02-01' }).errors)).toContain('AE.reportedSponsorDate.beforeAwareness');
  });
});

describe('rule 7: SLEDAI against the same visit’s LAB and VITALS', () => {
  it('low complement ticked with normal C3 and C4 (the finding in 674 demo forms) is a query', () => {
    const normal = replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, c3: 1.1, c4: 0.2 }));
    const r = run('SLEDAI', 'SCR', GOOD_FORMS.SLEDAI.data, normal);
    expect(r.warnings.find((w) => w.checkId === 'SLEDAI.lowComplement.labDisagrees')?.message.zh).toContain('C3 1.1 g/L');
    expect(ids(run('SLEDAI', 'SCR', GOOD_FORMS.SLEDAI.data, SCREENING).warnings)).not.toContain('SLEDAI.lowComplement.labDisagrees');
  });
  it('fever from VITALS: 38.5 °C not ticked is a query; a qualified value decides where it can', () => {
    const hot = replace(SCREENING, form('VITALS', 'SCR', { ...GOOD_FORMS.VITALS.data, temperatureC: 38.5 }));
    expect(ids(run('SLEDAI', 'SCR', GOOD_FORMS.SLEDAI.data, hot).warnings)).toContain('SLEDAI.fever.labDisagrees');
    const full = replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, urineRbc: 'field_full' }));
    expect(ids(run('SLEDAI', 'SCR', { ...GOOD_FORMS.SLEDAI.data, haematuria: false }, full).warnings)).toContain('SLEDAI.haematuria.labDisagrees');
    const undecided = replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, urineRbc: '<20' }));
    expect(ids(run('SLEDAI', 'SCR', { ...GOOD_FORMS.SLEDAI.data, haematuria: false }, undecided).warnings)).not.toContain('SLEDAI.haematuria.labDisagrees');
  });
});

describe('rule 8: BILAG renal grade against the same visit’s LAB', () => {
  it('D with 3.5 g protein, and A with protein 0.3 g and RBC 3, are queried; A with 3.5 g is not', () => {
    expect(ids(run('BILAG', 'SCR', { ...GOOD_FORMS.BILAG.data, renalGrade: 'D' }, SCREENING).warnings)).toContain('BILAG.renalGrade.labPlausibility');
    const quiet = replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, urineProtein24h: 0.3, urineRbc: 3 }));
    expect(ids(run('BILAG', 'SCR', GOOD_FORMS.BILAG.data, quiet).warnings)).toContain('BILAG.renalGrade.labPlausibility');
    expect(ids(run('BILAG', 'SCR', GOOD_FORMS.BILAG.data, SCREENING).warnings)).not.toContain('BILAG.renalGrade.labPlausibility');
  });
});

describe('rule 11: qualified lab values (the finding: real values blocked)', () => {
  const lab = (patch: FormData) => run('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, ...patch }, SCREENING);
  it('C4 未检出, anti-dsDNA >10000, urine RBC 满视野 are accepted and stored as tokens or limits', () => {
    const r = lab({ c4: '未检出', antiDsDna: '>10000', urineRbc: '满视野', urineWbc: 'field full' });
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ c4: 'undetectable', antiDsDna: '>10000', urineRbc: 'field_full', urineWbc: 'field_full' });
    expect(lab({ c3: '＜0.05' }).values.c3).toBe('<0.05');
    // Flagged against the normal range in words a nurse reads, not the stored token.
    const flag = lab({ urineRbc: '满视野' }).warnings.find((w) => w.checkId === 'LAB.urineRbc.normal');
    expect(flag?.message.zh).toContain('尿红细胞 满视野 /HPF');
    expect(flag?.message.en).toContain('Urine RBC field full /HPF');
  });
  it('limits outside the plausible range, words a field does not take and garbage are still errors', () => {
    expect(ids(lab({ antiDsDna: '>20000' }).errors)).toEqual(['LAB.antiDsDna.plausible']);
    expect(ids(lab({ c3: '未检出' }).errors)).toEqual(['LAB.c3.type']);
    expect(ids(lab({ creatinine: '<abc' }).errors)).toEqual(['LAB.creatinine.type']);
    expect(ids(lab({ haemoglobin: '<10.5' }).errors)).toEqual(['LAB.haemoglobin.type']);
  });
  it('the endpoint uses a limit where it decides: RBC field full fails rule 2, protein <0.1 is complete remission, RBC <20 is not evaluable', () => {
    const m6 = (patch: FormData) => [...SCREENING, form('LAB', 'M6', { ...GOOD_FORMS.LAB.data, collectionDate: day(180), urineRbc: 4, urineProtein24h: 0.3, ...patch })];
    const cls = (patch: FormData) => classifyRenalResponse(renalResponseInputs(m6(patch)));
    expect(cls({}).category).toBe('complete');
    expect(cls({ urineRbc: 'field_full' })).toMatchObject({ category: 'none', steps: { urineRbc: { pass: false, inputs: { month6UrineRbcPerHpf: '>100' } } } });
    expect(cls({ urineProtein24h: '<0.1' }).category).toBe('complete');
    expect(cls({ urineRbc: '<20' })).toMatchObject({ category: 'not_evaluable', missing: [], undecided: ['month6.urineRbcPerHpf'] });
    // An unscheduled visit's LAB is never the Month 6 value (rule 12).
    expect(classifyRenalResponse(renalResponseInputs([...SCREENING, form('LAB', 'UNS', { ...GOOD_FORMS.LAB.data, urineRbc: 2 }, 1)])).category).toBe('not_evaluable');
  });
  it('eligibility uses a limit where it decides: creatinine <100 passes the > 250 exclusion, WBC <5 cannot decide < 3.5', () => {
    const scr = (patch: FormData) => evaluateEligibility(replace(SCREENING, form('LAB', 'SCR', { ...GOOD_FORMS.LAB.data, ...patch }))).criteria;
    expect(scr({ creatinine: '<100' }).find((c) => c.id === 'EXC_CREATININE_GT_250')?.status).toBe('met');
    expect(scr({ wbc: '<5', neutrophils: null }).find((c) => c.id === 'EXC_WBC_LT_3_5')?.status).toBe('missing');
    expect(scr({ wbc: '<3', neutrophils: null }).find((c) => c.id === 'EXC_WBC_LT_3_5')?.status).toBe('not_met');
  });
});

describe('one end-of-study record per subject; no date after today', () => {
  it('an early-termination EOS after the Month 6 one (the finding: both kept) is refused', () => {
    const b = [...SCREENING, form('EOS', 'M6', GOOD_FORMS.EOS.data)];
    expect(ids(run('EOS', 'LOG', { status: 'early_termination', eosDate: day(190), terminationReason: 'withdrew_consent' }, b).errors)).toEqual(['EOS.status.onePerSubject']);
  });
  it('a consent dated after today is an error when the context knows today', () => {
    const r = validateForm('CONSENT', { ...GOOD_FORMS.CONSENT.data, consentDate: '2025-01-17' }, buildFormContext([], 'SCR', TODAY));
    expect(ids(r.errors)).toEqual(['CONSENT.consentDate.future']);
  });
});

describe('dependents: which saved forms a change re-checks', () => {
  const book = [
    ...SCREENING,
    form('RAND', 'D0', RAND),
    form('CYC', 'D0', { ...GOOD_FORMS.CYC.data, doseDate: DAY0 }),
    form('CYC', 'M1', { ...GOOD_FORMS.CYC.data, doseDate: day(30) }),
    form('SLEDAI', 'M1', { assessmentDate: day(30) }),
    form('LAB', 'M1', { ...GOOD_FORMS.LAB.data, collectionDate: day(30) }),
    form('PHARM', 'D0', GOOD_FORMS.PHARM.data),
    form('INFUSION', 'D0', GOOD_FORMS.INFUSION.data),
  ];
  const deps = (formCode: FormCode, visitCode: VisitCode, before: FormData, after: FormData) =>
    dependentForms({ formCode, visitCode, repeatKey: 0, before, after }, book).map((f) => `${f.visitCode}/${f.formCode}`);
  it('an M1 LAB: its SLEDAI and the pulses of the next 14 days; a screening LAB: eligibility, other LABs', () => {
    expect(deps('LAB', 'M1', {}, { collectionDate: day(30) })).toEqual(['M1/CYC', 'M1/SLEDAI']);
    expect(deps('LAB', 'SCR', { collectionDate: '2024-01-05' }, { collectionDate: '2024-01-05' })).toEqual(expect.arrayContaining(['SCR/ELIG', 'SCR/SLEDAI', 'SCR/BILAG', 'M1/LAB']));
  });
  it('a pregnancy test: the pulses within 7 days after it; PHARM: its visit’s INFUSION; a CYC: the other pulses', () => {
    expect(deps('PREG', 'M1', {}, { testDate: day(25) })).toEqual(['M1/CYC']);
    expect(deps('PHARM', 'D0', {}, GOOD_FORMS.PHARM.data)).toEqual(['D0/INFUSION']);
    expect(deps('CYC', 'M1', { doseDate: day(30) }, { doseDate: day(30), targetDoseMgM2: 500 })).toEqual(['D0/CYC']);
  });
  it('a visit date that moves: the visit’s other dated forms (one window query per visit); Day 0: every dated form', () => {
    expect(deps('CYC', 'M1', {}, { doseDate: day(30) })).toEqual(['D0/CYC', 'M1/SLEDAI', 'M1/LAB']);
    expect(deps('SLEDAI', 'M1', { assessmentDate: day(30) }, { assessmentDate: day(45) })).toEqual(['M1/CYC', 'M1/LAB']);
    expect(deps('SLEDAI', 'M1', { assessmentDate: day(30) }, { assessmentDate: day(30), rash: true })).toEqual([]);
    expect(deps('RAND', 'D0', RAND, { ...RAND, randDate: day(1) })).toEqual(expect.arrayContaining(['SCR/SLEDAI', 'SCR/VITALS', 'SCR/LAB', 'D0/CYC', 'M1/CYC', 'M1/SLEDAI', 'M1/LAB']));
  });
});
