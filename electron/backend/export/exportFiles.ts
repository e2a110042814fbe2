// Writes the readable content of a bundle from one consistent database snapshot, row by row:
// the ODM 1.3.2 XML, one CSV per form, subjects CSV, data dictionary CSV and the audit trail (JSONL).
import type Database from 'better-sqlite3-multiple-ciphers';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import type { ItemValue } from '../../../shared/protocol/types';
import { decodeValue } from '../services/casebookRepository';
import { reproducedFile, SealedTempFile, type BundleFile, type SealKey } from './sealedFile';
import { XmlStreamWriter } from './xmlStreamWriter';
import {
  eventOid, formOid, formRepeats, groupOid, itemOid, LOCATION_OID, MDV_OID, ODM_NS, odmFieldDataType, REPEATING_VISITS, SIGNATURE_DEF_OID, STUDY_OID, writeStudyMetadata,
} from './odmMetadata';
import { exportForms, exportVisits, isWithheldForm, STUDY_INFO, withheldForms, withheldItems } from './studyDefinition';

export type ExportScope = 'full' | 'changes';

export interface ExportProgress {
  phase: 'reading' | 'packing' | 'encrypting' | 'done';
  done: number;
  total: number;
}

export interface ExportCounts {
  subjects: number;
  forms: number;
  items: number;
  auditRows: number;
}

export interface ExportFilesInput {
  /** A read-only connection inside an open read transaction (the snapshot). */
  snap: Database.Database;
  scope: ExportScope;
  /** Audit rows with seq in (fromSeq, watermark] are "changes". */
  fromSeq: number;
  watermark: number;
  /** Folder for the sealed temp files (in the data folder), and the export's in-memory key they are sealed with. */
  workDir: string;
  seal: SealKey;
  createdUtc: string;
  fileOid: string;
  appVersion: string;
  onProgress?: (p: ExportProgress) => void;
}

interface FormRow {
  id: number;
  subject_id: number;
  visit_code: string;
  form_code: string;
  repeat_key: number;
  status: string;
  version: number;
  updated_at: string;
  updated_by: number;
  screening_no: string;
  site: string;
}

interface AuditLite {
  seq: number;
  user_id: number | null;
  at_utc: string;
  reason: string | null;
  item_code: string | null;
  action: string;
}

const userOid = (id: number | null) => (id === null ? 'USR.system' : `USR.${id}`);

/** Value as written to ODM and CSV: multichoice joined with ';', booleans true/false. */
export function flatValue(v: ItemValue): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(';');
  return String(v);
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The audit trail as JSON lines, written by SQLite: each line is the row as an object in column order (what
 * JSON.stringify gave for `SELECT *`), and a row of a withheld form or item, or a randomisation or unblinding
 * event, has its old/new value and details nulled and `"redacted":true` added. At 10,000 subjects this is 3.4
 * million rows; json_object builds them three times faster than a JS object per row and JSON.stringify.
 */
export function auditJsonlSql(snap: Database.Database): string {
  const columns = snap.prepare("SELECT name FROM pragma_table_info('audit_log') ORDER BY cid").pluck().all() as string[];
  const nulled = new Set(['old_value', 'new_value', 'details']);
  const fields = (redacted: boolean) => columns.map((c) => `'${c}', ${redacted && nulled.has(c) ? 'NULL' : `"${c}"`}`).join(', ');
  const redact = `form_code IN (SELECT value FROM json_each(@withheldForms))
    OR form_code || char(31) || item_code IN (SELECT value FROM json_each(@hiddenItems))
    OR action IN ('randomisation', 'unblinding')`;
  return `SELECT CASE WHEN ${redact} THEN json_object(${fields(true)}, 'redacted', json('true')) ELSE json_object(${fields(false)}) END || char(10) AS line
    FROM audit_log WHERE seq > @from AND seq <= @to ORDER BY seq`;
}

/** The parameters of auditJsonlSql: audit rows with seq in (from, to], and what the sponsor may not see. */
export function auditJsonlParams(from: number, to: number): Record<string, string | number> {
  return {
    from,
    to,
    withheldForms: JSON.stringify(withheldForms()),
    hiddenItems: JSON.stringify([...withheldItems()].flatMap(([form, items]) => [...items].map((item) => `${form}\u001F${item}`))),
  };
}

/**
 * Writes the bundle's files from the snapshot: the data files sealed into temp files, the audit trail (the largest,
 * 1.7 GB at 10,000 subjects) produced from the snapshot only when it is packed, so it needs no temp space (its SHA-256
 * is known once it has been packed: the manifest, packed after it, is made then). The snapshot's read transaction must
 * stay open until the files have been packed.
 */
