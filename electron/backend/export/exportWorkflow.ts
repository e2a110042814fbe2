// The workflow of the trial as data for the sponsor (issue 14): queries with their threads, SDV, e-signatures (meaning,
// who, when, form version), the subject status history and emergency unblindings (who, when, why; never the arm). Read
// from the snapshot in pages of subjects (SDV is read with each form's audit rows, in exportFiles), written as their own
// CSVs and data.jsonl rows, and looked up per subject and per form for the ODM's annotations. Withheld forms and blinded
// items never appear; neither does anything an unblinding revealed.
import type Database from 'better-sqlite3-multiple-ciphers';
import { isBlindedItem } from '../../../shared/protocol/blindedItems';
import { decodeValue } from '../services/casebookRepository';
import { isWithheldForm } from './studyDefinition';

/** Audit rows with seq in (from, to] (a 'changes' bundle), or everything up to `to` (full). */
export interface Span {
  full: boolean;
  from: number;
  to: number;
}

export interface QueryRow {
  site: string;
  query_id: number;
  screening_no: string;
  visit_code: string;
  form_code: string;
  repeat_key: number;
  item_code: string;
  origin: string;
  check_id: string | null;
  status: string;
  text_zh: string;
  text_en: string;
  raised_at_utc: string;
  raised_by: string;
  updated_at_utc: string;
  subject_id: number;
}

export interface QueryMessage {
  query_id: number;
  message_no: number;
  kind: string;
  text: string;
  username: string | null;
  at_utc: string;
}

export interface SdvRow {
  site: string;
  audit_seq: number;
  screening_no: string;
  visit_code: string;
  form_code: string;
  repeat_key: number;
  item_code: string;
  event: 'verified' | 'withdrawn';
  form_version: number | null;
  username: string | null;
  at_utc: string;
  reason: string | null;
  subject_id: number;
}

export interface SignatureRow {
  site: string;
  signature_id: number;
  scope: string;
  screening_no: string;
  visit_code: string | null;
  form_code: string | null;
  repeat_key: number | null;
  form_version: number | null;
  username: string;
  display_name: string;
  meaning_zh: string;
  meaning_en: string;
  signed_at_utc: string;
  signed_at_local: string;
  current: number;
  subject_id: number;
}

export interface StatusRow {
  site: string;
  audit_seq: number;
  screening_no: string;
  from_status: string | null;
  to_status: string;
  at_utc: string;
  username: string | null;
  status_date: string | null;
  reason: string | null;
  note: string | null;
  subject_id: number;
}

export interface UnblindingRow {
  site: string;
  audit_seq: number;
  screening_no: string;
  unblinded_at_utc: string;
  username: string | null;
  unblind_date: string | null;
  unblind_time: string | null;
  reason: string | null;
  sponsor_notified: number | null;
  subject_id: number;
}

const IN_SPAN = 'a.seq <= @to AND (@full = 1 OR a.seq > @from)';
const SUBJECTS = 's.id > @after AND s.id <= @last';

/** Reads the workflow of subjects (after, last] from the snapshot; each list in a stable order. */
export class WorkflowReader {
  private readonly queries;
  private readonly messages;
  private readonly signatures;
  private readonly status;
  private readonly unblinding;

