// `ecrf audit verify`: the data of record proven against the audit trail, not only the trail against itself.
// 1. The hash chain, row by row (verifyAuditChain).
// 2. The trail's length against counters kept apart from it: SQLite's AUTOINCREMENT counter for audit_log, every export
//    (the row at its watermark must still exist with the hash recorded when the bundle was made), every backup's own
//    trail (its last row must still be there, unchanged), and the heads recorded in 'export' and 'backup' rows.
// 3. A replay of every item.create/item.update/item.clear/form.status row, per form instance (subject, visit, form,
//    repeat key), which must give exactly today's item_values and form statuses; and every subject must have been
//    created by a subject.create row.
// Each disagreement names the row and the item. Nothing is written: it runs on a read-only connection (or a copy on a
// read-only medium) inside one read transaction.
import type Database from 'better-sqlite3-multiple-ciphers';
import { auditChainSteps, GENESIS_HASH } from './auditTrail';
import { runSteps, runStepsAsync } from './steps';

export interface Disagreement {
  kind: 'chain' | 'counter' | 'value' | 'status' | 'form' | 'subject' | 'trail';
  seq?: number;
  zh: string;
  en: string;
}

/** The last row of a backup's own audit trail (read from the backup file). */
export interface BackupHead {
  file: string;
  seq: number;
  hash: string;
}

export interface StudyVerifyReport {
  ok: boolean;
  rows: number;
  head: string;
  forms: number;
  items: number;
  subjects: number;
  counters: { sequence: number | null; exports: number; backups: number };
  problems: Disagreement[];
}

interface FormKeyRow {
  subject_id: number;
  visit_code: string;
  form_code: string;
  repeat_key: number;
}

interface AuditItemRow extends FormKeyRow {
  seq: number;
  action: 'item.create' | 'item.update' | 'item.clear' | 'form.status';
  item_code: string | null;
  old_value: string | null;
  new_value: string | null;
}

interface FormState {
  status: string | null;
  /** An item row was seen before any status row. */
  touched: boolean;
  values: Map<string, { value: string; seq: number }>;
  statusSeq: number;
}

const PAGE = 200;
const keyOf = (r: FormKeyRow) => `${r.subject_id}\u001f${r.visit_code}\u001f${r.form_code}\u001f${r.repeat_key}`;
const show = (v: string | null | undefined) => (v === null || v === undefined ? '(none)' : JSON.stringify(v));

export function verifyStudy(db: Database.Database, backups: readonly BackupHead[] = []): StudyVerifyReport {
  return runSteps(verifySteps(db, backups));
}

/** verifyStudy letting the event loop run between pages (for a backup checked inside the running app). */
export function verifyStudyAsync(db: Database.Database, backups: readonly BackupHead[] = []): Promise<StudyVerifyReport> {
  return runStepsAsync(verifySteps(db, backups));
}

export function* verifySteps(db: Database.Database, backups: readonly BackupHead[] = []): Generator<void, StudyVerifyReport> {
  const problems: Disagreement[] = [];
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    const chain = yield* auditChainSteps(db);
    if (!chain.ok) problems.push({ kind: 'chain', seq: chain.brokenSeq, zh: `第 ${chain.brokenSeq} 行：${chain.reason}`, en: `row ${chain.brokenSeq}: ${chain.reason}` });
    const counters = checkCounters(db, backups, problems);
    const replay = yield* replayForms(db, problems);
    const subjects = checkSubjects(db, problems);
    const head = chain.ok ? chain.head : ((db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? GENESIS_HASH);
    return { ok: problems.length === 0, rows: chain.rows, head, forms: replay.forms, items: replay.items, subjects, counters, problems };
  } finally {
    if (own && db.inTransaction) db.exec('COMMIT');
  }
}

