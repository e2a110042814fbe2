// Eligibility: each inclusion and exclusion criterion of the registry record evaluated as met / not met / missing (PROTOCOL.md "Eligibility").
import type { CasebookForm } from '../protocol/types';
import { formData } from '../protocol/casebook';
import { booleanValue, dateValue, numberValue, stringValue } from '../protocol/formValues';
import { measuredValue } from '../protocol/labValues';
import { ageYears } from './age';
import { asMeasured, formatMeasured, isAbove, isBelow, type Measured } from './measured';
import { sledai2kScore } from './sledai';

/** Facts eligibility is evaluated from; every one may be missing (null/undefined). */
export interface EligibilityFacts {
  consentDate?: string | null;
  consentSignedBy?: string | null;
  dateOfBirth?: string | null;
  /** Overrides the age computed from dateOfBirth and consentDate. */
  ageAtConsent?: number | null;
  sex?: 'F' | 'M' | null;
  childbearingPotential?: boolean | null;
  contraception?: boolean | null;
  breastfeeding?: boolean | null;
  pregnancyTestResult?: 'negative' | 'positive' | null;
  acrCriteriaCount?: number | null;
  sledaiTotal?: number | null;
  bilagRenalGrade?: string | null;
  lnNewlyDiagnosed?: boolean | null;
  biopsyClass?: string | null;
  /** A number, or a reported limit such as '<0.1' (amendment 1, rule 11). */
  creatinineUmolL?: number | Measured | null;
  wbc?: number | Measured | null;
  investigationalProductWithin30Days?: boolean | null;
  involvedInStudyConduct?: boolean | null;
  activePepticUlcer?: boolean | null;
  activeSystemicInfection?: boolean | null;
  substanceAbuseHistory?: boolean | null;
  malignancyWithin5Years?: boolean | null;
  otherSeriousCondition?: boolean | null;
}

export { ELIGIBILITY_CRITERIA, ELIGIBILITY_STATUS_LABELS, type CriterionId, type CriterionStatus } from './eligibilityCriteria';
import type { CriterionId, CriterionStatus } from './eligibilityCriteria';

export interface CriterionResult {
  id: CriterionId;
  kind: 'inclusion' | 'exclusion';
  status: CriterionStatus;
  /** The source value shown beside the criterion (e.g. age 34, creatinine 88 µmol/L). */
  value?: string | number | boolean | null;
}

export interface EligibilityResult {
  /** true: every criterion met; false: any not met; null: none failed but some are missing. */
  eligible: boolean | null;
  criteria: CriterionResult[];
}

/** Limits used by the criteria (registry record). */
export const ELIGIBILITY_LIMITS = {
  minAge: 16,
  maxAge: 65,
  guardianBelowAge: 18,
  minAcrCriteria: 4,
  sledaiAbove: 8,
  maxCreatinineUmolL: 250,
  minWbc: 3.5,
} as const;

