// Tests for evaluateEligibility: each inclusion and exclusion criterion met / not met / missing, from facts and from a casebook.
import { describe, expect, it } from 'vitest';
import { ELIGIBILITY_CRITERIA, type EligibilityFacts, evaluateEligibility } from './eligibility';
import { casebookOf, withForm, GOOD_FORMS } from '../protocol/testing/fixtures';

const OK: EligibilityFacts = {
  consentDate: '2024-01-02',
  consentSignedBy: 'patient',
  dateOfBirth: '1990-05-20',
  sex: 'F',
  childbearingPotential: true,
  contraception: true,
  breastfeeding: false,
  pregnancyTestResult: 'negative',
  acrCriteriaCount: 5,
  sledaiTotal: 14,
  bilagRenalGrade: 'A',
  lnNewlyDiagnosed: true,
  biopsyClass: 'IV',
  creatinineUmolL: 80,
  wbc: 5.2,
  investigationalProductWithin30Days: false,
  involvedInStudyConduct: false,
  activePepticUlcer: false,
  activeSystemicInfection: false,
  substanceAbuseHistory: false,
  malignancyWithin5Years: false,
  otherSeriousCondition: false,
};

const status = (facts: EligibilityFacts, id: string) => evaluateEligibility(facts).criteria.find((c) => c.id === id)?.status;

