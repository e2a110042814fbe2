// Reading one form's inputs from the others (amendment 1): the latest LAB before a dosing date and its creatinine
// clearance, the pregnancy tests before a date, the earlier cyclophosphamide pulses, the screening forms' dates.
import type { Bilingual, CasebookForm, FormCode, FormContext, FormData, SubjectFacts, VisitCode } from './types';
import { cleanCasebook, findForms } from './casebook';
import { dateValue, numberValue, stringValue } from './formValues';
import { ageYears } from '../rules/age';
import { addDays, daysBetween } from '../rules/dates';
import { creatinineClearanceCockcroftGault } from '../rules/kidneyFunction';
import { visitDef } from './visits';

/** The date n days before (an invalid date comes back unchanged; callers pass validated dates). */
export const daysBefore = (date: string, n: number): string => addDays(date, -n) ?? date;

/** Where a value used by one form came from: the form instance, its date, shown with the value and linked. */
export interface SourceRef {
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  date: string;
}

/** The date each form is dated by (its visit date or its own date). */
export const FORM_DATE_FIELD: Partial<Record<FormCode, string>> = {
  LAB: 'collectionDate',
  VITALS: 'assessmentDate',
  PREG: 'testDate',
  SLEDAI: 'assessmentDate',
  BILAG: 'assessmentDate',
  CYC: 'doseDate',
  INFUSION: 'infusionDate',
  PHARM: 'preparedDate',
  RAND: 'randDate',
};

export function formDate(form: Pick<CasebookForm, 'formCode' | 'data'>): string | null {
  const field = FORM_DATE_FIELD[form.formCode];
  return field ? dateValue(form.data, field) : null;
}

/** The instance of a form at exactly this visit and repeat key (an unscheduled visit's VITALS for its LAB, say). */
export function formAt(casebook: readonly CasebookForm[], formCode: FormCode, visitCode: VisitCode, repeatKey = 0): CasebookForm | undefined {
  return cleanCasebook(casebook).find((f) => f.formCode === formCode && f.visitCode === visitCode && (f.repeatKey ?? 0) === repeatKey);
}

/** The repeat key that pairs forms of one visit: an unscheduled visit's instance, 0 at scheduled visits. */
export function visitRepeatKey(visitCode: VisitCode, repeatKey: number | undefined): number {
  return visitDef(visitCode)?.repeating ? (repeatKey ?? 0) : 0;
}

/** Another form of the same visit (the same unscheduled-visit instance): LAB of a SLEDAI, VITALS of a LAB. */
export function sameVisitData(ctx: FormContext, formCode: FormCode): FormData {
  return formAt(ctx?.casebook ?? [], formCode, ctx?.visitCode, visitRepeatKey(ctx?.visitCode, ctx?.repeatKey))?.data ?? {};
}

/** Whether a woman of childbearing potential (a woman whose DEMOG does not say otherwise counts as one). */
export function needsPregnancyTests(facts: SubjectFacts): boolean {
  return facts.sex === 'F' && facts.childbearingPotential !== false;
}

/** Days a pregnancy test stays valid before Day 0 and before each cyclophosphamide pulse (rule 2). */
export const PREGNANCY_TEST_VALID_DAYS = 7;

export type PregnancyTestState =
  | { state: 'not_required' }
  | { state: 'negative'; source: SourceRef }
  | { state: 'positive'; source: SourceRef }
  | { state: 'missing'; from: string; to: string };

/** The pregnancy test that covers a date: a test dated within 7 days before it (or on it); a positive one wins. */
export function pregnancyTestFor(casebook: readonly CasebookForm[], facts: SubjectFacts, date: string): PregnancyTestState {
  if (!needsPregnancyTests(facts)) return { state: 'not_required' };
  const from = daysBefore(date, PREGNANCY_TEST_VALID_DAYS);
  let negative: SourceRef | null = null;
  for (const f of findForms([...casebook], 'PREG')) {
    const d = dateValue(f.data, 'testDate');
    if (!d || d < from || d > date) continue;
    const source = { visitCode: f.visitCode, formCode: f.formCode, repeatKey: f.repeatKey ?? 0, date: d };
    const result = stringValue(f.data, 'result');
    if (result === 'positive') return { state: 'positive', source };
    if (result === 'negative' && (!negative || d > negative.date)) negative = source;
  }
  return negative ? { state: 'negative', source: negative } : { state: 'missing', from, to: date };
}

