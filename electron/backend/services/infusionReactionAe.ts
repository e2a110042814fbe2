// An infusion reaction recorded on INFUSION also opens an adverse event (PROTOCOL.md "INFUSION"): the AE
// log gets a new entry, in progress, pre-filled with term, onset date and CTCAE grade for staff to complete.
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { encodeValue } from './casebookRepository';
import { derivedOf } from './derivedValues';
import type { FormService } from './formService';

export const INFUSION_REACTION_TERM = '输注相关反应 Infusion-related reaction';

export function linkInfusionReactionsToAe(db: Db, audit: AuditTrail, forms: FormService): void {
  forms.onSave(({ formId, key, user }) => {
    if (key.formCode !== 'INFUSION') return;
    const values = forms.repo.values(formId);
    if (values.reaction !== true) return;
    const source = `${key.visitCode}/INFUSION`;
    const already = db
      .prepare(
        `SELECT 1 FROM form_instances f JOIN item_values v ON v.form_id = f.id
          WHERE f.subject_id = ? AND f.form_code = 'AE' AND v.item_code = 'sourceForm' AND v.value = ?`,
      )
      .get(key.subjectId, encodeValue(source));
    if (already) return;
    const repeatKey =
      ((db.prepare("SELECT MAX(repeat_key) FROM form_instances WHERE subject_id = ? AND visit_code = 'LOG' AND form_code = 'AE'").pluck().get(key.subjectId) as
        | number
        | null) ?? 0) + 1;
    const at = stamp();
    const aeId = Number(
      db
        .prepare(
          `INSERT INTO form_instances (subject_id, visit_code, form_code, repeat_key, status, version, created_at, created_by, updated_at, updated_by)
           VALUES (?, 'LOG', 'AE', ?, 'in_progress', 1, ?, ?, ?, ?)`,
        )
        .run(key.subjectId, repeatKey, at.utc, user.id, at.utc, user.id).lastInsertRowid,
    );
    const data: Record<string, string> = { term: INFUSION_REACTION_TERM, sourceForm: source };
    if (typeof values.infusionDate === 'string') data.onsetDate = values.infusionDate;
    if (typeof values.reactionGrade === 'string') data.grade = values.reactionGrade;
    const insert = db.prepare('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?)');
    const screeningNo = db.prepare('SELECT screening_no FROM subjects WHERE id = ?').pluck().get(key.subjectId) as string;
    for (const [item, value] of Object.entries(data)) insert.run(aeId, item, encodeValue(value));
    // Its derived values (SUSAR) read only its own items.
    forms.derived.write([{ id: aeId, values: derivedOf({ visitCode: 'LOG', formCode: 'AE', repeatKey, data }, []) }]);
    const reason = `由 ${source} 的输注反应自动建立 / opened automatically from the infusion reaction on ${source}`;
    const base = { userId: user.id, username: user.username, subjectId: key.subjectId, screeningNo, visitCode: 'LOG', formCode: 'AE', repeatKey };
    audit.append(
      [
        // The new form's status, as every form saved through FormService records it (audit verify replays it).
        { ...base, action: 'form.status' as const, oldValue: null, newValue: 'in_progress', reason, details: { system: true } },
        ...Object.entries(data).map(([item, value]) => ({
          ...base,
          action: 'item.create' as const,
          itemCode: item,
          newValue: encodeValue(value),
          // Both languages ('中文 / English'): the audit view shows the reader's half (details.system marks it).
          reason,
          details: { system: true },
        })),
      ],
      at,
    );
  });
}
