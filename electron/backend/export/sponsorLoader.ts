// Writes a verified bundle's rows into the sponsor database (sponsorDatabase.ts describes the tables); the caller holds
// the one transaction of the load. data.jsonl of format /3 opens with the dictionary (rows of type column) and the code
// lists (type code); the tables are made (or given new columns) from them before the first data row. A /2 bundle has
// no dictionary: its tables are the ones this version of the app exports, and it brings no derived values or workflow.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { BundleManifest } from './bundleManifest';
import { allCodeLists, allColumns, type ColumnDef } from './exportSchema';

/** One column of the dictionary, as a /3 bundle's `column` row gives it. */
export interface DictColumn {
  table: string;
  column: string;
  kind: string;
  form: string | null;
  item: string | null;
  labelZh: string;
  labelEn: string;
  dataType: string;
  sqlType: 'INTEGER' | 'REAL' | 'TEXT';
  odmDataType: string | null;
  unit: string | null;
  codeList: string | null;
  formulaZh: string | null;
  formulaEn: string | null;
  rulesVersion: string | null;
}

const fromColumnDef = (c: ColumnDef): DictColumn => ({
  table: c.table, column: c.column, kind: c.kind, form: c.form, item: c.item, labelZh: c.label.zh, labelEn: c.label.en, dataType: c.type,
  sqlType: c.sqlType, odmDataType: c.odmDataType, unit: c.unit, codeList: c.codeList, formulaZh: c.formula?.zh ?? null, formulaEn: c.formula?.en ?? null,
  rulesVersion: c.rulesVersion,
});

/** The table each kind of workflow row of data.jsonl goes to. */
export const WORKFLOW_ROW_TABLES: Record<string, string> = {
  subject: 'subjects', query: 'queries', queryMessage: 'query_messages', sdv: 'sdv', signature: 'signatures', statusChange: 'subject_status',
  unblinding: 'unblinding',
};
/** The per-form tables' columns that come from the form row itself (not its values or derived values). */
const FORM_ROW_FIELDS: Record<string, string> = {
  site: 'site', screening_no: 'screeningNo', visit_code: 'visitCode', repeat_key: 'repeatKey', form_status: 'status', form_version: 'version',
  updated_at_utc: 'updatedAt', rules_version: 'rulesVersion',
};
/** A subject row's keys (camelCase, /2 and /3 alike) as the subjects table's columns. */
const SUBJECT_KEYS: Record<string, string> = {
  screening_no: 'screeningNo', rand_no: 'randNo', kit_no: 'kitNo', created_at_utc: 'createdAt', status_date: 'statusDate', status_reason: 'statusReason',
  status_note: 'statusNote',
};

/**
 * The type a column is declared with: the dictionary's, except a lab result that may be reported against a limit
 * ("<0.1", "field_full": TEXT in the dictionary), declared REAL (INTEGER) so its numbers are numbers; SQLite keeps a
 * text it cannot convert as text.
 */
function declaredType(c: DictColumn): DictColumn['sqlType'] {
  if (c.kind === 'field' && c.sqlType === 'TEXT' && (c.dataType === 'number' || c.dataType === 'integer')) return c.dataType === 'number' ? 'REAL' : 'INTEGER';
  return c.sqlType;
}

export const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Audit rows per INSERT (one statement for 64 rows runs about twice as fast as one per row). */
const AUDIT_BATCH = 64;
/** The audit row's own columns, as audit.jsonl names them (prev_hash and hash apart). */
const AUDIT_COLUMNS = [
  'seq', 'at_utc', 'at_local', 'user_id', 'username', 'action', 'subject_id', 'screening_no', 'visit_code', 'form_code', 'repeat_key', 'item_code',
  'old_value', 'new_value', 'reason', 'details',
] as const;

/** A value as its column stores it: booleans 1/0, multi-choice codes joined with ';' (as in the CSV), numbers as numbers. */
function sqlValue(v: unknown, sqlType: string): string | number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (sqlType !== 'TEXT' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return v;
  }
  return JSON.stringify(v);
}

interface TableWriter {
  insert: Database.Statement;
  columns: DictColumn[];
}

export class BundleLoader {
  readonly counts = { subjects: 0, forms: 0, auditRows: 0, workflowRows: 0 };
  private readonly dictionary: DictColumn[] = [];
  private readonly codes: { codeList: string; code: string; order: number; labelZh: string; labelEn: string }[] = [];
  private ready = false;
  private readonly writers = new Map<string, TableWriter>();
  private readonly formTables = new Map<string, string>();
  private readonly audit: Database.Statement;
  private readonly auditOne: Database.Statement;
  private readonly auditWidth: number;
  private auditParams: unknown[] = [];
  private firstAudit = true;

