// Handlers for the clinical panels: the blinded casebook the eligibility, response and lab-chart screens compute from.
import type { clinicalCalls } from '../../../../shared/api/calls/clinical';
import { blindedItemsOf } from '../../../../shared/protocol/blindedItems';
import type { CasebookForm, ItemValue } from '../../../../shared/protocol/types';
import { CasebookRepository } from '../../services/casebookRepository';
import { requireUser, type HandlersFor } from '../handlerTypes';

/** The casebook without anything that could reveal the allocation: unblinded-only items and UNBLIND forms are dropped. */
export function blindedCasebook(casebook: CasebookForm[]): (Omit<CasebookForm, 'data'> & { data: Record<string, ItemValue> })[] {
  return casebook
    .filter((f) => f.formCode !== 'UNBLIND')
    .map((f) => {
      const hidden = blindedItemsOf(f.formCode);
      const data: Record<string, ItemValue> = {};
      for (const [k, v] of Object.entries(f.data)) if (!hidden.has(k) && v !== undefined) data[k] = v;
      return { visitCode: f.visitCode, formCode: f.formCode, repeatKey: f.repeatKey, data };
    });
}

export const clinicalHandlers: HandlersFor<typeof clinicalCalls> = {
  'clinical.casebook': (args, ctx, s) => {
    requireUser(ctx);
    s.subjects.get(args.subjectId); // NOT_FOUND for an unknown subject
    const updated = new Map<string, string>();
    for (const r of s.db
      .prepare('SELECT visit_code, form_code, repeat_key, updated_at FROM form_instances WHERE subject_id = ?')
      .all(args.subjectId) as { visit_code: string; form_code: string; repeat_key: number; updated_at: string }[]) {
      updated.set(`${r.visit_code}/${r.form_code}/${r.repeat_key}`, r.updated_at);
    }
    return blindedCasebook(new CasebookRepository(s.db).casebook(args.subjectId)).map((f) => ({
      ...f,
      updatedAt: updated.get(`${f.visitCode}/${f.formCode}/${f.repeatKey}`) ?? '',
    }));
  },
};
