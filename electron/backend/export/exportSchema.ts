// The tables a sponsor receives, in one place: one per form (one row per form instance, one column per item, its
// missing-value reason and its derived values) and the workflow tables (queries and their messages, SDV, signatures,
// subject status history, emergency unblindings). The CSV files, the dictionary, the code lists, the ODM metadata and
// the sponsor database are all made from these definitions, so a column has one name, one type and one meaning
// everywhere. Blinded parts (UNBLIND's form, unblindedOnly items and derived values) never appear.
import { VISITS } from '../../../shared/protocol/study';
import { MISSING_REASONS, MISSING_REASON_LABELS, missingItemId } from '../../../shared/protocol/missingValues';
import type { Bilingual, Choice, DerivedDef, FieldDef, FormDef } from '../../../shared/protocol/types';
import { ALL_STATUS_REASONS, STATUS_CHANGES, STATUS_REASONS } from '../../../shared/protocol/subjectStatus';
import { RULES_VERSION } from '../../../shared/rules/version';
import { codeListOid, odmFieldDataType } from '../../../shared/protocol/odmNames';
import { exportForms } from './studyDefinition';

export type SqlType = 'INTEGER' | 'REAL' | 'TEXT';
/** key: identifies the row; system: kept by the eCRF (status, version, times); field: entered; missing_reason: why a
 *  field has no value; derived: computed by the rules; workflow: a column of a workflow table. */
export type ColumnKind = 'key' | 'system' | 'field' | 'missing_reason' | 'derived' | 'workflow';

export interface ColumnDef {
  table: string;
  file: string;
  column: string;
  kind: ColumnKind;
  form: string | null;
  item: string | null;
  label: Bilingual;
  /** The eCRF's field type ('number', 'choice', …) or, for other columns, 'text' / 'integer' / 'datetime' / 'boolean'. */
  type: string;
  sqlType: SqlType;
  odmDataType: string | null;
  unit: string | null;
  required: 'yes' | 'no' | 'conditional' | null;
  plausible: { min?: number; max?: number } | null;
  normal: { min?: number; max?: number } | null;
  section: Bilingual | null;
  codeList: string | null;
  formula: Bilingual | null;
  rulesVersion: string | null;
}

export interface CodeListItem {
  codeList: string;
  code: string;
  order: number;
  label: Bilingual;
}

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

/** The field may carry a missing-value reason instead of a value (storage contract item 4: FieldDef.missingReasons). */
export function allowsMissingReason(f: FieldDef): boolean {
  return ((f as FieldDef & { missingReasons?: readonly string[] }).missingReasons?.length ?? 0) > 0;
}

/** The codes a categorical derived value may take (storage contract item 2: DerivedDef.choices). */
export function derivedChoices(d: DerivedDef): Choice[] | undefined {
  return (d as DerivedDef & { choices?: Choice[] }).choices;
}

/** The code list of a choice / multi-choice field or a categorical derived value (the ODM's and the dictionary's). */
export const fieldCodeList = codeListOid;
export const MISSING_REASON_LIST = 'CL.MISSING_REASON';

/** SQL type of a field in the sponsor database: numbers REAL, integers and booleans (1/0) INTEGER, the rest TEXT. */
export function fieldSqlType(f: FieldDef): SqlType {
  if (f.qualified) return 'TEXT';
  if (f.type === 'number') return 'REAL';
  if (f.type === 'integer' || f.type === 'boolean') return 'INTEGER';
  return 'TEXT';
}

export function derivedSqlType(d: DerivedDef): SqlType {
  if (derivedChoices(d)) return 'TEXT';
  return d.decimals === 0 ? 'INTEGER' : 'REAL';
}

export function derivedOdmDataType(d: DerivedDef): string {
  if (derivedChoices(d)) return 'text';
  return d.decimals === 0 ? 'integer' : 'float';
}

