// Tests for the study definition as data: forms, visits, field ids, labels, edit-check catalog and casebook facts.
import { describe, expect, it } from 'vitest';
import { FORMS, FORM_CODES, STUDY, VISITS, formsForVisit } from './study';
import { CROSS_CHECKS, EDIT_CHECKS, editChecksFor, raisesQuery } from './editChecks';
import { buildFormContext, subjectFacts } from './casebook';
import { casebookOf } from './testing/fixtures';

const CJK = /[\u4e00-\u9fff]/;

describe('study definition', () => {
  it('STUDY meta', () => {
    expect(STUDY).toMatchObject({ site: 'KM01', protocol: 'CT 11-03', registryId: 'NCT01539902' });
    expect(STUDY.oid).toBeTruthy();
    expect(STUDY.protocolVersion).toBeTruthy();
  });
  it('19 forms (PHARM since amendment 1), each keyed by its own code, with unique camelCase field ids and bilingual labels', () => {
    expect(FORM_CODES).toHaveLength(19);
    for (const code of FORM_CODES) {
      const form = FORMS[code];
      expect(form.code).toBe(code);
      const ids = form.fields.map((f) => f.id);
      expect(new Set(ids).size, code).toBe(ids.length);
      for (const f of form.fields) {
        expect(f.id).toMatch(/^[a-z][A-Za-z0-9]*$/);
        expect(f.label.zh, `${code}.${f.id}`).toMatch(CJK);
        expect(f.label.en).toBeTruthy();
        if (f.type === 'choice' || f.type === 'multichoice') expect(f.choices?.length, `${code}.${f.id}`).toBeGreaterThan(0);
        if (f.plausible && f.normal) {
          if (f.normal.min !== undefined && f.plausible.min !== undefined) expect(f.normal.min).toBeGreaterThanOrEqual(f.plausible.min);
          if (f.normal.max !== undefined && f.plausible.max !== undefined) expect(f.normal.max).toBeLessThanOrEqual(f.plausible.max);
        }
      }
      for (const d of form.derived ?? []) expect(d.formula.zh && d.formula.en, `${code}.${d.id}`).toBeTruthy();
    }
  });
  it('visit schedule as in PROTOCOL.md', () => {
    expect(VISITS.map((v) => v.code)).toEqual(['SCR', 'D0', 'D7', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'UNS', 'LOG']);
    expect(VISITS.map((v) => [v.targetDay, v.windowDays])).toEqual([
      [null, null], [0, 0], [7, 2], [30, 7], [60, 7], [90, 7], [120, 7], [150, 7], [180, 14], [null, null], [null, null],
    ]);
    // Amendment 1: PREG before Day 0 and each pulse (rule 2), the pharmacy's PHARM (rule 4), the unscheduled visit (rule 12).
    expect(formsForVisit('D0').map((f) => f.code)).toEqual(['RAND', 'VITALS', 'PREG', 'PHARM', 'INFUSION', 'CYC']);
    expect(formsForVisit('D7').map((f) => f.code)).toEqual(['VITALS', 'PHARM', 'INFUSION']);
    expect(formsForVisit('M3').map((f) => f.code)).toEqual(['VITALS', 'LAB', 'PREG', 'SLEDAI', 'CYC']);
    expect(formsForVisit('M6').map((f) => f.code)).toEqual(['VITALS', 'LAB', 'SLEDAI', 'BILAG', 'RESPONSE', 'EOS']);
    expect(formsForVisit('UNS').map((f) => f.code)).toEqual(['VITALS', 'LAB', 'PREG', 'SLEDAI']);
    expect(VISITS.find((v) => v.code === 'UNS')?.repeating).toBe(true);
    expect(formsForVisit('LOG').map((f) => f.code)).toEqual(['AE', 'CONMED', 'UNBLIND', 'EOS']);
    // every form appears at some visit
    expect(new Set(VISITS.flatMap((v) => v.forms))).toEqual(new Set(FORM_CODES));
  });
  it('RAND allocation is for the unblinded role only; INFUSION never names the product', () => {
    expect(FORMS.RAND.fields.find((f) => f.id === 'allocation')?.unblindedOnly).toBe(true);
    expect(FORMS.RAND.fields.map((f) => f.id)).toEqual(expect.arrayContaining(['randNo', 'kitNo', 'allocation']));
    expect(JSON.stringify(FORMS.INFUSION.label)).not.toMatch(/MSC|安慰剂|placebo/i);
  });
  it('amendment 1 rule 4: the ward part of INFUSION has no product, cell count or viability; PHARM holds them for the pharmacist only', () => {
    const ward = FORMS.INFUSION.fields.map((f) => f.id);
    for (const secret of ['productLot', 'cellsInBag', 'viabilityPercent', 'releaseNote', 'productType']) expect(ward).not.toContain(secret);
    expect(FORMS.INFUSION.derived?.map((d) => d.id)).not.toContain('cellsPerKg');
    expect(FORMS.PHARM.editRoles).toEqual(['pharmacist']);
    const hidden = FORMS.PHARM.fields.filter((f) => f.unblindedOnly).map((f) => f.id);
    expect(hidden).toEqual(expect.arrayContaining(['productType', 'productLot', 'cellsInBag', 'viabilityPercent', 'releasedOutOfSpec', 'releaseNote', 'notReleasedReason']));
    // What blinded roles may see of the pharmacy: the kit, the date, the release decision.
    expect(FORMS.PHARM.fields.filter((f) => !f.unblindedOnly).map((f) => f.id)).toEqual(['kitNo', 'preparedDate', 'releaseDecision']);
    expect(FORMS.PHARM.derived?.every((d) => d.unblindedOnly)).toBe(true);
  });
  it('investigator-only items: eligibility and response confirmations, BILAG grades', () => {
    const only = (code: 'ELIG' | 'RESPONSE' | 'BILAG') => FORMS[code].fields.filter((f) => f.editRoles?.includes('investigator') && f.editRoles.length === 1).map((f) => f.id);
    expect(only('ELIG')).toEqual(['confirmed', 'confirmedDate', 'comment']);
    expect(only('RESPONSE')).toEqual(['confirmed', 'comment']);
    expect(only('BILAG')).toContain('renalGrade');
  });
});

