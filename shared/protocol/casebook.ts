// Reading a subject's casebook: the subject facts cross-form rules need, and the FormContext for validating one form.
import type { CasebookForm, FormCode, FormContext, FormData, SubjectFacts, VisitCode } from './types';
import { booleanValue, dateValue, numberValue, stringValue } from './formValues';
import { visitDef } from './visits';

function isCasebookForm(x: unknown): x is CasebookForm {
  return !!x && typeof x === 'object' && typeof (x as CasebookForm).formCode === 'string' && typeof (x as CasebookForm).visitCode === 'string';
}

/** Only well-formed entries of a casebook (anything else is ignored rather than thrown on). */
export function cleanCasebook(casebook: unknown): CasebookForm[] {
  return Array.isArray(casebook) ? casebook.filter(isCasebookForm) : [];
}

/** The saved instance of a form (the lowest repeat key), optionally at one visit. */
export function findForm(casebook: readonly CasebookForm[], formCode: FormCode, visitCode?: VisitCode): CasebookForm | undefined {
  let best: CasebookForm | undefined;
  for (const f of cleanCasebook(casebook)) {
    if (f.formCode !== formCode || (visitCode && f.visitCode !== visitCode)) continue;
    if (!best || (f.repeatKey ?? 0) < (best.repeatKey ?? 0)) best = f;
  }
  return best;
}

/** The data of a saved form (empty object when absent). */
export function formData(casebook: readonly CasebookForm[], formCode: FormCode, visitCode?: VisitCode): FormData {
  const data = findForm(casebook, formCode, visitCode)?.data;
  return data && typeof data === 'object' ? data : {};
}

/** All instances of a repeating form (AE, CONMED). */
export function findForms(casebook: readonly CasebookForm[], formCode: FormCode): CasebookForm[] {
  return cleanCasebook(casebook).filter((f) => f.formCode === formCode);
}

/**
 * Facts drawn from saved forms: consent date (CONSENT), date of birth, sex and childbearing potential (DEMOG),
 * height (SCR VITALS), Day 0, randomisation and kit numbers (RAND; Day 0 falls back to the D0 infusion date).
 * Missing or malformed values are simply left out.
 */
export function subjectFacts(casebook: readonly CasebookForm[]): SubjectFacts {
  const facts: SubjectFacts = {};
  const consent = formData(casebook, 'CONSENT');
  const demog = formData(casebook, 'DEMOG');
  const scrVitals = formData(casebook, 'VITALS', 'SCR');
  const rand = formData(casebook, 'RAND');
  const d0Infusion = formData(casebook, 'INFUSION', 'D0');

  const consentDate = dateValue(consent, 'consentDate');
  if (consentDate) facts.consentDate = consentDate;
  const dob = dateValue(demog, 'dateOfBirth');
  if (dob) facts.dateOfBirth = dob;
  const sex = stringValue(demog, 'sex');
  if (sex === 'F' || sex === 'M') facts.sex = sex;
  const wocbp = booleanValue(demog, 'childbearingPotential');
  if (facts.sex === 'M') facts.childbearingPotential = false;
  else if (wocbp !== null) facts.childbearingPotential = wocbp;
  const height = numberValue(scrVitals, 'heightCm');
  if (height !== null) facts.heightCm = height;
  const day0 = dateValue(rand, 'randDate') ?? dateValue(d0Infusion, 'infusionDate');
  if (day0) facts.day0Date = day0;
  const randNo = stringValue(rand, 'randNo');
  if (randNo) facts.randNo = randNo;
  const kitNo = stringValue(rand, 'kitNo');
  if (kitNo) facts.kitNo = kitNo;
  return facts;
}

/** The context for validating a form at `visitCode`: subject facts, the visit and the whole casebook. */
export function buildFormContext(casebook: readonly CasebookForm[], visitCode: VisitCode, today?: string, repeatKey = 0): FormContext {
  const clean = cleanCasebook(casebook);
  const ctx: FormContext = { subject: subjectFacts(clean), visitCode, casebook: clean };
  if (today) ctx.today = today;
  if (repeatKey > 0) ctx.repeatKey = repeatKey;
  return ctx;
}

/** Weight (kg) recorded at a visit's VITALS (the same instance of an unscheduled visit), used by CrCl, cells/kg and CYC. */
export function visitWeightKg(ctx: FormContext): number | null {
  const repeatKey = visitDef(ctx?.visitCode)?.repeating ? (ctx.repeatKey ?? 0) : 0;
  const vitals = cleanCasebook(ctx?.casebook).find((f) => f.formCode === 'VITALS' && f.visitCode === ctx.visitCode && (f.repeatKey ?? 0) === repeatKey);
  return numberValue(vitals?.data, 'weightKg');
}