/** The trail against the counters kept beside it. */
function checkCounters(db: Database.Database, backups: readonly BackupHead[], problems: Disagreement[]): StudyVerifyReport['counters'] {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const lastSeq = last?.seq ?? 0;
  const count = db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
  const hashAt = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
  if (count !== lastSeq) {
    problems.push({ kind: 'counter', zh: `稽查轨迹到第 ${lastSeq} 行却只有 ${count} 行：中间有行被删除`, en: `the trail runs to row ${lastSeq} but holds ${count} rows: rows were deleted from the middle` });
  }
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number | undefined;
  if (sequence !== undefined && sequence !== lastSeq) {
    problems.push(
      sequence > lastSeq
        ? { kind: 'counter', seq: lastSeq + 1, zh: `SQLite 的序号计数器表明已写入 ${sequence} 行，稽查轨迹却止于第 ${lastSeq} 行：第 ${lastSeq + 1}–${sequence} 行被删除`, en: `SQLite's sequence counter says ${sequence} rows were written, the trail ends at row ${lastSeq}: rows ${lastSeq + 1}..${sequence} were deleted` }
        : { kind: 'counter', zh: `SQLite 的序号计数器（${sequence}）小于最后一行（${lastSeq}）：计数器被改动`, en: `SQLite's sequence counter (${sequence}) is below the last row (${lastSeq}): the counter was edited` },
    );
  }
  // Heads an export or a backup recorded: the row must still be there with the same hash.
  const head = (what: { zh: string; en: string }, seq: number, hash: string | null) => {
    if (seq > lastSeq) {
      problems.push({ kind: 'counter', seq, zh: `${what.zh}覆盖到第 ${seq} 行，稽查轨迹却止于第 ${lastSeq} 行：轨迹被截短`, en: `${what.en} covered rows up to ${seq}, but the trail ends at row ${lastSeq}: it was cut short` });
    } else if (hash && seq > 0 && hashAt.get(seq) !== hash) {
      problems.push({ kind: 'counter', seq, zh: `第 ${seq} 行与${what.zh}时记录的不同：该行或之前的行被改写`, en: `row ${seq} is not the row ${what.en} recorded: it or a row before it was rewritten` });
    }
  };
  // A database of schema 3 or older (verified without migrating it) has no recorded heads yet.
  const columns = new Set(db.prepare("SELECT name FROM pragma_table_info('export_bundles')").pluck().all() as string[]);
  const col = (name: string) => (columns.has(name) ? name : `NULL AS ${name}`);
  const exports = db
    .prepare(`SELECT sequence, audit_watermark, ${col('audit_head_hash')}, ${col('audit_trail_rows')} FROM export_bundles ORDER BY sequence`)
    .all() as { sequence: number; audit_watermark: number; audit_head_hash: string | null; audit_trail_rows: number | null }[];
  for (const e of exports) {
    head({ zh: `第 ${e.sequence} 号导出`, en: `export ${e.sequence}` }, e.audit_watermark, e.audit_head_hash);
    if (e.audit_trail_rows !== null && e.audit_trail_rows !== e.audit_watermark) {
      problems.push({ kind: 'counter', zh: `第 ${e.sequence} 号导出时稽查轨迹已缺行（${e.audit_trail_rows}/${e.audit_watermark}）`, en: `when export ${e.sequence} was made the trail already lacked rows (${e.audit_trail_rows} of ${e.audit_watermark})` });
    }
  }
  const recorded = db.prepare("SELECT seq, action, details FROM audit_log WHERE action IN ('export', 'backup') AND details IS NOT NULL ORDER BY seq").all() as { seq: number; action: string; details: string }[];
  for (const r of recorded) {
    let d: { watermark?: unknown; auditHead?: unknown; head?: { seq?: unknown; hash?: unknown } };
    try {
      d = JSON.parse(r.details) as typeof d;
    } catch {
      continue;
    }
    if (r.action === 'export' && typeof d.watermark === 'number' && typeof d.auditHead === 'string') head({ zh: `第 ${r.seq} 行记录的导出`, en: `the export recorded in row ${r.seq}` }, d.watermark, d.auditHead);
    if (r.action === 'backup' && d.head && typeof d.head.seq === 'number' && typeof d.head.hash === 'string') head({ zh: `第 ${r.seq} 行记录的备份`, en: `the backup recorded in row ${r.seq}` }, d.head.seq, d.head.hash);
  }
  for (const b of backups) head({ zh: `备份 ${b.file}`, en: `backup ${b.file}` }, b.seq, b.hash);
  return { sequence: sequence ?? null, exports: exports.length, backups: backups.length };
}

