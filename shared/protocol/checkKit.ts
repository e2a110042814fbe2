// The building blocks of edit checks: what a check is (EditCheck, CrossCheck) and small builders for cross checks.
import type { Bilingual, FormCode, FormContext, FormData, Severity } from './types';
import { FORMS } from './study';
import { dateValue } from './formValues';

export type EditCheckKind =
  | 'required'
  | 'type'
  | 'decimals'
  | 'maxLength'
  | 'pattern'
  | 'plausible'
  | 'normal'
  | 'beforeConsent'
  | 'future'
  | 'visitWindow'
  | 'missingReason'
  | 'cross';

export interface EditCheck {
  /** '<FORM>.<field>.<check>', e.g. 'LAB.creatinine.plausible'. */
  id: string;
  formCode: FormCode;
  fieldId: string;
  /** 'error' blocks the save; 'warning' saves and, unless it only informs (see raisesQuery), raises a query. */
  severity: Severity;
  kind: EditCheckKind;
  /** What the check verifies, for the check listing and the data-management plan. */
  description: Bilingual;
}

export interface CrossCheck extends EditCheck {
  kind: 'cross';
  /** The message when the check fires; null when it passes or an input is missing (missing is the required check's job). */
  test: (data: FormData, ctx: FormContext) => Bilingual | null;
}

/** A field's label (its id when the form does not define it). */
export const label = (form: FormCode, fieldId: string): Bilingual =>
  FORMS[form].fields.find((f) => f.id === fieldId)?.label ?? { zh: fieldId, en: fieldId };

/** A cross-field or cross-form check of one form, tied to one of its fields (or '' for the form). */
export function cross(
  formCode: FormCode,
  fieldId: string,
  name: string,
  severity: Severity,
  description: Bilingual,
  test: CrossCheck['test'],
): CrossCheck {
  return { id: `${formCode}.${fieldId}.${name}`, formCode, fieldId, severity, kind: 'cross', description, test };
}

/** A date field must not be later than another date (same form); fires only when both are valid. */
export function dateOrder(formCode: FormCode, earlierId: string, laterId: string, name: string): CrossCheck {
  const a = label(formCode, earlierId);
  const b = label(formCode, laterId);
  return cross(formCode, laterId, name, 'error', { zh: `${b.zh}不得早于${a.zh}`, en: `${b.en} must not be before ${a.en}` }, (d) => {
    const early = dateValue(d, earlierId);
    const late = dateValue(d, laterId);
    return early && late && late < early
      ? { zh: `${b.zh} ${late} 早于${a.zh} ${early}`, en: `${b.en} ${late} is before ${a.en.toLowerCase()} ${early}` }
      : null;
  });
}

