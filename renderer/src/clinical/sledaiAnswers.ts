// SLEDAI answers (issue 14): which descriptors are not answered yet (neither present / absent nor "not done"), and what
// a new SLEDAI starts with (amendment 1 rule 7): the lab-based descriptors as the same visit's LAB and VITALS suggest
// them, and "not done" for one whose tests the LAB marks as not done. The investigator confirms or changes each one.
import { buildFormContext } from '../../../shared/protocol/casebook';
import { sameVisitData } from '../../../shared/protocol/crossFormData';
import { sledaiSuggestions } from '../../../shared/protocol/crossFormRules';
import { missingItemId, missingReasonOf } from '../../../shared/protocol/missingValues';
import type { CasebookForm, FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { SLEDAI_DESCRIPTORS, type SledaiItem } from '../../../shared/rules/sledai';

/** The tests behind each lab-based descriptor. */
const SOURCES: Partial<Record<SledaiItem, { form: FormCode; items: string[] }>> = {
  haematuria: { form: 'LAB', items: ['urineRbc'] },
  pyuria: { form: 'LAB', items: ['urineWbc'] },
  urinaryCasts: { form: 'LAB', items: ['urineCasts'] },
  proteinuria: { form: 'LAB', items: ['urineProtein24h'] },
  lowComplement: { form: 'LAB', items: ['c3', 'c4'] },
  increasedDnaBinding: { form: 'LAB', items: ['antiDsDna'] },
  thrombocytopenia: { form: 'LAB', items: ['platelets'] },
  leukopenia: { form: 'LAB', items: ['wbc'] },
  fever: { form: 'VITALS', items: ['temperatureC'] },
};

export function sledaiStartValues(casebook: CasebookForm[], visitCode: VisitCode, repeatKey: number): FormData {
  const ctx = buildFormContext(casebook, visitCode, undefined, repeatKey);
  const out: FormData = { ...sledaiSuggestions(ctx) };
  for (const [id, src] of Object.entries(SOURCES)) {
    if (out[id] !== undefined) continue;
    const data = sameVisitData(ctx, src.form);
    if (src.items.every((item) => missingReasonOf(data, item) === 'not_done')) out[missingItemId(id)] = 'not_done';
  }
  return out;
}

/** The descriptors with neither an answer nor a missing-value reason. */
export function unansweredDescriptors(values: FormData): typeof SLEDAI_DESCRIPTORS {
  return SLEDAI_DESCRIPTORS.filter((d) => typeof values[d.id] !== 'boolean' && values[missingItemId(d.id)] === undefined);
}