export interface FormTable {
  def: FormDef;
  /** The sponsor database's table: the form code in lower case. */
  table: string;
  file: string;
  /** Exported fields in form order (blinded ones left out). */
  fields: FieldDef[];
  /** Derived values exported (unblindedOnly ones left out). */
  derived: DerivedDef[];
  columns: ColumnDef[];
}

function blank(table: string, file: string, column: string, kind: ColumnKind, label: Bilingual, type: string, sqlType: SqlType): ColumnDef {
  return {
    table, file, column, kind, form: null, item: null, label, type, sqlType, odmDataType: null, unit: null, required: null,
    plausible: null, normal: null, section: null, codeList: null, formula: null, rulesVersion: null,
  };
}

const FORM_KEYS = (table: string, file: string, form: string): ColumnDef[] =>
  (
    [
      ['site', 'key', bi('中心', 'Site'), 'text', 'TEXT', null],
      ['screening_no', 'key', bi('筛选号', 'Screening number'), 'text', 'TEXT', null],
      ['visit_code', 'key', bi('访视', 'Visit'), 'text', 'TEXT', 'CL.VISIT'],
      ['repeat_key', 'key', bi('重复序号（不良事件、合并用药、非计划访视、补给的 CYC）', 'Repeat key (AE, CONMED, unscheduled visit, a CYC pulse given later)'), 'integer', 'INTEGER', null],
      ['form_status', 'system', bi('表单状态', 'Form status'), 'text', 'TEXT', 'CL.FORM_STATUS'],
      ['form_version', 'system', bi('表单版本（每次保存加 1）', 'Form version (one more at each save)'), 'integer', 'INTEGER', null],
      ['updated_at_utc', 'system', bi('最后保存时间（UTC）', 'Last saved (UTC)'), 'datetime', 'TEXT', null],
    ] as const
  ).map(([column, kind, label, type, sql, codeList]) => ({ ...blank(table, file, column, kind, label, type, sql), form, codeList }));

function fieldColumn(table: string, file: string, form: string, f: FieldDef): ColumnDef {
  return {
    ...blank(table, file, f.id, 'field', f.label, f.type, fieldSqlType(f)),
    form,
    item: f.id,
    odmDataType: odmFieldDataType(f),
    unit: f.unit ?? null,
    required: f.required === true ? 'yes' : typeof f.required === 'function' ? 'conditional' : 'no',
    plausible: f.plausible ?? null,
    normal: f.normal ?? null,
    section: f.section ?? null,
    codeList: f.choices?.length ? fieldCodeList(form, f.id) : null,
  };
}

let formTablesCache: FormTable[] | null = null;

/** The per-form tables, in protocol order. */
export function formTables(): FormTable[] {
  if (formTablesCache) return formTablesCache;
  formTablesCache = exportForms().map(({ def, fields }) => {
    const table = def.code.toLowerCase();
    const file = `forms/${def.code}.csv`;
    const derived = (def.derived ?? []).filter((d) => !d.unblindedOnly);
    const columns: ColumnDef[] = [...FORM_KEYS(table, file, def.code)];
    for (const f of fields) {
      columns.push(fieldColumn(table, file, def.code, f));
      if (allowsMissingReason(f)) {
        columns.push({
          ...blank(table, file, missingItemId(f.id), 'missing_reason', bi(`${f.label.zh}（缺失原因）`, `${f.label.en} (reason missing)`), 'choice', 'TEXT'),
          form: def.code, item: f.id, odmDataType: 'text', codeList: MISSING_REASON_LIST, section: f.section ?? null,
        });
      }
    }
    for (const d of derived) {
      columns.push({
        ...blank(table, file, d.id, 'derived', d.label, derivedChoices(d) ? 'choice' : 'number', derivedSqlType(d)),
        form: def.code, item: d.id, odmDataType: derivedOdmDataType(d), unit: d.unit ?? null, formula: d.formula, rulesVersion: RULES_VERSION,
        codeList: derivedChoices(d) ? fieldCodeList(def.code, d.id) : null,
      });
    }
    columns.push({ ...blank(table, file, 'rules_version', 'system', bi('计算衍生值所用的规则版本', 'Rules version the derived values were computed with'), 'text', 'TEXT'), form: def.code });
    return { def, table, file, fields, derived, columns };
  });
  return formTablesCache;
}

