// The study definition as the export sees it: forms and visits from shared/protocol, with the
// fields a blinded sponsor may receive (unblindedOnly fields and the UNBLIND form are withheld).
import { FORMS, STUDY, VISITS } from '../../../shared/protocol/study';
import { blindedItemsOf } from '../../../shared/protocol/blindedItems';
import type { FieldDef, FormDef, VisitDef } from '../../../shared/protocol/types';

/** Forms whose content reveals the allocation; never written to a sponsor bundle while the study is blinded. */
const WITHHELD_FORMS = new Set<string>(['UNBLIND']);

export interface ExportForm {
  def: FormDef;
  fields: FieldDef[];
}

export function exportForms(): ExportForm[] {
  const all = Object.values(FORMS);
  return all
    .filter((f) => !WITHHELD_FORMS.has(f.code))
    .map((def) => ({ def, fields: def.fields.filter((f) => !f.unblindedOnly) }));
}

/** item codes that must not leave the site, per form code (for the audit trail too). */
export function withheldItems(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const def of Object.values(FORMS)) {
    const wholeForm = WITHHELD_FORMS.has(def.code) ? def.fields.map((f) => f.id) : [];
    map.set(def.code, new Set([...wholeForm, ...blindedItemsOf(def.code)]));
  }
  return map;
}

export function isWithheldForm(code: string): boolean {
  return WITHHELD_FORMS.has(code);
}

export function withheldForms(): string[] {
  return [...WITHHELD_FORMS];
}

export function exportVisits(): VisitDef[] {
  return VISITS.map((v) => ({ ...v, forms: v.forms.filter((f) => !WITHHELD_FORMS.has(f)) }));
}

export const STUDY_INFO = {
  oid: STUDY.oid,
  site: STUDY.site,
  protocolId: STUDY.registryId,
  protocolVersion: STUDY.protocolVersion,
  name: STUDY.title.en,
};