/** Replays item and status rows per form instance, a page of subjects at a time, against form_instances and item_values. */
function* replayForms(db: Database.Database, problems: Disagreement[]): Generator<void, { forms: number; items: number }> {
  const maxSubject = db
    .prepare('SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM subjects UNION ALL SELECT MAX(subject_id) FROM audit_log UNION ALL SELECT MAX(subject_id) FROM form_instances)')
    .pluck()
    .get() as number | null;
  const auditPage = db.prepare(
    `SELECT seq, action, subject_id, visit_code, form_code, repeat_key, item_code, old_value, new_value FROM audit_log
      WHERE subject_id >= ? AND subject_id < ? AND action IN ('item.create', 'item.update', 'item.clear', 'form.status')
      ORDER BY subject_id, visit_code, form_code, repeat_key, seq`,
  );
  const formPage = db.prepare(
    `SELECT f.id, f.subject_id, f.visit_code, f.form_code, f.repeat_key, f.status, s.screening_no FROM form_instances f
      LEFT JOIN subjects s ON s.id = f.subject_id WHERE f.subject_id >= ? AND f.subject_id < ?`,
  );
  const valuePage = db.prepare(
    'SELECT v.form_id, v.item_code, v.value FROM item_values v JOIN form_instances f ON f.id = v.form_id WHERE f.subject_id >= ? AND f.subject_id < ?',
  );
  const screeningNo = db.prepare('SELECT screening_no FROM subjects WHERE id = ?').pluck();
  let forms = 0;
  let items = 0;
  for (let from = 1; maxSubject !== null && from <= maxSubject; from += PAGE) {
    yield;
    const to = from + PAGE;
    const replayed = new Map<string, FormState & { key: FormKeyRow }>();
    for (const r of auditPage.all(from, to) as AuditItemRow[]) {
      const k = keyOf(r);
      let st = replayed.get(k);
      if (!st) replayed.set(k, (st = { key: r, status: null, touched: false, statusSeq: 0, values: new Map() }));
      replayRow(st, r, problems, () => formLabel(r, screeningNo.get(r.subject_id) as string | undefined));
    }
    const values = new Map<number, Map<string, string>>();
    for (const v of valuePage.all(from, to) as { form_id: number; item_code: string; value: string }[]) {
      let m = values.get(v.form_id);
      if (!m) values.set(v.form_id, (m = new Map()));
      m.set(v.item_code, v.value);
    }
    for (const f of formPage.all(from, to) as (FormKeyRow & { id: number; status: string; screening_no: string | null })[]) {
      forms++;
      const label = formLabel(f, f.screening_no ?? undefined);
      const st = replayed.get(keyOf(f));
      const now = values.get(f.id) ?? new Map<string, string>();
      items += now.size;
      if (!st) {
        problems.push({ kind: 'form', zh: `${label}：数据库中有此表单，稽查轨迹中从未建立`, en: `${label}: the form is in the database but no audit row ever created it` });
        continue;
      }
      replayed.delete(keyOf(f));
      // A form first written by a system rule may have no status row: the schema's default.
      const status = st.status ?? 'in_progress';
      if (status !== f.status) {
        problems.push({ kind: 'status', seq: st.statusSeq || undefined, zh: `${label}：状态为 ${f.status}，按稽查轨迹应为 ${status}${st.statusSeq ? `（第 ${st.statusSeq} 行）` : ''}`, en: `${label}: status is ${f.status}, the trail's replay gives ${status}${st.statusSeq ? ` (row ${st.statusSeq})` : ''}` });
      }
      for (const [item, value] of now) {
        const want = st.values.get(item);
        if (want === undefined) {
          problems.push({ kind: 'value', zh: `${label} ${item}：数据库中的值 ${show(value)} 在稽查轨迹中没有记录`, en: `${label} ${item}: the database holds ${show(value)}, which no audit row wrote (the trail's replay gives no value)` });
        } else if (want.value !== value) {
          problems.push({ kind: 'value', seq: want.seq, zh: `${label} ${item}：数据库中为 ${show(value)}，按稽查轨迹应为 ${show(want.value)}（第 ${want.seq} 行）`, en: `${label} ${item}: the database holds ${show(value)}, the trail's replay gives ${show(want.value)} (last set by row ${want.seq})` });
        }
      }
      for (const [item, want] of st.values) {
        if (!now.has(item)) {
          problems.push({ kind: 'value', seq: want.seq, zh: `${label} ${item}：数据库中没有值，按稽查轨迹应为 ${show(want.value)}（第 ${want.seq} 行）`, en: `${label} ${item}: the database holds no value, the trail's replay gives ${show(want.value)} (last set by row ${want.seq})` });
        }
      }
    }
    for (const st of replayed.values()) {
      const label = formLabel(st.key, screeningNo.get(st.key.subject_id) as string | undefined);
      problems.push({ kind: 'form', zh: `${label}：稽查轨迹建立了此表单，数据库中却没有（被删除）`, en: `${label}: the trail created this form but it is not in the database (deleted)` });
    }
  }
  const orphans = db.prepare('SELECT COUNT(*) FROM item_values v LEFT JOIN form_instances f ON f.id = v.form_id WHERE f.id IS NULL').pluck().get() as number;
  if (orphans) problems.push({ kind: 'value', zh: `有 ${orphans} 个值不属于任何表单`, en: `${orphans} item value(s) belong to no form` });
  return { forms, items };
}