type Col = [column: string, kind: ColumnKind, label: Bilingual, type: string, sql: SqlType, codeList?: string];

function workflowTable(table: string, file: string, cols: Col[]): ColumnDef[] {
  return cols.map(([column, kind, label, type, sql, codeList]) => ({ ...blank(table, file, column, kind, label, type, sql), codeList: codeList ?? null }));
}

const SITE: Col = ['site', 'key', bi('中心', 'Site'), 'text', 'TEXT'];
const SUBJECT: Col = ['screening_no', 'key', bi('筛选号', 'Screening number'), 'text', 'TEXT'];
const FORM_REF: Col[] = [
  ['visit_code', 'workflow', bi('访视', 'Visit'), 'text', 'TEXT', 'CL.VISIT'],
  ['form_code', 'workflow', bi('表单', 'Form'), 'text', 'TEXT', 'CL.FORM'],
  ['repeat_key', 'workflow', bi('重复序号', 'Repeat key'), 'integer', 'INTEGER'],
];
const USER: Col = ['username', 'workflow', bi('操作人（用户名）', 'By (user name)'), 'text', 'TEXT'];

/** The workflow tables: subjects, queries and their threads, SDV, signatures, subject status history, unblindings. */
export const WORKFLOW_TABLES: { table: string; file: string; columns: ColumnDef[] }[] = [
  {
    table: 'subjects', file: 'subjects.csv', columns: workflowTable('subjects', 'subjects.csv', [
      SITE, SUBJECT,
      ['rand_no', 'workflow', bi('随机号', 'Randomisation number'), 'text', 'TEXT'],
      ['kit_no', 'workflow', bi('药物编号', 'Kit number'), 'text', 'TEXT'],
      ['status', 'workflow', bi('受试者状态', 'Subject status'), 'text', 'TEXT', 'CL.SUBJECT_STATUS'],
      ['created_at_utc', 'workflow', bi('建立时间（UTC）', 'Created (UTC)'), 'datetime', 'TEXT'],
      ['status_date', 'workflow', bi('最近一次状态变更的日期', 'Date of the last status change'), 'date', 'TEXT'],
      ['status_reason', 'workflow', bi('最近一次状态变更的原因', 'Reason of the last status change'), 'text', 'TEXT', 'CL.STATUS_REASON'],
      ['status_note', 'workflow', bi('最近一次状态变更的说明', 'Note on the last status change'), 'text', 'TEXT'],
    ]),
  },
  {
    table: 'queries', file: 'queries.csv', columns: workflowTable('queries', 'queries.csv', [
      SITE, ['query_id', 'key', bi('质疑编号（中心内）', 'Query number (within the site)'), 'integer', 'INTEGER'], SUBJECT, ...FORM_REF,
      ['item_code', 'workflow', bi('数据项', 'Item'), 'text', 'TEXT'],
      ['origin', 'workflow', bi('来源（自动核查 / 人工）', 'Origin (edit check / manual)'), 'text', 'TEXT', 'CL.QUERY_ORIGIN'],
      ['check_id', 'workflow', bi('核查规则编号', 'Edit check'), 'text', 'TEXT'],
      ['status', 'workflow', bi('质疑状态', 'Query status'), 'text', 'TEXT', 'CL.QUERY_STATUS'],
      ['text_zh', 'workflow', bi('质疑内容（中文）', 'Query text (Chinese)'), 'text', 'TEXT'],
      ['text_en', 'workflow', bi('质疑内容（英文）', 'Query text (English)'), 'text', 'TEXT'],
      ['raised_at_utc', 'workflow', bi('提出时间（UTC）', 'Raised (UTC)'), 'datetime', 'TEXT'],
      ['raised_by', 'workflow', bi('提出人（用户名；自动核查为 system）', 'Raised by (user name; system for an edit check)'), 'text', 'TEXT'],
      ['updated_at_utc', 'workflow', bi('最后更新（UTC）', 'Last updated (UTC)'), 'datetime', 'TEXT'],
    ]),
  },
  {
    table: 'query_messages', file: 'query_messages.csv', columns: workflowTable('query_messages', 'query_messages.csv', [
      SITE, ['query_id', 'key', bi('质疑编号', 'Query number'), 'integer', 'INTEGER'],
      ['message_no', 'key', bi('消息序号', 'Message number'), 'integer', 'INTEGER'],
      ['kind', 'workflow', bi('类型（提出、回复、关闭、重开、自动关闭）', 'Kind (raise, answer, close, reopen, auto close)'), 'text', 'TEXT', 'CL.QUERY_MESSAGE_KIND'],
      ['text', 'workflow', bi('内容', 'Text'), 'text', 'TEXT'], USER,
      ['at_utc', 'workflow', bi('时间（UTC）', 'At (UTC)'), 'datetime', 'TEXT'],
    ]),
  },
  {
    table: 'sdv', file: 'sdv.csv', columns: workflowTable('sdv', 'sdv.csv', [
      SITE, ['audit_seq', 'key', bi('稽查轨迹行号', 'Audit trail row'), 'integer', 'INTEGER'], SUBJECT, ...FORM_REF,
      ['item_code', 'workflow', bi('数据项', 'Item'), 'text', 'TEXT'],
      ['event', 'workflow', bi('核查 / 撤销核查', 'Verified / verification withdrawn'), 'text', 'TEXT', 'CL.SDV_EVENT'],
      ['form_version', 'workflow', bi('核查时的表单版本', 'Form version verified'), 'integer', 'INTEGER'], USER,
      ['at_utc', 'workflow', bi('时间（UTC）', 'At (UTC)'), 'datetime', 'TEXT'],
      ['reason', 'workflow', bi('撤销原因', 'Reason (withdrawal)'), 'text', 'TEXT'],
    ]),
  },
  {
    table: 'signatures', file: 'signatures.csv', columns: workflowTable('signatures', 'signatures.csv', [
      SITE, ['signature_id', 'key', bi('签名编号', 'Signature number'), 'integer', 'INTEGER'],
      ['scope', 'workflow', bi('签名范围（表单、访视、整本病例）', 'Scope (form, visit, casebook)'), 'text', 'TEXT', 'CL.SIGNATURE_SCOPE'], SUBJECT, ...FORM_REF,
      ['form_version', 'workflow', bi('签名时的表单版本', 'Form version signed'), 'integer', 'INTEGER'], USER,
      ['display_name', 'workflow', bi('签名人姓名', 'Signed by (name)'), 'text', 'TEXT'],
      ['meaning_zh', 'workflow', bi('签名含义（中文）', 'Meaning (Chinese)'), 'text', 'TEXT'],
      ['meaning_en', 'workflow', bi('签名含义（英文）', 'Meaning (English)'), 'text', 'TEXT'],
      ['signed_at_utc', 'workflow', bi('签名时间（UTC）', 'Signed (UTC)'), 'datetime', 'TEXT'],
      ['signed_at_local', 'workflow', bi('签名时间（北京时间）', 'Signed (Asia/Shanghai)'), 'datetime', 'TEXT'],
      ['current', 'workflow', bi('仍有效（表单此后未改动）', 'Still valid (form unchanged since)'), 'boolean', 'INTEGER'],
    ]),
  },
  {
    table: 'subject_status', file: 'subject_status.csv', columns: workflowTable('subject_status', 'subject_status.csv', [
      SITE, ['audit_seq', 'key', bi('稽查轨迹行号', 'Audit trail row'), 'integer', 'INTEGER'], SUBJECT,
      ['from_status', 'workflow', bi('原状态', 'From'), 'text', 'TEXT', 'CL.SUBJECT_STATUS'],
      ['to_status', 'workflow', bi('新状态', 'To'), 'text', 'TEXT', 'CL.SUBJECT_STATUS'],
      ['at_utc', 'workflow', bi('记录时间（UTC）', 'Recorded (UTC)'), 'datetime', 'TEXT'], USER,
      ['status_date', 'workflow', bi('状态日期', 'Date of the change'), 'date', 'TEXT'],
      ['reason', 'workflow', bi('原因（代码）', 'Reason (code)'), 'text', 'TEXT', 'CL.STATUS_REASON'],
      ['note', 'workflow', bi('说明', 'Note'), 'text', 'TEXT'],
    ]),
  },
  {
    table: 'unblinding', file: 'unblinding.csv', columns: workflowTable('unblinding', 'unblinding.csv', [
      SITE, ['audit_seq', 'key', bi('稽查轨迹行号', 'Audit trail row'), 'integer', 'INTEGER'], SUBJECT,
      ['unblinded_at_utc', 'workflow', bi('揭盲记录时间（UTC）', 'Recorded (UTC)'), 'datetime', 'TEXT'], USER,
      ['unblind_date', 'workflow', bi('揭盲日期', 'Date unblinded'), 'date', 'TEXT'],
      ['unblind_time', 'workflow', bi('揭盲时间', 'Time unblinded'), 'time', 'TEXT'],
      ['reason', 'workflow', bi('紧急揭盲理由', 'Reason for emergency unblinding'), 'text', 'TEXT'],
      ['sponsor_notified', 'workflow', bi('已通知申办方', 'Sponsor notified'), 'boolean', 'INTEGER'],
    ]),
  },
];