  constructor(
    private readonly db: Database.Database,
    private readonly m: BundleManifest,
    private readonly manifestText: string,
  ) {
    const cols = ['site', ...AUDIT_COLUMNS, 'prev_hash', 'hash', 'redacted', 'source_sequence'];
    const insert = (rows: number) =>
      db.prepare(`INSERT OR IGNORE INTO audit_rows (${cols.join(', ')}) VALUES ${Array(rows).fill(`(${cols.map(() => '?').join(', ')})`).join(', ')}`);
    this.audit = insert(AUDIT_BATCH);
    this.auditOne = insert(1);
    this.auditWidth = cols.length;
  }

  dataRow(r: Record<string, unknown>): void {
    if (r.type === 'column') {
      this.dictionary.push(r as unknown as DictColumn);
      return;
    }
    if (r.type === 'code') {
      this.codes.push(r as unknown as BundleLoader['codes'][number]);
      return;
    }
    if (!this.ready) this.prepareTables();
    if (r.type === 'form') {
      const table = this.formTables.get(String(r.formCode));
      if (!table) return; // a form this dictionary does not describe (withheld): never stored
      const w = this.writers.get(table)!;
      const values = (r.values ?? {}) as Record<string, unknown>;
      const derived = (r.derived ?? {}) as Record<string, unknown>;
      w.insert.run(
        ...w.columns.map((c) => {
          const own = FORM_ROW_FIELDS[c.column];
          if ((c.kind === 'key' || c.kind === 'system') && own) return sqlValue(own === 'site' ? (r.site ?? this.m.site) : r[own], c.sqlType);
          if (c.kind === 'derived') return sqlValue(derived[c.column], c.sqlType);
          return sqlValue(values[c.column], c.sqlType);
        }),
        this.m.sequence,
      );
      this.counts.forms++;
      return;
    }
    const table = WORKFLOW_ROW_TABLES[String(r.type)];
    const w = table ? this.writers.get(table) : undefined;
    if (!w) return;
    const row = r.type === 'subject' && 'screeningNo' in r ? { ...r, ...Object.fromEntries(Object.entries(SUBJECT_KEYS).map(([to, from]) => [to, r[from]])) } : r;
    w.insert.run(...w.columns.map((c) => (c.column === 'site' ? this.m.site : sqlValue(row[c.column], c.sqlType))), this.m.sequence);
    if (r.type === 'subject') this.counts.subjects++;
    else this.counts.workflowRows++;
  }

  /** One line of audit.jsonl (checked by pass 1: a complete audit row); written AUDIT_BATCH rows per statement. */
  auditLine(line: string): void {
    if (!line.trim()) return;
    const r = JSON.parse(line) as Record<string, unknown>;
    const b = this.auditParams;
    b.push(this.m.site);
    for (const c of AUDIT_COLUMNS) b.push(r[c] ?? null);
    b.push(this.firstAudit ? Buffer.from(String(r.prev_hash), 'hex') : null, Buffer.from(String(r.hash), 'hex'), r.redacted === true ? 1 : null, this.m.sequence);
    this.firstAudit = false;
    this.counts.auditRows++;
    if (b.length === this.auditWidth * AUDIT_BATCH) {
      this.audit.run(b);
      this.auditParams = [];
    }
  }

  private flushAudit(): void {
    const b = this.auditParams;
    for (let i = 0; i < b.length; i += this.auditWidth) this.auditOne.run(b.slice(i, i + this.auditWidth));
    this.auditParams = [];
  }

