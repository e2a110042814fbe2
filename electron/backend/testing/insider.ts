// What an insider with the database file and its key in hand can do, for the tests that prove each is caught: plain SQL through the
// sqlite3 shell, and recomputing the audit chain from a row on (the hashing rule is in the open source code).
import { rowHash, type AuditRow } from '../audit/auditTrail';
import { openAsInsider, sqlite3 } from './cli';

/** Drops the append-only triggers on audit_log (the first thing an insider does). */
export function dropAuditTriggers(dbFile: string): void {
  const names = sqlite3(dbFile, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log';").trim().split('\n').filter(Boolean);
  sqlite3(dbFile, names.map((n) => `DROP TRIGGER "${n}";`).join('\n'));
}

/** Recomputes every hash from row `fromSeq` on, each linked to the row before, as the app would have written them. */
export function rechainFrom(dbFile: string, fromSeq: number): void {
  const db = openAsInsider(dbFile);
  try {
    const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as AuditRow[];
    let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(fromSeq - 1) as string | undefined) ?? '0'.repeat(64);
    const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
    db.transaction(() => {
      // hash is UNIQUE: park every row on a placeholder first, then write the new chain.
      db.prepare("UPDATE audit_log SET hash = 'old-' || seq WHERE seq >= ?").run(fromSeq);
      for (const row of rows) {
        const hash = rowHash({ ...row, prev_hash: prev });
        update.run(prev, hash, row.seq);
        prev = hash;
      }
    })();
  } finally {
    db.close();
  }
}

/** The first item row that set `item` of the first `form` of the study, with the form's id and the stored value. */
export function firstItem(dbFile: string, form: string, item: string): { formId: number; seq: number; value: string; screeningNo: string } {
  const db = openAsInsider(dbFile, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT f.id AS formId, v.value, s.screening_no AS screeningNo,
           (SELECT MAX(seq) FROM audit_log a WHERE a.subject_id = f.subject_id AND a.visit_code = f.visit_code AND a.form_code = f.form_code
              AND a.repeat_key = f.repeat_key AND a.item_code = v.item_code) AS seq
         FROM form_instances f JOIN item_values v ON v.form_id = f.id JOIN subjects s ON s.id = f.subject_id
         WHERE f.form_code = ? AND v.item_code = ? ORDER BY f.id LIMIT 1`,
      )
      .get(form, item) as { formId: number; seq: number; value: string; screeningNo: string };
  } finally {
    db.close();
  }
}

/** Changes a value and the audit row that set it to '99', and recomputes the chain from that row on. */
export function rewriteValueAndRechain(dbFile: string, item: { formId: number; seq: number }, itemCode: string): void {
  dropAuditTriggers(dbFile);
  sqlite3(dbFile, `UPDATE item_values SET value = '99' WHERE form_id = ${item.formId} AND item_code = '${itemCode}';
    UPDATE audit_log SET new_value = '99' WHERE seq = ${item.seq};`);
  rechainFrom(dbFile, item.seq);
}