export const workflowColumns = (table: string): ColumnDef[] => WORKFLOW_TABLES.find((t) => t.table === table)!.columns;

/** Every column of every table, forms first. */
export function allColumns(): ColumnDef[] {
  return [...formTables().flatMap((t) => t.columns), ...WORKFLOW_TABLES.flatMap((t) => t.columns)];
}

/** A reason code's label (the same code means the same under each status it is offered for). */
function statusReasonLabel(code: string): Bilingual {
  for (const s of STATUS_CHANGES) {
    const label = (STATUS_REASONS[s] as Record<string, Bilingual>)[code];
    if (label) return label;
  }
  return bi(code, code);
}

const codes = (list: string, entries: [string, Bilingual][]): CodeListItem[] => entries.map(([code, label], i) => ({ codeList: list, code, order: i + 1, label }));

/** Code lists of the workflow tables and flags (also written into the ODM for its annotations). */
export const WORKFLOW_CODE_LISTS: CodeListItem[] = [
  ...codes('CL.FORM_STATUS', [
    ['in_progress', bi('未完成', 'In progress')], ['complete', bi('已完成', 'Complete')], ['verified', bi('已核查', 'Verified')],
    ['signed', bi('已签名', 'Signed')], ['locked', bi('已锁定', 'Locked')],
  ]),
  ...codes('CL.SUBJECT_STATUS', [
    ['screening', bi('筛选中', 'Screening')], ['screen_failed', bi('筛选失败', 'Screen failure')], ['randomised', bi('已随机', 'Randomised')],
    ['completed', bi('完成研究', 'Completed')], ['withdrawn', bi('退出研究', 'Withdrawn')], ['created_in_error', bi('误建作废', 'Created in error')],
  ]),
  ...codes('CL.STATUS_REASON', ALL_STATUS_REASONS.map((r) => [r, statusReasonLabel(r)])),
  ...codes('CL.QUERY_ORIGIN', [['auto', bi('自动核查', 'Edit check')], ['manual', bi('人工', 'Manual')]]),
  ...codes('CL.QUERY_STATUS', [['open', bi('待回复', 'Open')], ['answered', bi('已回复', 'Answered')], ['closed', bi('已关闭', 'Closed')]]),
  ...codes('CL.QUERY_MESSAGE_KIND', [
    ['raise', bi('提出', 'Raised')], ['answer', bi('回复', 'Answered')], ['close', bi('关闭', 'Closed')], ['reopen', bi('重开', 'Reopened')],
    ['auto_close', bi('自动关闭（数据已更正）', 'Closed automatically (data corrected)')],
  ]),
  ...codes('CL.SDV_EVENT', [['verified', bi('已核查', 'Verified')], ['withdrawn', bi('撤销核查', 'Verification withdrawn')]]),
  ...codes('CL.SIGNATURE_SCOPE', [['form', bi('表单', 'Form')], ['visit', bi('访视', 'Visit')], ['casebook', bi('整本病例', 'Casebook')]]),
  ...codes('CL.ANNOTATION_TYPE', [
    ['QUERY', bi('质疑', 'Query')], ['SDV', bi('源数据核查', 'Source data verification')], ['SUBJECT_STATUS', bi('受试者状态变更', 'Subject status change')],
    ['UNBLINDING', bi('紧急揭盲', 'Emergency unblinding')],
  ]),
  ...codes('CL.UNBLINDING', [['unblinded', bi('已紧急揭盲', 'Emergency unblinded')]]),
];