describe('evaluateEligibility', () => {
  it('an eligible subject meets all 16 criteria', () => {
    const r = evaluateEligibility(OK);
    expect(r.eligible).toBe(true);
    expect(r.criteria).toHaveLength(16);
    expect(r.criteria.map((c) => c.id)).toEqual(ELIGIBILITY_CRITERIA.map((c) => c.id));
    expect(r.criteria.every((c) => c.status === 'met')).toBe(true);
  });
  it('INC_AGE: 16 and 65 inclusive at consent', () => {
    expect(status({ ...OK, dateOfBirth: '2008-01-02', consentSignedBy: 'patient_and_guardian' }, 'INC_AGE')).toBe('met'); // 16 on consent day
    expect(status({ ...OK, dateOfBirth: '2008-01-03' }, 'INC_AGE')).toBe('not_met'); // 15
    expect(status({ ...OK, dateOfBirth: '1958-01-03' }, 'INC_AGE')).toBe('met'); // 65
    expect(status({ ...OK, dateOfBirth: '1958-01-02' }, 'INC_AGE')).toBe('not_met'); // 66 that day
    expect(status({ ...OK, dateOfBirth: null }, 'INC_AGE')).toBe('missing');
    expect(evaluateEligibility({ ...OK, dateOfBirth: '1958-01-02' }).eligible).toBe(false);
  });
  it('INC_SEX_NOT_PREGNANT', () => {
    expect(status({ ...OK, sex: 'M', pregnancyTestResult: null }, 'INC_SEX_NOT_PREGNANT')).toBe('met');
    expect(status({ ...OK, pregnancyTestResult: 'positive' }, 'INC_SEX_NOT_PREGNANT')).toBe('not_met');
    expect(status({ ...OK, pregnancyTestResult: null }, 'INC_SEX_NOT_PREGNANT')).toBe('missing');
    expect(status({ ...OK, childbearingPotential: false, pregnancyTestResult: null }, 'INC_SEX_NOT_PREGNANT')).toBe('met');
    expect(status({ ...OK, sex: null }, 'INC_SEX_NOT_PREGNANT')).toBe('missing');
  });
  it('INC_CONSENT: guardian required at 16-17', () => {
    expect(status({ ...OK, consentDate: null }, 'INC_CONSENT')).toBe('missing');
    expect(status({ ...OK, dateOfBirth: '2007-01-03', consentSignedBy: 'patient' }, 'INC_CONSENT')).toBe('not_met'); // 16
    expect(status({ ...OK, dateOfBirth: '2007-01-03', consentSignedBy: 'patient_and_guardian' }, 'INC_CONSENT')).toBe('met');
    expect(status({ ...OK, dateOfBirth: '2006-01-02', consentSignedBy: 'patient' }, 'INC_CONSENT')).toBe('met'); // 18 that day
  });
  it('INC_SLE_ACR: ≥ 4', () => {
    expect(status({ ...OK, acrCriteriaCount: 4 }, 'INC_SLE_ACR')).toBe('met');
    expect(status({ ...OK, acrCriteriaCount: 3 }, 'INC_SLE_ACR')).toBe('not_met');
    expect(status({ ...OK, acrCriteriaCount: null }, 'INC_SLE_ACR')).toBe('missing');
  });
  it('INC_DISEASE_ACTIVITY: SLEDAI > 8 or BILAG renal A/B', () => {
    expect(status({ ...OK, sledaiTotal: 8, bilagRenalGrade: 'C' }, 'INC_DISEASE_ACTIVITY')).toBe('not_met'); // 8 is not > 8
    expect(status({ ...OK, sledaiTotal: 9, bilagRenalGrade: 'C' }, 'INC_DISEASE_ACTIVITY')).toBe('met');
    expect(status({ ...OK, sledaiTotal: 4, bilagRenalGrade: 'B' }, 'INC_DISEASE_ACTIVITY')).toBe('met');
    expect(status({ ...OK, sledaiTotal: null, bilagRenalGrade: 'A' }, 'INC_DISEASE_ACTIVITY')).toBe('met');
    expect(status({ ...OK, sledaiTotal: 4, bilagRenalGrade: null }, 'INC_DISEASE_ACTIVITY')).toBe('missing');
  });
  it('INC_LN_CLASS_III_IV: newly diagnosed class III or IV', () => {
    expect(status({ ...OK, biopsyClass: 'III' }, 'INC_LN_CLASS_III_IV')).toBe('met');
    expect(status({ ...OK, biopsyClass: 'V' }, 'INC_LN_CLASS_III_IV')).toBe('not_met');
    expect(status({ ...OK, lnNewlyDiagnosed: false }, 'INC_LN_CLASS_III_IV')).toBe('not_met');
    expect(status({ ...OK, biopsyClass: null }, 'INC_LN_CLASS_III_IV')).toBe('missing');
  });
  it('EXC_PREGNANCY_NURSING: "met" means the exclusion does not apply', () => {
    expect(status({ ...OK, breastfeeding: true }, 'EXC_PREGNANCY_NURSING')).toBe('not_met');
    expect(status({ ...OK, pregnancyTestResult: 'positive' }, 'EXC_PREGNANCY_NURSING')).toBe('not_met');
    expect(status({ ...OK, pregnancyTestResult: null, contraception: true }, 'EXC_PREGNANCY_NURSING')).toBe('met');
    expect(status({ ...OK, pregnancyTestResult: null, contraception: false }, 'EXC_PREGNANCY_NURSING')).toBe('missing');
    expect(status({ ...OK, childbearingPotential: false, pregnancyTestResult: null }, 'EXC_PREGNANCY_NURSING')).toBe('met');
    expect(status({ ...OK, sex: 'M', breastfeeding: null }, 'EXC_PREGNANCY_NURSING')).toBe('met');
  });
  it('EXC_CREATININE_GT_250 and EXC_WBC_LT_3_5 at their limits', () => {
    expect(status({ ...OK, creatinineUmolL: 250 }, 'EXC_CREATININE_GT_250')).toBe('met');
    expect(status({ ...OK, creatinineUmolL: 250.1 }, 'EXC_CREATININE_GT_250')).toBe('not_met');
    expect(status({ ...OK, wbc: 3.5 }, 'EXC_WBC_LT_3_5')).toBe('met');
    expect(status({ ...OK, wbc: 3.49 }, 'EXC_WBC_LT_3_5')).toBe('not_met');
    expect(status({ ...OK, wbc: null }, 'EXC_WBC_LT_3_5')).toBe('missing');
  });
  it.each([
    ['investigationalProductWithin30Days', 'EXC_INVESTIGATIONAL_30D'],
    ['involvedInStudyConduct', 'EXC_STUDY_CONDUCT'],
    ['activePepticUlcer', 'EXC_PEPTIC_ULCER'],
    ['activeSystemicInfection', 'EXC_SYSTEMIC_INFECTION'],
    ['substanceAbuseHistory', 'EXC_SUBSTANCE_ABUSE'],
    ['malignancyWithin5Years', 'EXC_MALIGNANCY_5Y'],
    ['otherSeriousCondition', 'EXC_OTHER_SERIOUS'],
  ])('%s yes → %s not met; no → met; unknown → missing', (fact, id) => {
    expect(status({ ...OK, [fact]: true }, id)).toBe('not_met');
    expect(status({ ...OK, [fact]: false }, id)).toBe('met');
    expect(status({ ...OK, [fact]: null }, id)).toBe('missing');
    expect(evaluateEligibility({ ...OK, [fact]: null }).eligible).toBeNull();
  });
  it('from a casebook: the fixture subject is eligible; a WBC of 3.2 makes her ineligible', () => {
    expect(evaluateEligibility(casebookOf()).eligible).toBe(true);
    const lowWbc = withForm(casebookOf(), 'LAB', 'SCR', { ...GOOD_FORMS.LAB.data, wbc: 3.2 });
    const r = evaluateEligibility(lowWbc);
    expect(r.eligible).toBe(false);
    expect(r.criteria.find((c) => c.id === 'EXC_WBC_LT_3_5')).toMatchObject({ status: 'not_met', value: 3.2 });
    expect(evaluateEligibility([]).eligible).toBeNull();
  });
  it('never throws on junk', () => {
    expect(evaluateEligibility(null as never).eligible).toBeNull();
    expect(evaluateEligibility({ sex: 7, wbc: 'x' } as never).eligible).toBeNull();
  });
});