export async function writeExportFiles(input: ExportFilesInput): Promise<{ files: BundleFile[]; counts: ExportCounts }> {
  const { snap, scope, fromSeq, watermark, workDir } = input;
  const files: SealedTempFile[] = [];
  const open = (name: string) => {
    const f = new SealedTempFile(name, join(workDir, `${files.length}.sealed`), input.seal);
    files.push(f);
    return f;
  };
  const forms = exportForms();
  const hidden = withheldItems();
  const visitOrder = exportVisits().map((v) => v.code);
  const fullScope = scope === 'full' ? 1 : 0;

  // --- data dictionary ---
  const dict = open('dictionary.csv');
  dict.write('\uFEFF');
  dict.write(stringify([['form', 'form_label_zh', 'form_label_en', 'field', 'type', 'odm_data_type', 'unit', 'required', 'plausible_min', 'plausible_max', 'normal_min', 'normal_max', 'label_zh', 'label_en', 'section_zh', 'section_en', 'choices']]));
  for (const f of forms) {
    for (const d of f.fields) {
      dict.write(stringify([[
        f.def.code, f.def.label.zh, f.def.label.en, d.id, d.type, odmFieldDataType(d), d.unit ?? '',
        d.required === true ? 'yes' : typeof d.required === 'function' ? 'conditional' : 'no',
        d.plausible?.min ?? '', d.plausible?.max ?? '', d.normal?.min ?? '', d.normal?.max ?? '',
        d.label.zh, d.label.en, d.section?.zh ?? '', d.section?.en ?? '',
        (d.choices ?? []).map((c) => `${c.value}=${c.label.zh}/${c.label.en}`).join('; '),
      ]]));
    }
  }

  // --- per-form CSV writers ---
  const csvByForm = new Map<string, { file: SealedTempFile; fields: string[] }>();
  for (const f of forms) {
    const file = open(`forms/${f.def.code}.csv`);
    const fields = f.fields.map((d) => d.id);
    file.write('\uFEFF');
    file.write(stringify([['site', 'screening_no', 'visit_code', 'repeat_key', 'status', 'version', 'updated_at_utc', ...fields]]));
    csvByForm.set(f.def.code, { file, fields });
  }

  // --- subjects CSV ---
  const subjectsCsv = open('subjects.csv');
  subjectsCsv.write('\uFEFF');
  subjectsCsv.write(stringify([['site', 'screening_no', 'rand_no', 'kit_no', 'status', 'created_at_utc', 'status_date', 'status_reason', 'status_note']]));
  // data.jsonl: the machine-readable copy the sponsor import loads (one JSON object per line, flat memory).
  const data = open('data.jsonl');
  let subjects = 0;
  const subjectRows = snap
    .prepare(
      `SELECT s.* FROM subjects s WHERE @full = 1 OR EXISTS (SELECT 1 FROM audit_log a WHERE a.subject_id = s.id AND a.seq > @from AND a.seq <= @to)
       ORDER BY s.id`,
    )
    .iterate({ full: fullScope, from: fromSeq, to: watermark }) as IterableIterator<Record<string, string | null>>;
  for (const s of subjectRows) {
    subjects++;
    subjectsCsv.write(stringify([[s.site, s.screening_no, s.rand_no ?? '', s.kit_no ?? '', s.status, s.created_at, s.status_date ?? '', s.status_reason ?? '', s.status_note ?? '']]));
    data.write(
      `${JSON.stringify({ type: 'subject', site: s.site, screeningNo: s.screening_no, randNo: s.rand_no, kitNo: s.kit_no, status: s.status, createdAt: s.created_at, statusDate: s.status_date ?? null, statusReason: s.status_reason ?? null, statusNote: s.status_note ?? null })}\n`,
    );
  }

  // --- ODM ---
  const odm = open('odm.xml');
  const x = new XmlStreamWriter((chunk) => odm.write(chunk));
  x.dec();
  x.ele('ODM', {
    xmlns: ODM_NS,
    ODMVersion: '1.3.2',
    FileType: scope === 'full' ? 'Snapshot' : 'Transactional',
    Granularity: 'All',
    FileOID: input.fileOid,
    CreationDateTime: input.createdUtc,
    SourceSystem: 'kunming-ln-ecrf',
    SourceSystemVersion: input.appVersion,
  });
  writeStudyMetadata(x);

  x.ele('AdminData', { StudyOID: STUDY_OID });
  x.ele('User', { OID: userOid(null) }).ele('LoginName').txt('system').up().up();
  for (const u of snap.prepare('SELECT id, username, display_name FROM users ORDER BY id').iterate() as IterableIterator<{ id: number; username: string; display_name: string }>) {
    x.ele('User', { OID: userOid(u.id) });
    x.ele('LoginName').txt(u.username).up();
    x.ele('DisplayName').txt(u.display_name).up();
    x.up();
  }
  x.ele('Location', { OID: LOCATION_OID, Name: STUDY_INFO.site, LocationType: 'Site' });
  x.ele('MetaDataVersionRef', { StudyOID: STUDY_OID, MetaDataVersionOID: MDV_OID, EffectiveDate: input.createdUtc.slice(0, 10) }).up();
  x.up();
  x.ele('SignatureDef', { OID: SIGNATURE_DEF_OID, Methodology: 'Electronic' });
  x.ele('Meaning').txt('Investigator signature: the data of this form are accurate and complete').up();
  x.ele('LegalReason').txt('21 CFR Part 11 / ICH E6(R3) electronic signature').up();
  x.up();
  x.up();

  x.ele('ClinicalData', { StudyOID: STUDY_OID, MetaDataVersionOID: MDV_OID });
  const txn: Record<string, string> = scope === 'changes' ? { TransactionType: 'Upsert' } : {};

  const total = snap
    .prepare(
      `SELECT COUNT(*) FROM form_instances f WHERE @full = 1 OR EXISTS (SELECT 1 FROM audit_log a WHERE a.subject_id = f.subject_id
        AND a.visit_code = f.visit_code AND a.form_code = f.form_code AND a.repeat_key = f.repeat_key AND a.seq > @from AND a.seq <= @to)`,
    )
    .pluck()
    .get({ full: fullScope, from: fromSeq, to: watermark }) as number;
  const visitCase = `CASE f.visit_code ${visitOrder.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} ELSE 99 END`;
  // An unscheduled visit repeats as a whole (one StudyEventData per instance): its forms are grouped by repeat key.
  const eventRepeatKey = `CASE WHEN f.visit_code IN (${REPEATING_VISITS.map((v) => `'${v}'`).join(', ') || "''"}) THEN f.repeat_key ELSE 0 END`;
  const formsOfPage = snap.prepare(
    `SELECT f.*, s.screening_no, s.site FROM form_instances f JOIN subjects s ON s.id = f.subject_id
      WHERE f.subject_id > @after AND f.subject_id <= @last AND (@full = 1 OR EXISTS (SELECT 1 FROM audit_log a
        WHERE a.subject_id = f.subject_id AND a.visit_code = f.visit_code AND a.form_code = f.form_code
          AND a.repeat_key = f.repeat_key AND a.seq > @from AND a.seq <= @to))
      ORDER BY f.subject_id, ${visitCase}, ${eventRepeatKey}, f.form_code, f.repeat_key`,
  );
  const pageEnd = snap.prepare('SELECT MAX(id) FROM (SELECT id FROM subjects WHERE id > ? ORDER BY id LIMIT 100)').pluck();
  const valuesOf = snap.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?');
  const auditOf = snap.prepare(
    `SELECT seq, user_id, at_utc, reason, item_code, action FROM audit_log
      WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? AND seq <= ? ORDER BY seq`,
  );

  let formsDone = 0;
  let formsExported = 0;
  let items = 0;
  let currentSubject: number | null = null;
  let currentVisit: string | null = null;
  let currentEventKey = 0;
  const progress = () => input.onProgress?.({ phase: 'reading', done: formsDone, total });
  progress();
  // better-sqlite3 cannot run a statement while an iterator is open on the same connection, so forms are
  // read in pages of 100 subjects (bounded memory) and the event loop gets a turn between pages.
  let pending: FormRow[] = [];
  const flushBatch = () => {
    for (const row of pending) {
      formsDone++;
      if (isWithheldForm(row.form_code)) continue;
      const csv = csvByForm.get(row.form_code);
      if (!csv) continue; // a form code the protocol no longer defines
      formsExported++;
      if (row.subject_id !== currentSubject) {
        if (currentVisit !== null) x.up();
        if (currentSubject !== null) x.up();
        x.ele('SubjectData', { SubjectKey: row.screening_no, ...txn });
        x.ele('SiteRef', { LocationOID: LOCATION_OID }).up();
        currentSubject = row.subject_id;
        currentVisit = null;
      }
      const eventKey = REPEATING_VISITS.includes(row.visit_code) ? row.repeat_key : 0;
      if (row.visit_code !== currentVisit || eventKey !== currentEventKey) {
        if (currentVisit !== null) x.up();
        x.ele('StudyEventData', { StudyEventOID: eventOid(row.visit_code), ...(eventKey ? { StudyEventRepeatKey: String(eventKey) } : {}), ...txn });
        currentVisit = row.visit_code;
        currentEventKey = eventKey;
      }
      const values = new Map<string, ItemValue>();
      for (const v of valuesOf.all(row.id) as { item_code: string; value: string }[]) values.set(v.item_code, decodeValue(v.value));
      const lastItemAudit = new Map<string, AuditLite>();
      let signature: AuditLite | undefined;
      for (const a of auditOf.all(row.subject_id, row.visit_code, row.form_code, row.repeat_key, watermark) as AuditLite[]) {
        if (a.item_code) lastItemAudit.set(a.item_code, a);
        if (a.action === 'signature') signature = a;
      }
      const formAttrs: Record<string, string> = { FormOID: formOid(row.form_code), ...txn };
      if (formRepeats(row.form_code)) formAttrs.FormRepeatKey = String(row.repeat_key);
      x.ele('FormData', formAttrs);
      x.ele('AuditRecord');
      x.ele('UserRef', { UserOID: userOid(row.updated_by) }).up();
      x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
      x.ele('DateTimeStamp').txt(row.updated_at).up();
      x.up();
      if (signature && (row.status === 'signed' || row.status === 'locked')) {
        x.ele('Signature');
        x.ele('UserRef', { UserOID: userOid(signature.user_id) }).up();
        x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
        x.ele('SignatureRef', { SignatureOID: SIGNATURE_DEF_OID }).up();
        x.ele('DateTimeStamp').txt(signature.at_utc).up();
        x.up();
      }
      x.ele('ItemGroupData', { ItemGroupOID: groupOid(row.form_code), ...txn });
      const hiddenHere = hidden.get(row.form_code);
      for (const field of csv.fields) {
        const v = values.get(field);
        if (v === undefined || v === null || hiddenHere?.has(field)) continue;
        items++;
        x.ele('ItemData', { ItemOID: itemOid(row.form_code, field), Value: flatValue(v), ...txn });
        const a = lastItemAudit.get(field);
        if (a) {
          x.ele('AuditRecord');
          x.ele('UserRef', { UserOID: userOid(a.user_id) }).up();
          x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
          x.ele('DateTimeStamp').txt(a.at_utc).up();
          if (a.reason) x.ele('ReasonForChange').txt(a.reason).up();
          x.ele('SourceID').txt(`audit:${a.seq}`).up();
          x.up();
        }
        x.up();
      }
      x.up(); // ItemGroupData
      x.up(); // FormData
      const kept: Record<string, ItemValue> = {};
      for (const field of csv.fields) {
        const v = values.get(field);
        if (v !== undefined && v !== null && !hiddenHere?.has(field)) kept[field] = v;
      }
      data.write(`${JSON.stringify({
        type: 'form', site: row.site, screeningNo: row.screening_no, visitCode: row.visit_code, formCode: row.form_code,
        repeatKey: row.repeat_key, status: row.status, version: row.version, updatedAt: row.updated_at, values: kept,
      })}\n`);
      csv.file.write(
        stringify([[row.site, row.screening_no, row.visit_code, row.repeat_key, row.status, row.version, row.updated_at,
          ...csv.fields.map((f) => (hiddenHere?.has(f) ? '' : flatValue(values.get(f) ?? null)))]]),
      );
    }
    pending = [];
  };
  let after = 0;
  for (;;) {
    const last = pageEnd.get(after) as number | null;
    if (last === null) break;
    pending = formsOfPage.all({ after, last, full: fullScope, from: fromSeq, to: watermark }) as FormRow[];
    flushBatch();
    after = last;
    progress();
    await yieldToLoop();
    await Promise.all(files.map((f) => f.settle()));
  }
  if (currentVisit !== null) x.up();
  if (currentSubject !== null) x.up();
  x.up(); // ClinicalData
  x.up(); // ODM
  x.end();

  // --- audit trail (JSONL) ---
  const auditStatement = snap.prepare(auditJsonlSql(snap)).pluck();
  const params = auditJsonlParams(scope === 'full' ? 0 : fromSeq, watermark);
  // Its size (the tar header comes first) from SQLite alone; its SHA-256 while it is packed.
  const auditBytes = snap.prepare(`SELECT COALESCE(SUM(length(CAST(line AS BLOB))), 0) FROM (${auditJsonlSql(snap)})`).pluck().get(params) as number;
  const audit = reproducedFile('audit.jsonl', () => auditStatement.iterate(params) as IterableIterator<string>, auditBytes);
  const auditRows = snap.prepare('SELECT COUNT(*) FROM audit_log WHERE seq > ? AND seq <= ?').pluck().get(params.from, params.to) as number;

  await Promise.all(files.map((f) => f.finish()));
  return { files: [...files, audit], counts: { subjects, forms: formsExported, items, auditRows } };
}
