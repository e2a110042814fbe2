// Fills a form for the demo: the clinically meaningful values come from the subject's profile, every
// other visible field gets a plausible value from its own definition (normal range, first choice, …).
import { FORMS } from '../../../shared/protocol/study';
import { isRequired, isVisible } from '../../../shared/protocol/validateForm';
import type { FieldDef, FormCode, FormContext, FormData, ItemValue } from '../../../shared/protocol/types';
import type { Rng } from './demoProfile';

function plausibleValue(field: FieldDef, r: Rng, visitDate: string): ItemValue | undefined {
  switch (field.type) {
    case 'number':
    case 'integer': {
      const range = field.normal ?? field.plausible;
      if (!range) return undefined;
      const min = range.min ?? 0;
      const max = range.max ?? min + 10;
      const lo = min + (max - min) * 0.2;
      const hi = min + (max - min) * 0.8;
      return field.type === 'integer' ? Math.round(r.between(lo, hi)) : r.between(lo, hi, Math.min(field.decimals ?? 1, 2));
    }
    case 'date':
      return visitDate;
    case 'time':
      return '09:00';
    case 'boolean':
      return false;
    case 'choice':
      return field.choices?.[0]?.value;
    case 'multichoice':
      return undefined;
    case 'text':
      return 'N/A';
    case 'textarea':
      return undefined;
  }
}

/**
 * The profile's values first, then a plausible value for each remaining visible field that is required
 * (or a measurement with a range). Repeated until no newly visible field appears.
 */
export function fillForm(formCode: FormCode, known: FormData, ctx: FormContext, r: Rng, visitDate: string): FormData {
  const form = FORMS[formCode];
  const data: FormData = { ...known };
  for (let pass = 0; pass < 3; pass++) {
    let added = false;
    for (const field of form.fields) {
      if (field.id in data) continue;
      if (!isVisible(field, data, ctx)) continue;
      const required = isRequired(field, data, ctx);
      const measured = (field.type === 'number' || field.type === 'integer') && (field.normal ?? field.plausible);
      if (!required && !measured) continue;
      const value = plausibleValue(field, r, visitDate);
      if (value !== undefined) {
        data[field.id] = value;
        added = true;
      }
    }
    if (!added) break;
  }
  return data;
}
