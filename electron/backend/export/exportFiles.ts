// Writes the readable content of a bundle from one consistent database snapshot, row by row:
// the ODM 1.3.2 XML, one CSV per form, subjects CSV, data dictionary CSV and the audit trail (JSONL).
import type Database from 'better-sqlite3-multiple-ciphers';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { SIGNATURE_MEANINGS } from '../../../shared/api/calls/lifecycle';
import { missingItemId } from '../../../shared/protocol/missingValues';
import type { ItemValue } from '../../../shared/protocol/types';
import { decodeValue } from '../services/casebookRepository';
import {
  allCodeLists, allColumns, allowsMissingReason, CODES_HEADER, codeRow, DICTIONARY_HEADER, dictionaryRow, formTables, WORKFLOW_TABLES, workflowColumns,
  type ColumnDef, type FormTable,
} from './exportSchema';
import { rowCells, rowObject, WorkflowReader, type SdvRow, type WorkflowPage } from './exportWorkflow';
import { reproducedFile, SealedTempFile, type BundleFile, type SealKey } from './sealedFile';
import { XmlStreamWriter } from './xmlStreamWriter';
import {
  eventOid, formOid, formRepeats, groupOid, itemOid, LOCATION_OID, MDV_OID, multiGroupOid, ODM_NS, REPEATING_VISITS, SIGNATURE_DEF_OID, STUDY_OID,
  writeStudyMetadata,
} from './odmMetadata';
import { exportVisits, isWithheldForm, STUDY_INFO, withheldForms, withheldItems } from './studyDefinition';

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
  username: string | null;
  at_utc: string;
  reason: string | null;
  item_code: string | null;
  action: string;
  new_value: string | null;
  form_version: number | null;
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


/** The value a CSV cell shows for a derived value (JSON-decoded: a number or a code). */
const derivedCell = (v: ItemValue | undefined): string => (v === undefined || v === null ? '' : String(v));

/** The signature definition an e-signature's meaning is written under in the ODM (one per meaning of the eCRF). */
function signatureDefOid(meaningEn: string): string {
  const code = Object.entries(SIGNATURE_MEANINGS).find(([, m]) => m.en === meaningEn)?.[0];
  return code ? `SD.${code}` : SIGNATURE_DEF_OID;
}

/** One form instance as read from the snapshot: its stored values (withheld items left out) and derived values. */
interface FormValues {
  values: Map<string, ItemValue>;
  derived: Map<string, ItemValue>;
  rulesVersion: string | null;
}

function annotation(x: XmlStreamWriter, seq: number, id: string | null, comment: string, flags: [value: string, valueList: string, type: string][]): void {
  x.ele('Annotation', { SeqNum: String(seq), ...(id ? { ID: id } : {}) });
  x.ele('Comment', { SponsorOrSite: 'Site' }).txt(comment).up();
  for (const [value, valueList, type] of flags) {
    x.ele('Flag');
    x.ele('FlagValue', { CodeListOID: valueList }).txt(value).up();
    x.ele('FlagType', { CodeListOID: 'CL.ANNOTATION_TYPE' }).txt(type).up();
    x.up();
  }
  x.up();
}

/**
 * Writes the bundle's files from the snapshot: the data files sealed into temp files, the audit trail (the largest,
 * 1.7 GB at 10,000 subjects) produced from the snapshot only when it is packed, so it needs no temp space (its SHA-256
 * is known once it has been packed: the manifest, packed after it, is made then). The snapshot's read transaction must
 * stay open until the files have been packed. data.jsonl and audit.jsonl come first in the bundle: the sponsor's load
 * pass reads only them.
 */