describe('edit-check catalog', () => {
  it('ids are unique, follow FORM.field.check, and every check has a bilingual description', () => {
    const ids = EDIT_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of EDIT_CHECKS) {
      expect(c.id.startsWith(`${c.formCode}.`)).toBe(true);
      expect(c.description.zh && c.description.en).toBeTruthy();
    }
    expect(ids).toEqual(expect.arrayContaining(['LAB.creatinine.plausible', 'LAB.creatinine.normal', 'AE.endDate.beforeOnset', 'INFUSION.kitNo.matchesRand']));
  });
  it('cross checks refer to real fields (or, on ELIG, to the derived value of the criterion they query)', () => {
    for (const c of CROSS_CHECKS) {
      const item = FORMS[c.formCode].fields.some((f) => f.id === c.fieldId) || (c.formCode === 'ELIG' && FORMS.ELIG.derived!.some((d) => d.id === c.fieldId));
      expect(item, c.id).toBe(true);
    }
  });
  it('range checks are generated from the field definitions', () => {
    expect(editChecksFor('LAB').find((c) => c.id === 'LAB.creatinine.plausible')?.description.zh).toContain('10–3000 µmol/L');
    expect(editChecksFor('LAB').find((c) => c.id === 'LAB.creatinine.normal')?.severity).toBe('warning');
  });
  it('warnings raise queries except normal-range flags and notices; errors never do (they block the save)', () => {
    // Normal range: flagged, not queried (PROTOCOL.md LAB).
    expect(raisesQuery('LAB.creatinine.normal')).toBe(false);
    expect(raisesQuery('VITALS.heartRate.normal')).toBe(false);
    expect(raisesQuery('AE.serious.expeditedReport')).toBe(false);
    expect(raisesQuery('CYC.targetMgPerM2.crclReduce')).toBe(false);
    // A pharmacist's notice on the blinded pharmacy part never becomes a query a blinded monitor would read.
    expect(raisesQuery('PHARM.releaseDecision.outOfSpec')).toBe(false);
    // Amendment 1: critical values, SLEDAI/BILAG against the labs, a typed CrCl are queried.
    expect(raisesQuery('LAB.platelets.critical')).toBe(true);
    expect(raisesQuery('SLEDAI.lowComplement.labDisagrees')).toBe(true);
    expect(raisesQuery('BILAG.renalGrade.labPlausibility')).toBe(true);
    expect(raisesQuery('CYC.creatinineClearance.noRecentLab')).toBe(true);
    // Visit window and protocol holds: queried (PROTOCOL.md visit schedule, CYC).
    expect(raisesQuery('LAB.collectionDate.visitWindow')).toBe(true);
    expect(raisesQuery('CYC.wbc.hold')).toBe(true);
    expect(raisesQuery('MEDHX.acrCriteriaCount.belowFour')).toBe(true);
    expect(raisesQuery('LAB.creatinine.plausible')).toBe(false);
    expect(raisesQuery('LAB.something.unlisted')).toBe(true);
    const queried = EDIT_CHECKS.filter((c) => raisesQuery(c.id));
    expect(queried.every((c) => c.severity === 'warning' && c.kind !== 'normal')).toBe(true);
    expect(queried.length).toBeGreaterThan(15);
  });
});

describe('casebook', () => {
  it('subjectFacts reads consent, demographics, screening height, Day 0 and kit', () => {
    expect(subjectFacts(casebookOf())).toEqual({
      consentDate: '2024-01-02',
      dateOfBirth: '1990-05-20',
      sex: 'F',
      childbearingPotential: true,
      heightCm: 160,
      day0Date: '2024-01-20',
      randNo: 'R001',
      kitNo: 'K0007',
    });
    expect(subjectFacts([])).toEqual({});
    expect(subjectFacts([null, 7, { formCode: 'DEMOG' }] as never)).toEqual({});
  });
  it('buildFormContext', () => {
    const ctx = buildFormContext(casebookOf(), 'M1', '2024-03-01');
    expect(ctx.visitCode).toBe('M1');
    expect(ctx.today).toBe('2024-03-01');
    expect(ctx.subject.day0Date).toBe('2024-01-20');
  });
});