function formLabel(k: FormKeyRow, screeningNo: string | undefined): string {
  return `${screeningNo ?? `subject ${k.subject_id}`} ${k.visit_code}/${k.form_code}#${k.repeat_key}`;
}

/** One row applied to the replayed form; a row that does not follow from the state before it is itself reported. */
function replayRow(st: FormState, r: AuditItemRow, problems: Disagreement[], label: () => string): void {
  const trail = (zh: string, en: string) => problems.push({ kind: 'trail', seq: r.seq, zh: `第 ${r.seq} 行（${label()}）：${zh}`, en: `row ${r.seq} (${label()}): ${en}` });
  if (r.action === 'form.status') {
    const before = st.status;
    // A form a system rule opened with item rows only (no status row) was 'in_progress' by the schema's default.
    const fits = r.old_value === before || (before === null && st.touched && r.old_value === 'in_progress');
    if (!fits) trail(`原状态记为 ${show(r.old_value)}，之前的行给出 ${show(before)}`, `its old status ${show(r.old_value)} is not ${show(before)}, what the rows before it give`);
    st.status = r.new_value;
    st.statusSeq = r.seq;
    return;
  }
  st.touched = true;
  const item = r.item_code ?? '(no item)';
  const before = st.values.get(item);
  if (r.action === 'item.create') {
    if (before) trail(`建立 ${item}，但它已有值 ${show(before.value)}`, `it creates ${item}, which already holds ${show(before.value)}`);
  } else if (r.old_value !== (before?.value ?? null)) {
    trail(`${item} 的原值记为 ${show(r.old_value)}，之前的行给出 ${show(before?.value)}`, `its old value of ${item} ${show(r.old_value)} is not ${show(before?.value)}, what the rows before it give`);
  }
  if (r.action === 'item.clear' || r.new_value === null) st.values.delete(item);
  else st.values.set(item, { value: r.new_value, seq: r.seq });
}

/** Every subject was created by a subject.create row, and every such row's subject is still there. */
function checkSubjects(db: Database.Database, problems: Disagreement[]): number {
  const created = new Map<number, number>();
  for (const r of db.prepare("SELECT seq, subject_id FROM audit_log WHERE action = 'subject.create'").all() as { seq: number; subject_id: number }[]) created.set(r.subject_id, r.seq);
  let subjects = 0;
  for (const s of db.prepare('SELECT id, screening_no FROM subjects ORDER BY id').iterate() as IterableIterator<{ id: number; screening_no: string }>) {
    subjects++;
    if (!created.delete(s.id)) problems.push({ kind: 'subject', zh: `受试者 ${s.screening_no}：数据库中有，稽查轨迹中从未建立`, en: `subject ${s.screening_no}: in the database, but no audit row created it` });
  }
  for (const [id, seq] of created) problems.push({ kind: 'subject', seq, zh: `受试者 ${id}：第 ${seq} 行建立，数据库中却没有（被删除）`, en: `subject ${id}: created by row ${seq}, but not in the database (deleted)` });
  return subjects;
}