export async function writeExportFiles(input: ExportFilesInput): Promise<{ files: BundleFile[]; counts: ExportCounts }> {
  const { snap, scope, fromSeq, watermark, workDir } = input;
  const files: SealedTempFile[] = [];
  const open = (name: string) => {
    const f = new SealedTempFile(name, join(workDir, `${files.length}.sealed`), input.seal);
    files.push(f);
    return f;
  };
  const tables = formTables();
  const tableByForm = new Map<string, FormTable>(tables.map((t) => [t.def.code, t]));
  const hidden = withheldItems();
  const visitOrder = exportVisits().map((v) => v.code);
  const fullScope = scope === 'full' ? 1 : 0;
  const csvLine = (cells: unknown[]) => stringify([cells as (string | number)[]]);

  // data.jsonl: the machine-readable copy the sponsor import loads (one JSON object per line, flat memory). It opens
  // with the dictionary and the code lists, from which the sponsor makes its tables.
  const data = open('data.jsonl');
  const dataRow = (row: Record<string, unknown>) => data.write(`${JSON.stringify(row)}\n`);
  const columnsRow = (c: ColumnDef) => ({
    type: 'column', table: c.table, file: c.file, column: c.column, kind: c.kind, form: c.form, item: c.item, labelZh: c.label.zh, labelEn: c.label.en,
    dataType: c.type, sqlType: c.sqlType, odmDataType: c.odmDataType, unit: c.unit, codeList: c.codeList, formulaZh: c.formula?.zh ?? null,
    formulaEn: c.formula?.en ?? null, rulesVersion: c.rulesVersion,
  });
  for (const c of allColumns()) dataRow(columnsRow(c));
  for (const c of allCodeLists()) dataRow({ type: 'code', codeList: c.codeList, code: c.code, order: c.order, labelZh: c.label.zh, labelEn: c.label.en });

  // --- data dictionary: one row per column of every table, one row per code of every code list ---
  const dict = open('dictionary.csv');
  dict.write('\uFEFF');
  dict.write(csvLine([...DICTIONARY_HEADER]));
  for (const c of allColumns()) dict.write(csvLine(dictionaryRow(c)));
  const codeFile = open('dictionary_codes.csv');
  codeFile.write('\uFEFF');
  codeFile.write(csvLine([...CODES_HEADER]));
  for (const c of allCodeLists()) codeFile.write(csvLine(codeRow(c)));

  // --- per-form CSV writers ---
  const csvByForm = new Map<string, SealedTempFile>();
  for (const t of tables) {
    const file = open(t.file);
    file.write('\uFEFF');
    file.write(csvLine(t.columns.map((c) => c.column)));
    csvByForm.set(t.def.code, file);
  }
  // --- workflow CSV writers (subjects first) ---
  const csvByTable = new Map<string, SealedTempFile>();
  for (const w of WORKFLOW_TABLES) {
    const file = open(w.file);
    file.write('\uFEFF');
    file.write(csvLine(w.columns.map((c) => c.column)));
    csvByTable.set(w.table, file);
  }
  const workflowRow = (table: string, type: string, row: Record<string, unknown>) => {
    const columns = workflowColumns(table);
    csvByTable.get(table)!.write(csvLine(rowCells(columns, row)));
    dataRow({ type, ...rowObject(columns, row) });
  };

  let subjects = 0;
  const subjectRows = snap
    .prepare(
      `SELECT s.* FROM subjects s WHERE @full = 1 OR EXISTS (SELECT 1 FROM audit_log a WHERE a.subject_id = s.id AND a.seq > @from AND a.seq <= @to)
       ORDER BY s.id`,
    )
    .iterate({ full: fullScope, from: fromSeq, to: watermark }) as IterableIterator<Record<string, string | null>>;
  for (const s of subjectRows) {
    subjects++;
    // The subject row keeps its /2 shape (camelCase keys), so an importer of /2 reads it unchanged.
    csvByTable.get('subjects')!.write(csvLine(rowCells(workflowColumns('subjects'), { ...s, created_at_utc: s.created_at })));
    dataRow({
      type: 'subject', site: s.site, screeningNo: s.screening_no, randNo: s.rand_no, kitNo: s.kit_no, status: s.status, createdAt: s.created_at,
      statusDate: s.status_date ?? null, statusReason: s.status_reason ?? null, statusNote: s.status_note ?? null,
    });
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
  for (const [code, meaning] of Object.entries(SIGNATURE_MEANINGS)) {
    x.ele('SignatureDef', { OID: `SD.${code}`, Methodology: 'Electronic' });
    x.ele('Meaning').txt(`${meaning.en} / ${meaning.zh}`).up();
    x.ele('LegalReason').txt('21 CFR Part 11 / ICH E6(R3) electronic signature').up();
    x.up();
  }
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
  const subjectsOfPage = snap.prepare(
    `SELECT s.id, s.screening_no FROM subjects s WHERE s.id > @after AND s.id <= @last AND (@full = 1 OR EXISTS (SELECT 1 FROM audit_log a
       WHERE a.subject_id = s.id AND a.seq > @from AND a.seq <= @to)) ORDER BY s.id`,
  );
  const pageEnd = snap.prepare('SELECT MAX(id) FROM (SELECT id FROM subjects WHERE id > ? ORDER BY id LIMIT 100)').pluck();
  const valuesOf = snap.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?');
  // Derived values (storage contract item 2: the site half of issue 14 adds the table; a database without it has none).
  const hasDerived = Boolean(snap.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived_values'").get());
  // Read per page of subjects (one query, not one per form), grouped by form.
  const derivedOfPage = hasDerived
    ? snap.prepare(
        `SELECT d.form_id, d.derived_id, d.value, d.rules_version FROM derived_values d JOIN form_instances f ON f.id = d.form_id
          WHERE f.subject_id > @after AND f.subject_id <= @last`,
      )
    : null;
  let derivedOfForm = new Map<number, { derived_id: string; value: string; rules_version: string }[]>();
  const auditOf = snap.prepare(
    `SELECT seq, user_id, username, at_utc, reason, item_code, action, CASE WHEN action = 'sdv' THEN new_value END AS new_value,
            CASE WHEN action = 'sdv' THEN json_extract(details, '$.formVersion') END AS form_version FROM audit_log
      WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? AND seq <= ? ORDER BY seq`,
  );
  let sdvOfPage: SdvRow[] = [];
  const workflow = new WorkflowReader(snap, { full: scope === 'full', from: fromSeq, to: watermark });

  const readForm = (row: FormRow, t: FormTable): FormValues => {
    const hiddenHere = hidden.get(row.form_code);
    const values = new Map<string, ItemValue>();
    for (const v of valuesOf.all(row.id) as { item_code: string; value: string }[]) {
      if (!hiddenHere?.has(v.item_code)) values.set(v.item_code, decodeValue(v.value));
    }
    const derived = new Map<string, ItemValue>();
    let rulesVersion: string | null = null;
    const rows = derivedOfForm.get(row.id);
    if (rows) {
      const exported = new Set(t.derived.map((d) => d.id));
      const versions = new Set<string>();
      for (const d of rows) {
        if (!exported.has(d.derived_id)) continue; // unblindedOnly (cells/kg) or no longer defined
        derived.set(d.derived_id, decodeValue(d.value));
        versions.add(d.rules_version);
      }
      rulesVersion = versions.size ? [...versions].sort().join(',') : null;
    }
    return { values, derived, rulesVersion };
  };

  const writeSubjectAnnotations = (subjectId: number, page: WorkflowPage) => {
    let seq = 0;
    for (const s of page.statusOf(subjectId)) {
      const what = `${s.from_status ?? '—'} → ${s.to_status}`;
      const detail = [s.status_date && `date ${s.status_date}`, s.reason, s.note].filter(Boolean).join('; ');
      annotation(x, ++seq, null, `Subject status ${what} recorded ${s.at_utc} by ${s.username ?? 'system'}${detail ? ` (${detail})` : ''}`, [
        [s.to_status, 'CL.SUBJECT_STATUS', 'SUBJECT_STATUS'],
      ]);
    }
    for (const u of page.unblindingOf(subjectId)) {
      annotation(
        x, ++seq, null,
        `Emergency unblinding recorded ${u.unblinded_at_utc} by ${u.username ?? 'system'} (unblinded ${u.unblind_date ?? '?'} ${u.unblind_time ?? ''}): ${u.reason ?? ''}; sponsor notified: ${u.sponsor_notified === 1 ? 'yes' : 'no'}`,
        [['unblinded', 'CL.UNBLINDING', 'UNBLINDING']],
      );
    }
  };

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
  const flushPage = (forms: FormRow[], page: WorkflowPage) => {
    for (const row of forms) {
      formsDone++;
      if (isWithheldForm(row.form_code)) continue;
      const t = tableByForm.get(row.form_code);
      if (!t) continue; // a form code the protocol no longer defines
      formsExported++;
      if (row.subject_id !== currentSubject) {
        if (currentVisit !== null) x.up();
        if (currentSubject !== null) x.up();
        x.ele('SubjectData', { SubjectKey: row.screening_no, ...txn });
        x.ele('SiteRef', { LocationOID: LOCATION_OID }).up();
        writeSubjectAnnotations(row.subject_id, page);
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
      const { values, derived, rulesVersion } = readForm(row, t);
      // The last change of each item (its ODM AuditRecord), and the SDV events of the form: its SDV state per item for
      // the ODM and, for sdv.csv, the events in the span (read here with the form's audit rows, not in a pass of their own).
      const lastItemAudit = new Map<string, AuditLite>();
      const sdv = new Map<string, SdvRow>();
      for (const a of auditOf.all(row.subject_id, row.visit_code, row.form_code, row.repeat_key, watermark) as AuditLite[]) {
        if (!a.item_code) continue;
        if (a.action.startsWith('item.')) lastItemAudit.set(a.item_code, a);
        else if (a.action === 'sdv' && !hidden.get(row.form_code)?.has(a.item_code)) {
          const event: SdvRow = {
            site: row.site, audit_seq: a.seq, screening_no: row.screening_no, visit_code: row.visit_code, form_code: row.form_code, repeat_key: row.repeat_key,
            item_code: a.item_code, event: a.new_value === 'verified' ? 'verified' : 'withdrawn', form_version: a.form_version, username: a.username,
            at_utc: a.at_utc, reason: a.reason, subject_id: row.subject_id,
          };
          sdv.set(a.item_code, event);
          if (fullScope || a.seq > fromSeq) sdvOfPage.push(event);
        }
      }
      const formAttrs: Record<string, string> = { FormOID: formOid(row.form_code), ...txn };
      if (formRepeats(row.form_code)) formAttrs.FormRepeatKey = String(row.repeat_key);
      x.ele('FormData', formAttrs);
      x.ele('AuditRecord');
      x.ele('UserRef', { UserOID: userOid(row.updated_by) }).up();
      x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
      x.ele('DateTimeStamp').txt(row.updated_at).up();
      x.up();
      const signature = page.currentSignatureOf(row.subject_id, row.visit_code, row.form_code, row.repeat_key);
      if (signature && (row.status === 'signed' || row.status === 'locked')) {
        x.ele('Signature');
        x.ele('UserRef', { UserOID: userOid(snapUserId(signature.username)) }).up();
        x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
        x.ele('SignatureRef', { SignatureOID: signatureDefOid(signature.meaning_en) }).up();
        x.ele('DateTimeStamp').txt(signature.signed_at_utc).up();
        x.up();
      }
      // Queries on the form, each with its thread and status (ODM 1.3.2 has no query element: an annotation).
      let seq = 0;
      for (const q of page.queriesOf(row.subject_id, row.visit_code, row.form_code, row.repeat_key)) {
        const thread = page.messagesOf(q.query_id).map((m) => `[${m.kind} ${m.at_utc} ${m.username ?? 'system'}] ${m.text}`).join('\n');
        annotation(x, ++seq, `Q.${q.query_id}`, `Query ${q.query_id} on ${itemOid(row.form_code, q.item_code)} (${q.origin}): ${q.text_en} / ${q.text_zh}\n${thread}`, [
          [q.status, 'CL.QUERY_STATUS', 'QUERY'],
        ]);
      }
      const writeItem = (oid: string, value: string, auditKey: string | null) => {
        items++;
        x.ele('ItemData', { ItemOID: oid, Value: value, ...txn });
        const a = auditKey ? lastItemAudit.get(auditKey) : undefined;
        if (a) {
          x.ele('AuditRecord');
          x.ele('UserRef', { UserOID: userOid(a.user_id) }).up();
          x.ele('LocationRef', { LocationOID: LOCATION_OID }).up();
          x.ele('DateTimeStamp').txt(a.at_utc).up();
          if (a.reason) x.ele('ReasonForChange').txt(a.reason).up();
          x.ele('SourceID').txt(`audit:${a.seq}`).up();
          x.up();
        }
        const verified = auditKey ? sdv.get(auditKey) : undefined;
        if (verified) {
          annotation(x, 1, null, `Source data ${verified.event === 'verified' ? 'verified' : 'verification withdrawn'} ${verified.at_utc} by ${verified.username ?? 'system'}${verified.form_version ? ` (form version ${verified.form_version})` : ''}${verified.reason ? `: ${verified.reason}` : ''}`, [
            [verified.event, 'CL.SDV_EVENT', 'SDV'],
          ]);
        }
        x.up();
      };
      x.ele('ItemGroupData', { ItemGroupOID: groupOid(row.form_code), ...txn });
      for (const field of t.fields) {
        const v = values.get(field.id);
        if (field.type !== 'multichoice' && v !== undefined && v !== null) writeItem(itemOid(row.form_code, field.id), flatValue(v), field.id);
        if (allowsMissingReason(field)) {
          const reason = values.get(missingItemId(field.id));
          if (typeof reason === 'string') writeItem(itemOid(row.form_code, missingItemId(field.id)), reason, missingItemId(field.id));
        }
      }
      for (const d of t.derived) {
        const v = derived.get(d.id);
        if (v !== undefined && v !== null) writeItem(itemOid(row.form_code, d.id), String(v), null);
      }
      x.up(); // ItemGroupData
      for (const field of t.fields) {
        const v = values.get(field.id);
        if (field.type !== 'multichoice' || !Array.isArray(v)) continue;
        v.forEach((code, i) => {
          x.ele('ItemGroupData', { ItemGroupOID: multiGroupOid(row.form_code, field.id), ItemGroupRepeatKey: String(i + 1), ...txn });
          writeItem(itemOid(row.form_code, field.id), code, i === 0 ? field.id : null);
          x.up();
        });
      }
      x.up(); // FormData

      const kept: Record<string, ItemValue> = {};
      for (const [k, v] of values) if (v !== null) kept[k] = v;
      dataRow({
        type: 'form', site: row.site, screeningNo: row.screening_no, visitCode: row.visit_code, formCode: row.form_code,
        repeatKey: row.repeat_key, status: row.status, version: row.version, updatedAt: row.updated_at, values: kept,
        derived: Object.fromEntries(derived), rulesVersion,
      });
      const system: Record<string, string | number> = {
        site: row.site, screening_no: row.screening_no, visit_code: row.visit_code, repeat_key: row.repeat_key, form_status: row.status,
        form_version: row.version, updated_at_utc: row.updated_at, rules_version: rulesVersion ?? '',
      };
      csvByForm.get(row.form_code)!.write(csvLine(t.columns.map((c) => {
        if (c.kind === 'derived') return derivedCell(derived.get(c.column));
        if (c.kind === 'field' || c.kind === 'missing_reason') return flatValue(values.get(c.column) ?? null);
        return system[c.column] ?? '';
      })));
    }
  };
  // Subjects of a page whose forms were not exported (e.g. no form yet) still carry their status history in the ODM.
  const flushSubjectsWithoutForms = (ids: { id: number; screening_no: string }[], written: Set<number>, page: WorkflowPage) => {
    for (const s of ids) {
      if (written.has(s.id) || (!page.statusOf(s.id).length && !page.unblindingOf(s.id).length)) continue;
      if (currentVisit !== null) x.up();
      if (currentSubject !== null) x.up();
      currentVisit = null;
      currentSubject = null;
      x.ele('SubjectData', { SubjectKey: s.screening_no, ...txn });
      x.ele('SiteRef', { LocationOID: LOCATION_OID }).up();
      writeSubjectAnnotations(s.id, page);
      x.up();
    }
  };
  const userIds = new Map((snap.prepare('SELECT username, id FROM users').all() as { username: string; id: number }[]).map((u) => [u.username.toLowerCase(), u.id]));
  const snapUserId = (username: string) => userIds.get(username.toLowerCase()) ?? null;

  let after = 0;
  for (;;) {
    const last = pageEnd.get(after) as number | null;
    if (last === null) break;
    const params = { after, last, full: fullScope, from: fromSeq, to: watermark };
    const page = workflow.page(after, last);
    derivedOfForm = new Map();
    for (const d of (derivedOfPage?.all({ after, last }) ?? []) as { form_id: number; derived_id: string; value: string; rules_version: string }[]) {
      const list = derivedOfForm.get(d.form_id);
      if (list) list.push(d);
      else derivedOfForm.set(d.form_id, [d]);
    }
    sdvOfPage = [];
    const forms = formsOfPage.all(params) as FormRow[];
    const written = new Set(forms.filter((f) => tableByForm.has(f.form_code)).map((f) => f.subject_id));
    flushPage(forms, page);
    flushSubjectsWithoutForms(subjectsOfPage.all(params) as { id: number; screening_no: string }[], written, page);
    for (const q of page.queries) workflowRow('queries', 'query', q as unknown as Record<string, unknown>);
    for (const m of page.messages) workflowRow('query_messages', 'queryMessage', { site: STUDY_INFO.site, ...m });
    for (const r of sdvOfPage) workflowRow('sdv', 'sdv', r as unknown as Record<string, unknown>);
    for (const r of page.signatures) workflowRow('signatures', 'signature', r as unknown as Record<string, unknown>);
    for (const r of page.status) workflowRow('subject_status', 'statusChange', r as unknown as Record<string, unknown>);
    for (const r of page.unblinding) workflowRow('unblinding', 'unblinding', r as unknown as Record<string, unknown>);
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
  // The load pass reads data.jsonl and audit.jsonl only, so they come first; the rest follows for people and tools.
  const [first, ...rest] = files;
  return { files: [first!, audit, ...rest], counts: { subjects, forms: formsExported, items, auditRows } };
}