  constructor(snap: Database.Database, private readonly span: Span) {
    // A query is sent with its whole thread when any of its steps is in the span (a full bundle: every query).
    this.queries = snap.prepare(
      `SELECT s.site, q.id AS query_id, s.screening_no, q.visit_code, q.form_code, q.repeat_key, q.item_code, q.origin, q.check_id, q.status,
              q.text_zh, q.text_en, q.created_at AS raised_at_utc,
              COALESCE((SELECT username FROM query_messages m WHERE m.query_id = q.id AND m.kind = 'raise' ORDER BY m.id LIMIT 1), 'system') AS raised_by,
              q.updated_at AS updated_at_utc, q.subject_id
         FROM queries q JOIN subjects s ON s.id = q.subject_id
        WHERE ${SUBJECTS.replace(/s\.id/g, 'q.subject_id')} AND (@full = 1 OR q.id IN (SELECT json_extract(a.details, '$.queryId') FROM audit_log a
              WHERE a.subject_id = q.subject_id AND a.visit_code = q.visit_code AND a.form_code = q.form_code AND a.repeat_key = q.repeat_key
                AND a.action = 'query' AND ${IN_SPAN}))
        ORDER BY q.id`,
    );
    this.messages = snap.prepare(
      `SELECT m.query_id, ROW_NUMBER() OVER (PARTITION BY m.query_id ORDER BY m.id) AS message_no, m.kind, m.text, m.username, m.at_utc
         FROM query_messages m JOIN queries q ON q.id = m.query_id WHERE q.subject_id > @after AND q.subject_id <= @last ORDER BY m.query_id, m.id`,
    );
    // Signatures of forms changed in the span (a full bundle: all), with whether the form is still the version signed.
    this.signatures = snap.prepare(
      `SELECT s.site, g.id AS signature_id, g.scope, s.screening_no, g.visit_code, g.form_code, g.repeat_key, g.form_version, g.username, g.display_name,
              g.meaning_zh, g.meaning_en, g.signed_at_utc, g.signed_at_local,
              CASE WHEN f.version = g.form_version AND f.status IN ('signed', 'locked') THEN 1 ELSE 0 END AS current, g.subject_id
         FROM signatures g JOIN subjects s ON s.id = g.subject_id
         LEFT JOIN form_instances f ON f.subject_id = g.subject_id AND f.visit_code = g.visit_code AND f.form_code = g.form_code AND f.repeat_key = g.repeat_key
        WHERE g.subject_id > @after AND g.subject_id <= @last AND (@full = 1 OR EXISTS (SELECT 1 FROM audit_log a WHERE a.subject_id = g.subject_id
              AND a.visit_code = g.visit_code AND a.form_code = g.form_code AND a.repeat_key = g.repeat_key AND ${IN_SPAN}))
        ORDER BY g.id`,
    );
    // The status history: created (screening), randomised (the randomisation row; nothing of it but that it happened,
    // when and by whom), and every recorded change of status with its date, reason and note.
    this.status = snap.prepare(
      `SELECT s.site, a.seq AS audit_seq, s.screening_no,
              CASE a.action WHEN 'subject.create' THEN NULL WHEN 'randomisation' THEN 'screening' ELSE a.old_value END AS from_status,
              CASE a.action WHEN 'subject.create' THEN 'screening' WHEN 'randomisation' THEN 'randomised' ELSE a.new_value END AS to_status,
              a.at_utc, a.username,
              CASE WHEN a.action = 'subject.update' THEN json_extract(a.details, '$.date') END AS status_date,
              CASE WHEN a.action = 'subject.update' THEN COALESCE(json_extract(a.details, '$.reason'), a.reason) END AS reason,
              CASE WHEN a.action = 'subject.update' THEN json_extract(a.details, '$.note') END AS note, a.subject_id
         FROM audit_log a JOIN subjects s ON s.id = a.subject_id
        WHERE a.subject_id > @after AND a.subject_id <= @last AND (a.visit_code IS NULL OR (a.visit_code = 'D0' AND a.form_code = 'RAND')) AND ${IN_SPAN}
          AND (a.action = 'subject.create' OR (a.action = 'subject.update' AND a.item_code = 'status')
               OR (a.action = 'randomisation' AND a.subject_id IS NOT NULL AND a.item_code = 'randNo'))
        ORDER BY a.seq`,
    );
    // Emergency unblindings: the UNBLIND form's date, time, reason and notification, and who recorded it when. The form
    // itself stays withheld, and nothing here says which arm was revealed.
    this.unblinding = snap.prepare(
      `SELECT s.site, a.seq AS audit_seq, s.screening_no, a.at_utc AS unblinded_at_utc, a.username,
              (SELECT value FROM item_values WHERE form_id = f.id AND item_code = 'unblindDate') AS unblind_date,
              (SELECT value FROM item_values WHERE form_id = f.id AND item_code = 'unblindTime') AS unblind_time,
              (SELECT value FROM item_values WHERE form_id = f.id AND item_code = 'reason') AS reason,
              (SELECT value FROM item_values WHERE form_id = f.id AND item_code = 'sponsorNotified') AS sponsor_notified, a.subject_id
         FROM audit_log a JOIN subjects s ON s.id = a.subject_id
         LEFT JOIN form_instances f ON f.subject_id = a.subject_id AND f.visit_code = 'LOG' AND f.form_code = 'UNBLIND' AND f.repeat_key = 0
        WHERE a.subject_id > @after AND a.subject_id <= @last AND a.visit_code = 'LOG' AND a.form_code = 'UNBLIND' AND a.action = 'unblinding'
          AND (@full = 1 OR EXISTS (SELECT 1 FROM audit_log b WHERE b.subject_id = a.subject_id AND b.visit_code = 'LOG' AND b.form_code = 'UNBLIND'
               AND b.seq <= @to AND b.seq > @from))
        ORDER BY a.seq`,
    );
  }