/** Every code list: visits, forms, the form fields' and categorical derived values' codes, missing reasons, workflow. */
export function allCodeLists(): CodeListItem[] {
  const out: CodeListItem[] = [
    ...codes('CL.VISIT', VISITS.map((v) => [v.code, v.label])),
    ...codes('CL.FORM', formTables().map((t) => [t.def.code, t.def.label])),
  ];
  for (const t of formTables()) {
    for (const f of t.fields) if (f.choices?.length) out.push(...codes(fieldCodeList(t.def.code, f.id), f.choices.map((c) => [c.value, c.label])));
    for (const d of t.derived) {
      const choices = derivedChoices(d);
      if (choices?.length) out.push(...codes(fieldCodeList(t.def.code, d.id), choices.map((c) => [c.value, c.label])));
    }
  }
  out.push(...codes(MISSING_REASON_LIST, MISSING_REASONS.map((r) => [r, MISSING_REASON_LABELS[r]])));
  out.push(...WORKFLOW_CODE_LISTS);
  return out;
}

/** The dictionary as CSV rows: a header, then one row per column of every table. */
export const DICTIONARY_HEADER = [
  'table', 'file', 'column', 'kind', 'form', 'item', 'label_zh', 'label_en', 'type', 'sql_type', 'odm_data_type', 'unit', 'required',
  'plausible_min', 'plausible_max', 'normal_min', 'normal_max', 'section_zh', 'section_en', 'code_list', 'derived', 'formula_zh', 'formula_en',
  'rules_version',
] as const;

export function dictionaryRow(c: ColumnDef): (string | number)[] {
  return [
    c.table, c.file, c.column, c.kind, c.form ?? '', c.item ?? '', c.label.zh, c.label.en, c.type, c.sqlType, c.odmDataType ?? '', c.unit ?? '',
    c.required ?? '', c.plausible?.min ?? '', c.plausible?.max ?? '', c.normal?.min ?? '', c.normal?.max ?? '', c.section?.zh ?? '', c.section?.en ?? '',
    c.codeList ?? '', c.kind === 'derived' ? 'yes' : 'no', c.formula?.zh ?? '', c.formula?.en ?? '', c.rulesVersion ?? '',
  ];
}

export const CODES_HEADER = ['code_list', 'code', 'order', 'label_zh', 'label_en'] as const;
export const codeRow = (c: CodeListItem): (string | number)[] => [c.codeList, c.code, c.order, c.label.zh, c.label.en];

/** A form of the protocol that the sponsor receives (UNBLIND is withheld). */
export const formTableOf = (formCode: string): FormTable | undefined => formTables().find((t) => t.def.code === formCode);

