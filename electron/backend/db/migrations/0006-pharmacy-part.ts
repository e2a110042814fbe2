// Schema 6 (protocol amendment 1, rule 4): the pharmacy's part of an infusion is its own form, PHARM, which blinded
// roles never read. An INFUSION saved before the amendment may still hold the product lot, cells in bag, viability and
// deviation note: they move, audited, into a PHARM form of the same visit (in progress, for the pharmacist to complete:
// product, release decision). Old audit rows of those items stay (the trail is append-only) and are withheld like
// the pharmacy's (shared/protocol/blindedItems.ts RETIRED_BLINDED_ITEMS).
import type { Migration } from './index';
import { AuditTrail, type AuditEntry } from '../../audit/auditTrail';
import { stamp } from '../../audit/clock';

/** Where each retired INFUSION item goes in PHARM. */
const MOVED: Readonly<Record<string, string>> = {
  productLot: 'productLot',
  cellsInBag: 'cellsInBag',
  viabilityPercent: 'viabilityPercent',
  releaseDeviationNote: 'releaseNote',
};

export const MIGRATION_REASON = '方案修订 1：输注表的药房部分移至“研究药物配制与放行（药房）” / Amendment 1: the pharmacy part of INFUSION moved to PHARM';

export const migration0006PharmacyPart: Migration = {
  name: '0006-pharmacy-part',
  up(db) {
    const infusions = db
      .prepare(
        `SELECT f.id, f.subject_id, f.visit_code, f.version, f.updated_by, s.screening_no FROM form_instances f JOIN subjects s ON s.id = f.subject_id
          WHERE f.form_code = 'INFUSION' AND EXISTS (SELECT 1 FROM item_values v WHERE v.form_id = f.id AND v.item_code IN (${Object.keys(MOVED).map(() => '?').join(', ')}))
          ORDER BY f.id`,
      )
      .all(...Object.keys(MOVED)) as { id: number; subject_id: number; visit_code: string; version: number; updated_by: number; screening_no: string }[];
    if (infusions.length === 0) return;
    const audit = new AuditTrail(db);
    const at = stamp();
    const valuesOf = db.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?');
    for (const inf of infusions) {
      const values = new Map((valuesOf.all(inf.id) as { item_code: string; value: string }[]).map((r) => [r.item_code, r.value]));
      const base = { userId: null, username: 'migration', subjectId: inf.subject_id, screeningNo: inf.screening_no, visitCode: inf.visit_code, repeatKey: 0 };
      const entries: AuditEntry[] = [];
      // INFUSION loses the moved items (a new version, like any change).
      for (const item of Object.keys(MOVED)) {
        const old = values.get(item);
        if (old === undefined) continue;
        db.prepare('DELETE FROM item_values WHERE form_id = ? AND item_code = ?').run(inf.id, item);
        entries.push({ ...base, formCode: 'INFUSION', action: 'item.clear', itemCode: item, oldValue: old, newValue: null, reason: MIGRATION_REASON });
      }
      db.prepare('UPDATE form_instances SET version = version + 1, updated_at = ? WHERE id = ?').run(at.utc, inf.id);
      // PHARM of the same visit receives them (unless the pharmacist has already made one: then nothing is overwritten).
      const existing = db.prepare("SELECT id FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = 'PHARM' AND repeat_key = 0").get(inf.subject_id, inf.visit_code);
      if (!existing) {
        const pharmId = Number(
          db
            .prepare(
              `INSERT INTO form_instances (subject_id, visit_code, form_code, repeat_key, status, version, created_at, created_by, updated_at, updated_by)
               VALUES (?, ?, 'PHARM', 0, 'in_progress', 1, ?, ?, ?, ?)`,
            )
            // The form row names whoever last saved the INFUSION the values came from; its audit rows say 'migration'.
            .run(inf.subject_id, inf.visit_code, at.utc, inf.updated_by, at.utc, inf.updated_by).lastInsertRowid,
        );
        const carried: [string, string | undefined][] = [
          ['kitNo', values.get('kitNo')],
          ['preparedDate', values.get('infusionDate')],
          ...Object.entries(MOVED).map(([from, to]): [string, string | undefined] => [to, values.get(from)]),
        ];
        for (const [item, value] of carried) {
          if (value === undefined) continue;
          db.prepare('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?)').run(pharmId, item, value);
          entries.push({ ...base, formCode: 'PHARM', action: 'item.create', itemCode: item, oldValue: null, newValue: value, reason: MIGRATION_REASON });
        }
        entries.push({ ...base, formCode: 'PHARM', action: 'form.status', oldValue: null, newValue: 'in_progress', reason: MIGRATION_REASON });
      }
      audit.append(entries, at);
    }
  },
};