/** How old a LAB may be for the cyclophosphamide renal rule (rule 3). */
export const CYC_LAB_MAX_AGE_DAYS = 14;

export interface LabSource extends SourceRef {
  data: FormData;
  /** Cockcroft-Gault of that LAB (mL/min, unrounded): the LAB visit's weight, else `fallbackWeightKg`; null when not computable. */
  creatinineClearance: number | null;
  wbc: number | null;
}

/** Weight recorded at a visit (the same unscheduled-visit instance), or null. */
export function weightAt(casebook: readonly CasebookForm[], visitCode: VisitCode, repeatKey: number): number | null {
  return numberValue(formAt(casebook, 'VITALS', visitCode, visitRepeatKey(visitCode, repeatKey))?.data, 'weightKg');
}

/**
 * The latest LAB collected within 14 days before the date (or on it), any visit including unscheduled ones; with its
 * creatinine clearance by Cockcroft-Gault. Ties on the date: the later-entered form (scheduled before unscheduled).
 */
export function latestLabBefore(casebook: readonly CasebookForm[], facts: SubjectFacts, date: string, fallbackWeightKg: number | null): LabSource | null {
  const from = daysBefore(date, CYC_LAB_MAX_AGE_DAYS);
  let best: CasebookForm | null = null;
  let bestDate = '';
  for (const f of findForms([...casebook], 'LAB')) {
    const d = dateValue(f.data, 'collectionDate');
    if (!d || d < from || d > date) continue;
    if (!best || d >= bestDate) {
      best = f;
      bestDate = d;
    }
  }
  if (!best) return null;
  const scr = numberValue(best.data, 'creatinine');
  const weight = weightAt(casebook, best.visitCode, best.repeatKey ?? 0) ?? fallbackWeightKg;
  let crcl: number | null = null;
  if (scr !== null && weight !== null && facts.dateOfBirth && (facts.sex === 'F' || facts.sex === 'M')) {
    const age = ageYears(facts.dateOfBirth, bestDate);
    const v = Number.isFinite(age) ? creatinineClearanceCockcroftGault({ creatinineUmolL: scr, ageYears: age, sex: facts.sex, weightKg: weight }) : NaN;
    crcl = Number.isFinite(v) ? v : null;
  }
  return {
    visitCode: best.visitCode,
    formCode: 'LAB',
    repeatKey: best.repeatKey ?? 0,
    date: bestDate,
    data: best.data,
    creatinineClearance: crcl,
    wbc: numberValue(best.data, 'wbc'),
  };
}

/** Minimum days between cyclophosphamide pulses (rule 3). */
export const CYC_MIN_INTERVAL_DAYS = 21;

/** The latest pulse actually given before this date (other CYC forms: the current one is not in the context). */
export function previousPulse(casebook: readonly CasebookForm[], date: string): (SourceRef & { days: number }) | null {
  let best: SourceRef | null = null;
  for (const f of findForms([...casebook], 'CYC')) {
    if (f.data.doseGiven !== true) continue;
    const d = dateValue(f.data, 'doseDate');
    if (!d || d > date) continue;
    if (!best || d > best.date) best = { visitCode: f.visitCode, formCode: 'CYC', repeatKey: f.repeatKey ?? 0, date: d };
  }
  return best ? { ...best, days: daysBetween(best.date, date) } : null;
}

/** A place in the casebook as people name it: '第 1 个月 实验室检查 2024-02-18' / 'Month 1 Laboratory tests 2024-02-18'. */
export function describeSource(ref: SourceRef, formLabel: Bilingual): Bilingual {
  const visit = visitDef(ref.visitCode)?.label ?? { zh: ref.visitCode, en: ref.visitCode };
  const nth = visitDef(ref.visitCode)?.repeating ? ` #${ref.repeatKey}` : '';
  return { zh: `${visit.zh}${nth} ${formLabel.zh} ${ref.date}`, en: `${visit.en}${nth} ${formLabel.en} ${ref.date}` };
}
