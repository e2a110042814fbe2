// A visit's actual date, taken from its forms: there is no separate visit-date entry, each scheduled form carries a
// date field marked visitDate (VITALS date measured, LAB collection date, CYC dosing date, RAND randomisation date…).
import { FORMS } from '../../../shared/protocol/study';
import { visitDef } from '../../../shared/protocol/visits';
import type { CasebookForm, FormCode, VisitCode } from '../../../shared/protocol/types';

export interface VisitDate {
  date: string;
  /** The form whose date field gave the visit date. */
  formCode: FormCode;
  fieldId: string;
}

/** The date of the visit's first form, in schedule order, that has a saved visit date; null when none has. */
export function visitDateFromForms(casebook: readonly CasebookForm[], visitCode: VisitCode): VisitDate | null {
  for (const formCode of visitDef(visitCode)?.forms ?? []) {
    const form = casebook.find((f) => f.visitCode === visitCode && f.formCode === formCode && f.repeatKey === 0);
    if (!form) continue;
    for (const field of FORMS[formCode].fields) {
      const value = form.data[field.id];
      if (field.visitDate && typeof value === 'string' && value) return { date: value, formCode, fieldId: field.id };
    }
  }
  return null;
}
