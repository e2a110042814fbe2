// Handlers for the clinical panels: the blinded casebook the eligibility, response and lab-chart screens compute from.
import type { clinicalCalls } from '../../../../shared/api/calls/clinical';
import { FORMS } from '../../../../shared/protocol/study';
import type { CasebookForm, ItemValue } from '../../../../shared/protocol/types';
import { CasebookRepository } from '../../services/casebookRepository';
import { requireUser, type HandlersFor } from '../handlerTypes';

/** The casebook without anything that could reveal the allocation: unblinded-only items and UNBLIND forms are dropped. */
export function blindedCasebook(casebook: CasebookForm[]): (Omit<CasebookForm, 'data'> & { data: Record<string, ItemValue> })[] {
  return casebook
    .filter((f) => f.formCode !== 'UNBLIND')
    .map((f) => {
      const hidden = new Set((FORMS[f.formCode]?.fields ?? []).filter((d) => d.unblindedOnly).map((d) => d.id));
      const data: Record<string, ItemValue> = {};
      for (const [k, v] of Object.entries(f.data)) if (!hidden.has(k) && v !== undefined) data[k] = v;
      return { visitCode: f.visitCode, formCode: f.formCode, repeatKey: f.repeatKey, data };
    });
}

export const clinicalHandlers: HandlersFor<typeof clinicalCalls> = {
  'clinical.casebook': (args, ctx, s) => {
    requireUser(ctx);
    s.subjects.get(args.subjectId); // NOT_FOUND for an unknown subject
    return blindedCasebook(new CasebookRepository(s.db).casebook(args.subjectId));
  },
};