  /** The dictionary (the bundle's, or for /2 the app's), the tables made or widened, statements prepared. */
  private prepareTables(): void {
    this.ready = true;
    if (!this.dictionary.length) {
      this.dictionary.push(...allColumns().map(fromColumnDef));
      this.codes.push(...allCodeLists().map((c) => ({ codeList: c.codeList, code: c.code, order: c.order, labelZh: c.label.zh, labelEn: c.label.en })));
    }
    const db = this.db;
    const putColumn = db.prepare(
      `INSERT OR REPLACE INTO dictionary (table_name, column_name, position, kind, form, item, label_zh, label_en, data_type, sql_type, odm_data_type, unit, code_list,
        formula_zh, formula_en, rules_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const putCode = db.prepare('INSERT OR REPLACE INTO code_lists (code_list, code, position, label_zh, label_en) VALUES (?, ?, ?, ?, ?)');
    const byTable = new Map<string, DictColumn[]>();
    for (const c of this.dictionary) {
      c.sqlType = declaredType(c);
      const list = byTable.get(c.table) ?? [];
      list.push(c);
      byTable.set(c.table, list);
      putColumn.run(c.table, c.column, list.length, c.kind, c.form, c.item, c.labelZh, c.labelEn, c.dataType, c.sqlType, c.odmDataType, c.unit, c.codeList, c.formulaZh, c.formulaEn, c.rulesVersion);
    }
    for (const c of this.codes) putCode.run(c.codeList, c.code, c.order, c.labelZh, c.labelEn);
    for (const [table, columns] of byTable) {
      ensureTable(db, table, columns);
      const form = columns.find((c) => c.kind === 'field')?.form;
      if (form) this.formTables.set(form, table);
      const names = [...columns.map((c) => c.column), 'source_sequence'];
      this.writers.set(table, {
        columns,
        insert: db.prepare(`INSERT OR REPLACE INTO ${quoteId(table)} (${names.map(quoteId).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`),
      });
    }
  }

  finish(sha256: string): void {
    if (!this.ready) this.prepareTables();
    this.flushAudit();
    const m = this.m;
    this.db
      .prepare(
        `INSERT INTO imported_bundles (site, sequence, bundle_sha256, previous_sha256, scope, format, rules_version, site_key, created_utc, imported_at, manifest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.site, m.sequence, sha256, m.previousBundleSha256, m.scope, m.format, m.rulesVersion ?? null, m.keys.site, m.created.utc, new Date().toISOString(), this.manifestText);
    createItemViews(this.db);
  }
}

/** Makes a table from its dictionary columns, or adds the columns it lacks (a newer bundle's new items). */
function ensureTable(db: Database.Database, table: string, columns: DictColumn[]): void {
  const have = new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]));
  if (have.size === 0) {
    const keys = columns.filter((c) => c.kind === 'key').map((c) => c.column);
    const defs = columns.map((c) => `${quoteId(c.column)} ${c.sqlType}${keys.includes(c.column) ? ' NOT NULL' : ''}`);
    db.exec(`CREATE TABLE ${quoteId(table)} (${defs.join(', ')}, source_sequence INTEGER NOT NULL, PRIMARY KEY (${keys.map(quoteId).join(', ')}))`);
    return;
  }
  for (const c of columns) if (!have.has(c.column)) db.exec(`ALTER TABLE ${quoteId(table)} ADD COLUMN ${quoteId(c.column)} ${c.sqlType}`);
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const CHUNK = 150;

/**
 * The long views over the per-form tables, made again from the dictionary after every load: `items` (one row per item
 * that has a value or a missing-value reason) and `derived_values` (one row per derived value, with its rules version).
 * Each form's columns are unpivoted with json_each over a json_object of the row (150 items per branch).
 */
export function createItemViews(db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT d.table_name, d.form, d.column_name, d.kind, d.item FROM dictionary d
        WHERE d.kind IN ('field', 'missing_reason', 'derived') AND d.form IS NOT NULL
          AND EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'table' AND m.name = d.table_name)
        ORDER BY d.table_name, d.position`,
    )
    .all() as { table_name: string; form: string; column_name: string; kind: string; item: string }[];
  const tables = new Map<string, { form: string; fields: string[]; missing: Set<string>; derived: string[] }>();
  for (const r of rows) {
    const t = tables.get(r.table_name) ?? { form: r.form, fields: [], missing: new Set<string>(), derived: [] };
    if (r.kind === 'field') t.fields.push(r.column_name);
    else if (r.kind === 'missing_reason') t.missing.add(r.item);
    else t.derived.push(r.column_name);
    tables.set(r.table_name, t);
  }
  const keys = (t: string, form: string) => `t.site, t.screening_no, t.visit_code, ${sqlText(form)} AS form_code, t.repeat_key`;
  const itemBranches: string[] = [];
  const derivedBranches: string[] = [];
  for (const [table, t] of tables) {
    for (let i = 0; i < t.fields.length; i += CHUNK) {
      const pairs = t.fields
        .slice(i, i + CHUNK)
        .map((f) => `${sqlText(f)}, json_array(t.${quoteId(f)}, ${t.missing.has(f) ? `t.${quoteId(`${f}__missing`)}` : 'NULL'})`);
      itemBranches.push(
        `SELECT ${keys(table, t.form)}, j.key AS item, j.value ->> 0 AS value, j.value ->> 1 AS missing_reason
           FROM ${quoteId(table)} t, json_each(json_object(${pairs.join(', ')})) j WHERE j.value ->> 0 IS NOT NULL OR j.value ->> 1 IS NOT NULL`,
      );
    }
    for (let i = 0; i < t.derived.length; i += CHUNK) {
      const pairs = t.derived.slice(i, i + CHUNK).map((f) => `${sqlText(f)}, t.${quoteId(f)}`);
      derivedBranches.push(
        `SELECT ${keys(table, t.form)}, j.key AS derived, j.value AS value, t.rules_version FROM ${quoteId(table)} t, json_each(json_object(${pairs.join(', ')})) j
          WHERE j.value IS NOT NULL`,
      );
    }
  }
  const empty = (cols: string) => `SELECT ${cols} WHERE 0`;
  db.exec('DROP VIEW IF EXISTS items');
  db.exec('DROP VIEW IF EXISTS derived_values');
  db.exec(`CREATE VIEW items AS ${itemBranches.join('\nUNION ALL\n') || empty("NULL AS site, NULL AS screening_no, NULL AS visit_code, NULL AS form_code, NULL AS repeat_key, NULL AS item, NULL AS value, NULL AS missing_reason")}`);
  db.exec(`CREATE VIEW derived_values AS ${derivedBranches.join('\nUNION ALL\n') || empty('NULL AS site, NULL AS screening_no, NULL AS visit_code, NULL AS form_code, NULL AS repeat_key, NULL AS derived, NULL AS value, NULL AS rules_version')}`);
}