function n(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
const shownValue = (m: Measured): number | string => (m.op === '=' ? m.value : formatMeasured(m));
function b(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}
function s(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The facts eligibility needs, read from the screening forms of a casebook. */
export function eligibilityFactsFromCasebook(casebook: CasebookForm[]): EligibilityFacts {
  const consent = formData(casebook, 'CONSENT');
  const demog = formData(casebook, 'DEMOG');
  const preg = formData(casebook, 'PREG', 'SCR');
  const medhx = formData(casebook, 'MEDHX');
  const biopsy = formData(casebook, 'BIOPSY');
  const lab = formData(casebook, 'LAB', 'SCR');
  const bilag = formData(casebook, 'BILAG', 'SCR');
  const sledaiSaved = formData(casebook, 'SLEDAI', 'SCR');
  const sex = stringValue(demog, 'sex');
  const result = stringValue(preg, 'result');
  return {
    consentDate: dateValue(consent, 'consentDate'),
    consentSignedBy: stringValue(consent, 'signedBy'),
    dateOfBirth: dateValue(demog, 'dateOfBirth'),
    sex: sex === 'F' || sex === 'M' ? sex : null,
    childbearingPotential: booleanValue(demog, 'childbearingPotential'),
    contraception: booleanValue(demog, 'contraception'),
    breastfeeding: booleanValue(demog, 'breastfeeding'),
    pregnancyTestResult: result === 'negative' || result === 'positive' ? result : null,
    acrCriteriaCount: numberValue(medhx, 'acrCriteriaCount'),
    sledaiTotal: Object.keys(sledaiSaved).length > 0 ? sledai2kScore(sledaiSaved as Record<string, boolean>) : null,
    bilagRenalGrade: stringValue(bilag, 'renalGrade'),
    lnNewlyDiagnosed: booleanValue(medhx, 'lnNewlyDiagnosed'),
    biopsyClass: stringValue(biopsy, 'isnClass'),
    creatinineUmolL: measuredValue('LAB', lab, 'creatinine'),
    wbc: measuredValue('LAB', lab, 'wbc'),
    investigationalProductWithin30Days: booleanValue(medhx, 'investigationalProductWithin30Days'),
    involvedInStudyConduct: booleanValue(medhx, 'involvedInStudyConduct'),
    activePepticUlcer: booleanValue(medhx, 'activePepticUlcer'),
    activeSystemicInfection: booleanValue(medhx, 'activeSystemicInfection'),
    substanceAbuseHistory: booleanValue(medhx, 'substanceAbuseHistory'),
    malignancyWithin5Years: booleanValue(medhx, 'malignancyWithin5Years'),
    otherSeriousCondition: booleanValue(medhx, 'otherSeriousCondition'),
  };
}

/** An exclusion recorded as a yes/no history item: yes → not met, no → met. */
function noHistory(v: boolean | null): CriterionStatus {
  return v === null ? 'missing' : v ? 'not_met' : 'met';
}

/**
 * Evaluate every criterion from a casebook (the subject's saved forms) or from facts.
 * Never throws; anything malformed counts as missing.
 */
export function evaluateEligibility(data: EligibilityFacts | CasebookForm[]): EligibilityResult {
  const f: EligibilityFacts = Array.isArray(data) ? eligibilityFactsFromCasebook(data) : data && typeof data === 'object' ? data : {};
  const L = ELIGIBILITY_LIMITS;
  const criteria: CriterionResult[] = [];
  const add = (id: CriterionId, status: CriterionStatus, value?: CriterionResult['value']) => {
    const kind = id.startsWith('INC_') ? 'inclusion' : 'exclusion';
    criteria.push(value === undefined ? { id, kind, status } : { id, kind, status, value });
  };

  // Age at consent.
  let age = n(f.ageAtConsent);
  if (age === null && s(f.dateOfBirth) && s(f.consentDate)) {
    const a = ageYears(f.dateOfBirth as string, f.consentDate as string);
    age = Number.isFinite(a) ? a : null;
  }
  add('INC_AGE', age === null ? 'missing' : age >= L.minAge && age <= L.maxAge ? 'met' : 'not_met', age);

  // Sex / not pregnant.
  const sex = f.sex === 'F' || f.sex === 'M' ? f.sex : null;
  const test = f.pregnancyTestResult === 'negative' || f.pregnancyTestResult === 'positive' ? f.pregnancyTestResult : null;
  const wocbp = b(f.childbearingPotential);
  let notPregnant: CriterionStatus;
  if (sex === null) notPregnant = 'missing';
  else if (sex === 'M') notPregnant = 'met';
  else if (test === 'positive') notPregnant = 'not_met';
  else if (test === 'negative' || wocbp === false) notPregnant = 'met';
  else notPregnant = 'missing';
  add('INC_SEX_NOT_PREGNANT', notPregnant, test ?? sex);

  // Consent (a guardian must sign for 16-17-year-olds).
  const signedBy = s(f.consentSignedBy);
  let consent: CriterionStatus = s(f.consentDate) ? 'met' : 'missing';
  if (consent === 'met' && age !== null && age < L.guardianBelowAge) {
    if (signedBy === null) consent = 'missing';
    else if (signedBy === 'patient') consent = 'not_met';
  }
  add('INC_CONSENT', consent, s(f.consentDate));

  const acr = n(f.acrCriteriaCount);
  add('INC_SLE_ACR', acr === null ? 'missing' : acr >= L.minAcrCriteria ? 'met' : 'not_met', acr);

  const sledai = n(f.sledaiTotal);
  const bilag = s(f.bilagRenalGrade);
  const sledaiOk = sledai === null ? null : sledai > L.sledaiAbove;
  const bilagOk = bilag === null ? null : bilag === 'A' || bilag === 'B';
  const activity: CriterionStatus = sledaiOk || bilagOk ? 'met' : sledaiOk === false && bilagOk === false ? 'not_met' : 'missing';
  add('INC_DISEASE_ACTIVITY', activity, `SLEDAI-2K ${sledai ?? '—'}; BILAG ${bilag ?? '—'}`);

  const newly = b(f.lnNewlyDiagnosed);
  const cls = s(f.biopsyClass);
  const classOk = cls === null ? null : cls === 'III' || cls === 'IV';
  const ln: CriterionStatus = newly === false || classOk === false ? 'not_met' : newly === true && classOk === true ? 'met' : 'missing';
  add('INC_LN_CLASS_III_IV', ln, cls);

  // Exclusions: 'met' = the exclusion does not apply.
  const nursing = b(f.breastfeeding);
  const contraception = b(f.contraception);
  let preg: CriterionStatus;
  if (sex === null) preg = 'missing';
  else if (sex === 'M') preg = 'met';
  else if (test === 'positive' || nursing === true) preg = 'not_met';
  else if (nursing === null || wocbp === null) preg = 'missing';
  else if (wocbp === false) preg = 'met';
  else if (test === 'negative' || contraception === true) preg = 'met';
  else preg = 'missing';
  add('EXC_PREGNANCY_NURSING', preg, test);

  add('EXC_INVESTIGATIONAL_30D', noHistory(b(f.investigationalProductWithin30Days)), b(f.investigationalProductWithin30Days));
  add('EXC_STUDY_CONDUCT', noHistory(b(f.involvedInStudyConduct)), b(f.involvedInStudyConduct));
  // A reported limit decides where it can ('<100' creatinine: not above 250); else the criterion stays missing.
  const cr = asMeasured(f.creatinineUmolL);
  const crHigh = cr ? isAbove(cr, L.maxCreatinineUmolL) : null;
  add('EXC_CREATININE_GT_250', crHigh === null ? 'missing' : crHigh ? 'not_met' : 'met', cr ? shownValue(cr) : null);
  const wbc = asMeasured(f.wbc);
  const wbcLow = wbc ? isBelow(wbc, L.minWbc) : null;
  add('EXC_WBC_LT_3_5', wbcLow === null ? 'missing' : wbcLow ? 'not_met' : 'met', wbc ? shownValue(wbc) : null);
  add('EXC_PEPTIC_ULCER', noHistory(b(f.activePepticUlcer)), b(f.activePepticUlcer));
  add('EXC_SYSTEMIC_INFECTION', noHistory(b(f.activeSystemicInfection)), b(f.activeSystemicInfection));
  add('EXC_SUBSTANCE_ABUSE', noHistory(b(f.substanceAbuseHistory)), b(f.substanceAbuseHistory));
  add('EXC_MALIGNANCY_5Y', noHistory(b(f.malignancyWithin5Years)), b(f.malignancyWithin5Years));
  add('EXC_OTHER_SERIOUS', noHistory(b(f.otherSeriousCondition)), b(f.otherSeriousCondition));

  const eligible = criteria.some((c) => c.status === 'not_met') ? false : criteria.some((c) => c.status === 'missing') ? null : true;
  return { eligible, criteria };
}
