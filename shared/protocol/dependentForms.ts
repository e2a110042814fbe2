// Which saved forms a change to one form can affect through the cross-form rules (amendment 1), so the back end
// checks them again after the save and raises or closes their queries: a new LAB for the SLEDAI of its visit and
// the pulses that take their creatinine clearance from it, a corrected screening value for eligibility, and so on.
import type { CasebookForm, FormCode, FormData, VisitCode } from './types';
import { CYC_LAB_MAX_AGE_DAYS, PREGNANCY_TEST_VALID_DAYS, formDate, visitRepeatKey } from './crossFormData';
import { daysBetween } from '../rules/dates';
import { FORMS } from './study';
import { visitDef } from './visits';

export interface ChangedForm {
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  /** Values before and after the change (before is empty for a new form). */
  before: FormData;
  after: FormData;
}

/** Forms whose eligibility the screening forms feed (rule 9): ELIG is checked again after any screening change. */
const SCREENING_INPUTS = new Set<FormCode>(['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG']);

const sameVisit = (f: CasebookForm, c: ChangedForm) =>
  f.visitCode === c.visitCode && visitRepeatKey(f.visitCode, f.repeatKey) === visitRepeatKey(c.visitCode, c.repeatKey);

/** The dates the changed form was and is dated by (a date change affects the forms around both). */
function changedDates(c: ChangedForm): string[] {
  const dates = [formDate({ formCode: c.formCode, data: c.before }), formDate({ formCode: c.formCode, data: c.after })];
  return [...new Set(dates.filter((d): d is string => d !== null))];
}

/** A form with a date field marked visitDate (the date the visit took place, checked against the visit window). */
const hasVisitDate = (formCode: FormCode) => FORMS[formCode]?.fields.some((f) => f.visitDate) === true;

/** The changed form's visit date moved (or appeared): the other forms of its visit may now hold the visit's window query. */
function visitDateChanged(c: ChangedForm): boolean {
  const field = FORMS[c.formCode]?.fields.find((f) => f.visitDate);
  return field !== undefined && (c.before[field.id] ?? null) !== (c.after[field.id] ?? null);
}

/** A form dated within `days` after one of the dates (the changed LAB or PREG is its input). */
function within(f: CasebookForm, dates: string[], days: number): boolean {
  const d = formDate(f);
  return d !== null && dates.some((x) => {
    const n = daysBetween(x, d);
    return n >= 0 && n <= days;
  });
}

/**
 * The other saved forms of the subject whose cross-form checks read the changed form. `casebook` is the subject's
 * casebook after the change; the changed form itself is never returned.
 */
export function dependentForms(changed: ChangedForm, casebook: readonly CasebookForm[]): CasebookForm[] {
  const dates = changedDates(changed);
  const scr = changed.visitCode === 'SCR';
  const wanted = (f: CasebookForm): boolean => {
    if (f.formCode === changed.formCode && f.visitCode === changed.visitCode && (f.repeatKey ?? 0) === changed.repeatKey) return false;
    if (f.formCode === 'ELIG' && scr && SCREENING_INPUTS.has(changed.formCode)) return true;
    // One query per late visit: when a form's visit date moves, the visit's other dated forms are checked again, so
    // the window query moves to one that is still out of window. Day 0 (RAND) moves every window, screening's too.
    if (hasVisitDate(f.formCode) && f.visitCode !== 'LOG' && !visitDef(f.visitCode)?.repeating) {
      if (changed.formCode === 'RAND' && visitDateChanged(changed)) return true;
      if (sameVisit(f, changed) && (f.repeatKey ?? 0) === 0 && visitDateChanged(changed)) return true;
    }
    switch (changed.formCode) {
      case 'LAB':
        return (
          ((f.formCode === 'SLEDAI' || f.formCode === 'BILAG') && sameVisit(f, changed)) ||
          (f.formCode === 'CYC' && within(f, dates, CYC_LAB_MAX_AGE_DAYS)) ||
          (scr && f.formCode === 'LAB') || // the baseline of the creatinine critical value
          (f.formCode === 'RESPONSE' && (scr || changed.visitCode === 'M6'))
        );
      case 'VITALS':
        return (f.formCode === 'SLEDAI' && sameVisit(f, changed)) || (f.formCode === 'CYC' && (scr || within(f, dates, CYC_LAB_MAX_AGE_DAYS)));
      case 'PREG':
        return f.formCode === 'CYC' && within(f, dates, PREGNANCY_TEST_VALID_DAYS);
      case 'DEMOG':
        return f.formCode === 'CYC' || f.formCode === 'PREG' || f.formCode === 'CONSENT';
      case 'CONSENT':
        return f.formCode === 'DEMOG';
      case 'CYC':
        return f.formCode === 'CYC';
      case 'PHARM':
        return f.formCode === 'INFUSION' && sameVisit(f, changed);
      case 'EOS':
        return f.formCode === 'EOS';
      default:
        return false;
    }
  };
  return casebook.filter(wanted);
}