  private params(after: number, last: number) {
    return { after, last, full: this.span.full ? 1 : 0, from: this.span.from, to: this.span.to };
  }

  page(after: number, last: number): WorkflowPage {
    const p = this.params(after, last);
    const visible = <T extends { form_code: string | null; item_code?: string }>(r: T) =>
      r.form_code === null || (!isWithheldForm(r.form_code) && !(r.item_code !== undefined && isBlindedItem(r.form_code, r.item_code)));
    const queries = (this.queries.all(p) as QueryRow[]).filter(visible);
    const ids = new Set(queries.map((q) => q.query_id));
    const messages = (this.messages.all({ after, last }) as QueryMessage[]).filter((m) => ids.has(m.query_id));
    const unblinding = (this.unblinding.all(p) as (UnblindingRow & { unblind_date: string | null; sponsor_notified: unknown })[]).map((u) => ({
      ...u,
      unblind_date: u.unblind_date === null ? null : String(decodeValue(u.unblind_date)),
      unblind_time: u.unblind_time === null ? null : String(decodeValue(u.unblind_time)),
      reason: u.reason === null ? null : String(decodeValue(u.reason)),
      sponsor_notified: u.sponsor_notified === null ? null : decodeValue(String(u.sponsor_notified)) === true ? 1 : 0,
    }));
    return new WorkflowPage(
      queries,
      messages,
      (this.signatures.all(p) as SignatureRow[]).filter(visible),
      this.status.all(p) as StatusRow[],
      unblinding,
    );
  }
}

const formKey = (subjectId: number, visit: string | null, form: string | null, repeat: number | null) => `${subjectId}|${visit}|${form}|${repeat}`;

function groupBy<T>(rows: T[], key: (r: T) => string | number): Map<string | number, T[]> {
  const map = new Map<string | number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/** One page of subjects' workflow, with lookups by subject and by form for the ODM. */
export class WorkflowPage {
  private readonly queriesByForm;
  private readonly messagesByQuery;
  private readonly signaturesByForm;
  private readonly statusBySubject;
  private readonly unblindingBySubject;

  constructor(
    readonly queries: QueryRow[],
    readonly messages: QueryMessage[],
    readonly signatures: SignatureRow[],
    readonly status: StatusRow[],
    readonly unblinding: UnblindingRow[],
  ) {
    this.queriesByForm = groupBy(queries, (q) => formKey(q.subject_id, q.visit_code, q.form_code, q.repeat_key));
    this.messagesByQuery = groupBy(messages, (m) => m.query_id);
    this.signaturesByForm = groupBy(signatures, (r) => formKey(r.subject_id, r.visit_code, r.form_code, r.repeat_key));
    this.statusBySubject = groupBy(status, (r) => r.subject_id);
    this.unblindingBySubject = groupBy(unblinding, (r) => r.subject_id);
  }

  queriesOf(subjectId: number, visit: string, form: string, repeat: number): QueryRow[] {
    return this.queriesByForm.get(formKey(subjectId, visit, form, repeat)) ?? [];
  }

  messagesOf(queryId: number): QueryMessage[] {
    return this.messagesByQuery.get(queryId) ?? [];
  }

  /** The latest signature of the form that is still valid (the form has not changed since). */
  currentSignatureOf(subjectId: number, visit: string, form: string, repeat: number): SignatureRow | undefined {
    return (this.signaturesByForm.get(formKey(subjectId, visit, form, repeat)) ?? []).filter((s) => s.current === 1).at(-1);
  }

  statusOf(subjectId: number): StatusRow[] {
    return this.statusBySubject.get(subjectId) ?? [];
  }

  unblindingOf(subjectId: number): UnblindingRow[] {
    return this.unblindingBySubject.get(subjectId) ?? [];
  }
}

/** A row as its CSV's columns (in the table's column order) and as the data.jsonl object the sponsor import loads. */
export function rowCells(columns: readonly { column: string }[], row: Record<string, unknown>): (string | number)[] {
  return columns.map((c) => {
    const v = row[c.column];
    return v === null || v === undefined ? '' : typeof v === 'number' ? v : String(v);
  });
}

export function rowObject(columns: readonly { column: string }[], row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.column, row[c.column] ?? null]));
}
