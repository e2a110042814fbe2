// The audit trail in a bundle is written by SQLite (auditJsonlSql); it must be exactly what the JS definition gives:
// JSON.stringify of each `SELECT *` row, with withheld forms/items and randomisation/unblinding events redacted.
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { tempDir } from '../testing/tempDir';
import { auditJsonlParams, auditJsonlSql } from './exportFiles';
import { isWithheldForm, withheldItems } from './studyDefinition';

let dir: ReturnType<typeof tempDir>;
let db: Db;
let n = 0;
const hidden = withheldItems();

/** The definition the SQL replaces (as it was written in JS). */
function reference(from: number, to: number): string {
  let out = '';
  for (const r of db.prepare('SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq').iterate(from, to) as IterableIterator<Record<string, unknown>>) {
    const form = typeof r.form_code === 'string' ? r.form_code : '';
    const redact = isWithheldForm(form) || (typeof r.item_code === 'string' && hidden.get(form)?.has(r.item_code)) || r.action === 'randomisation' || r.action === 'unblinding';
    out += `${JSON.stringify(redact ? { ...r, old_value: null, new_value: null, details: null, redacted: true } : r)}\n`;
  }
  return out;
}
const bySql = (from: number, to: number) => (db.prepare(auditJsonlSql(db)).pluck().all(auditJsonlParams(from, to)) as string[]).join('');

interface Row { userId: number | null; action: string; subjectId: number | null; formCode: string | null; itemCode: string | null; oldValue: string | null; newValue: string | null; reason: string | null; details: string | null }
function insert(r: Row): number {
  n++;
  return Number(db.prepare(
    `INSERT INTO audit_log (at_utc, at_local, user_id, username, action, subject_id, screening_no, visit_code, form_code, repeat_key, item_code,
       old_value, new_value, reason, details, prev_hash, hash) VALUES ('2026-12-02T03:00:00.000Z', '2026-12-02 11:00:00 +08:00', ?, 'li.hs', ?, ?, 'KM01-S001', 'SCR', ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.userId, r.action, r.subjectId, r.formCode, r.itemCode, r.oldValue, r.newValue, r.reason, r.details, `p${n}`, `h${n}`).lastInsertRowid);
}

beforeAll(() => {
  dir = tempDir();
  db = openDatabase(join(dir.dir, 'audit.db'));
  db.pragma('foreign_keys = OFF'); // rows that name users/subjects this test never creates
});
afterAll(() => {
  db.close();
  dir.cleanup();
});

describe('audit.jsonl written by SQLite', () => {
  it('worked rows: a plain item change, the allocation item, the UNBLIND form, a randomisation event, a login', () => {
    const base: Row = { userId: 2, action: 'item.update', subjectId: 1, formCode: 'LAB', itemCode: 'creat', oldValue: '96', newValue: '104.5', reason: '抄写错误 "typo"\n', details: null };
    const first = insert(base) - 1;
    insert({ ...base, formCode: 'RAND', itemCode: 'allocation', oldValue: null, newValue: 'MSC', reason: null });
    insert({ ...base, formCode: 'RAND', itemCode: 'randNo', oldValue: null, newValue: 'R001', reason: null });
    insert({ ...base, formCode: 'UNBLIND', itemCode: 'reason', newValue: '严重不良事件' });
    insert({ ...base, action: 'randomisation', formCode: null, itemCode: null, details: '{"arm":"MSC"}' });
    const last = insert({ ...base, userId: null, action: 'login.failed', subjectId: null, formCode: null, itemCode: null, oldValue: null, newValue: null, reason: null, details: '{"reason":"unknown_user"}' });
    const lines = bySql(first, last).split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ form_code: 'LAB', old_value: '96', new_value: '104.5', reason: '抄写错误 "typo"\n', user_id: 2, repeat_key: 0 });
    expect(lines[0]).not.toHaveProperty('redacted');
    expect(lines[1]).toMatchObject({ item_code: 'allocation', new_value: null, redacted: true });
    expect(lines[2]).toMatchObject({ item_code: 'randNo', new_value: 'R001' });
    expect(lines[3]).toMatchObject({ form_code: 'UNBLIND', new_value: null, redacted: true });
    expect(lines[4]).toMatchObject({ action: 'randomisation', details: null, redacted: true });
    expect(lines[5]).toMatchObject({ action: 'login.failed', form_code: null, details: '{"reason":"unknown_user"}' });
    expect(Object.keys(lines[0]!)[0]).toBe('seq');
    expect(bySql(first, last)).toBe(reference(first, last));
  });

  it('is byte for byte the JSON.stringify lines for any text in any column', () => {
    const text = fc.option(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\t', '\u0001', '\u007f', '\u2028', '肌', '🙂', '/') })), { nil: null });
    const form = fc.option(fc.constantFrom('LAB', 'RAND', 'UNBLIND', 'AE', ''), { nil: null });
    const item = fc.option(fc.constantFrom('allocation', 'randNo', 'creat', 'reason', ''), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.record({ userId: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }), action: fc.constantFrom('item.update', 'randomisation', 'unblinding', 'signature', 'login'), subjectId: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }), formCode: form, itemCode: item, oldValue: text, newValue: text, reason: text, details: text }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const from = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number;
          let last = from;
          for (const r of rows) last = insert(r);
          expect(bySql(from, last)).toBe(reference(from, last));
        },
      ),
      { numRuns: 200 },
    );
  });
});
