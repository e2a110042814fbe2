// Data queries: raised automatically from warning-level edit checks on save and manually by monitors,
// answered by site staff, closed or re-opened by monitors; every step is a message in the thread and an audit row.
import type { User } from '../../../shared/api/calls/common';
import type { DataQuery, QueryStatus } from '../../../shared/api/calls/queries';
import { raisesQuery } from '../../../shared/protocol/editChecks';
import { FORMS } from '../../../shared/protocol/study';
import type { ValidationIssue } from '../../../shared/protocol/types';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp, type Stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { statementCache, type Sql } from '../db/statements';
import { fail } from '../errors';
import type { FormKey } from '../services/casebookRepository';
import type { FormService } from '../services/formService';
import { formLabel, isAllocationItem, itemLabel } from './itemLabels';
import { requireRole } from './roleGuard';

export type { DataQuery, QueryStatus };
export type QueryMessageKind = DataQuery['messages'][number]['kind'];
export type QueryMessage = DataQuery['messages'][number];

interface QueryRow {
  id: number;
  subject_id: number;
  screening_no: string;
  visit_code: FormKey['visitCode'];
  form_code: FormKey['formCode'];
  repeat_key: number;
  item_code: string;
  origin: 'auto' | 'manual';
  check_id: string | null;
  status: QueryStatus;
  text_zh: string;
  text_en: string;
  created_at: string;
  updated_at: string;
}

export const AUTO_CLOSE_TEXT = '数据修改后不再触发核查，系统自动关闭 / Value no longer triggers the check (closed automatically on save)';

const STATUS_LABEL: Record<QueryStatus, { zh: string; en: string }> = {
  open: { zh: '待回复', en: 'open' },
  answered: { zh: '已回复', en: 'answered' },
  closed: { zh: '已关闭', en: 'closed' },
};

const SELECT = `SELECT q.*, s.screening_no FROM queries q JOIN subjects s ON s.id = q.subject_id`;
const LIST_LIMIT = 2000;

// The statements every save runs (through this.sql: prepared once; a save is on the ward's critical path).
const SAME_FORM = 'subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?';
const UNRESOLVED_AUTO_SQL = `SELECT id, item_code, check_id, status FROM queries WHERE ${SAME_FORM} AND origin = 'auto' AND status <> 'closed'`;
const LAST_MONITOR_CLOSE_SQL = `SELECT MAX(a.seq) FROM queries q JOIN audit_log a
    ON a.subject_id = q.subject_id AND a.visit_code = q.visit_code AND a.form_code = q.form_code AND a.repeat_key = q.repeat_key
   AND a.action = 'query' AND a.item_code = q.item_code AND json_extract(a.details, '$.queryId') = q.id
   AND json_extract(a.details, '$.step') = 'close'
  WHERE q.subject_id = ? AND q.visit_code = ? AND q.form_code = ? AND q.repeat_key = ? AND q.origin = 'auto' AND q.item_code = ? AND q.check_id = ? AND q.status = 'closed'`;
/**
 * One query per late visit (issue 16): a visit-window warning on one form of a scheduled visit is not raised again
 * while another form of the same visit holds an unresolved window query, or one the monitor closed (accepting the
 * visit's timing).
 */
const VISIT_WINDOW_HELD_SQL = `SELECT 1 FROM queries q WHERE q.subject_id = ? AND q.visit_code = ? AND q.repeat_key = ? AND q.form_code <> ?
   AND q.origin = 'auto' AND q.check_id LIKE '%.visitWindow'
   AND (q.status <> 'closed' OR EXISTS (SELECT 1 FROM query_messages m WHERE m.query_id = q.id AND m.kind = 'close')) LIMIT 1`;
const isVisitWindow = (checkId: string) => checkId.endsWith('.visitWindow');
const LAST_ITEM_CHANGE_SQL = `SELECT MAX(seq) FROM audit_log WHERE ${SAME_FORM} AND item_code = ? AND action IN ('item.create', 'item.update', 'item.clear')`;

export class QueryService {
  /** Statements prepared once per SQL text (the save path runs them on every save). */
  private readonly sql: Sql;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {
    this.sql = statementCache(db);
  }

  /**
   * Subscribes to form saves: raises one query per warning (check + item), closes those that no longer warn. A saved
   * form checked again because a form it reads changed gets a query for every issue it now has, errors included.
   */
  attach(forms: FormService): void {
    forms.onSave(({ key, user, warnings }) => this.syncAutomatic(key, user, warnings));
    forms.onRecheck(({ key, user, issues }) => this.syncAutomatic(key, user, issues, true));
  }

  private messages(queryIds: number[]): Map<number, QueryMessage[]> {
    const map = new Map<number, QueryMessage[]>();
    if (queryIds.length === 0) return map;
    const rows = this.db
      .prepare(
        `SELECT query_id, kind, text, username, at_utc FROM query_messages
          WHERE query_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(queryIds)) as { query_id: number; kind: QueryMessageKind; text: string; username: string | null; at_utc: string }[];
    for (const r of rows) {
      let list = map.get(r.query_id);
      if (!list) map.set(r.query_id, (list = []));
      list.push({ kind: r.kind, text: r.text, username: r.username, atUtc: r.at_utc });
    }
    return map;
  }

  private toQueries(rows: QueryRow[]): DataQuery[] {
    const msgs = this.messages(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      subjectId: r.subject_id,
      screeningNo: r.screening_no,
      visitCode: r.visit_code,
      formCode: r.form_code,
      repeatKey: r.repeat_key,
      itemCode: r.item_code,
      formLabel: formLabel(r.form_code),
      itemLabel: itemLabel(r.form_code, r.item_code),
      origin: r.origin,
      checkId: r.check_id,
      status: r.status,
      text: { zh: r.text_zh, en: r.text_en },
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      messages: msgs.get(r.id) ?? [],
    }));
  }

  private byId(id: number): DataQuery {
    const row = this.db.prepare(`${SELECT} WHERE q.id = ?`).get(id) as QueryRow | undefined;
    return this.toQueries(row ? [row] : [])[0] ?? fail('NOT_FOUND', `质疑 #${id} 不存在`, `Query #${id} not found`);
  }

  /** Newest first, unresolved before closed, at most 2000 rows. */
  list(filter: { status?: QueryStatus | 'unresolved' | undefined; subjectId?: number | undefined }): DataQuery[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status === 'unresolved') where.push("q.status <> 'closed'");
    else if (filter.status) {
      where.push('q.status = ?');
      params.push(filter.status);
    }
    if (filter.subjectId !== undefined) {
      where.push('q.subject_id = ?');
      params.push(filter.subjectId);
    }
    const rows = this.db
      .prepare(
        `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY q.status = 'closed', q.updated_at DESC, q.id DESC LIMIT ${LIST_LIMIT}`,
      )
      .all(...params) as QueryRow[];
    return this.toQueries(rows);
  }

  counts(): { open: number; answered: number } {
    const rows = this.db.prepare("SELECT status, COUNT(*) AS n FROM queries WHERE status <> 'closed' GROUP BY status").all() as {
      status: QueryStatus;
      n: number;
    }[];
    return { open: rows.find((r) => r.status === 'open')?.n ?? 0, answered: rows.find((r) => r.status === 'answered')?.n ?? 0 };
  }

  forForm(key: FormKey): DataQuery[] {
    const rows = this.db
      .prepare(`${SELECT} WHERE q.subject_id = ? AND q.visit_code = ? AND q.form_code = ? AND q.repeat_key = ? ORDER BY q.id`)
      .all(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as QueryRow[];
    return this.toQueries(rows);
  }

  private screeningNo(subjectId: number): string {
    return (
      (this.db.prepare('SELECT screening_no FROM subjects WHERE id = ?').pluck().get(subjectId) as string | undefined) ??
      fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`)
    );
  }

  private addMessage(queryId: number, kind: QueryMessageKind, text: string, user: User | null, at: Stamp): void {
    this.sql('INSERT INTO query_messages (query_id, kind, text, user_id, username, at_utc) VALUES (?, ?, ?, ?, ?, ?)').run(queryId, kind, text, user?.id ?? null, user?.username ?? null, at.utc);
  }

  private auditStep(
    q: FormKey & { id: number; itemCode: string },
    user: User,
    step: QueryMessageKind,
    from: QueryStatus | null,
    to: QueryStatus,
    text: string,
    at: Stamp,
    system = false,
  ): void {
    this.audit.append(
      {
        userId: user.id,
        username: user.username,
        action: 'query',
        subjectId: q.subjectId,
        screeningNo: this.screeningNo(q.subjectId),
        visitCode: q.visitCode,
        formCode: q.formCode,
        repeatKey: q.repeatKey,
        itemCode: q.itemCode,
        oldValue: from,
        newValue: to,
        reason: text || null,
        // System steps (raised from an edit check, closed because the value no longer warns) are told apart from people's.
        details: { queryId: q.id, step, ...(system ? { system: true } : {}) },
      },
      at,
    );
  }

  /**
   * Runs inside the form save transaction, after the item values and their audit rows are written.
   * A warning that raises queries (raisesQuery: not a normal-range flag or a notice) raises one unless an unresolved one exists for the same check and item, or the monitor
   * closed one and the item has not changed since (closing accepts the value as it is).
   */
  syncAutomatic(key: FormKey, user: User, warnings: ValidationIssue[], errorsToo = false): void {
    const at = stamp();
    const formParams = [key.subjectId, key.visitCode, key.formCode, key.repeatKey] as const;
    const unresolved = this.sql(UNRESOLVED_AUTO_SQL).all(...formParams) as { id: number; item_code: string; check_id: string; status: QueryStatus }[];
    const warned = new Map<string, ValidationIssue>();
    for (const w of warnings) {
      // An error a re-checked form now fails is queried too, never on an item blinded roles may not see.
      const queried = raisesQuery(w.checkId) || (errorsToo && w.severity === 'error' && !isAllocationItem(key.formCode, w.fieldId));
      if (queried) warned.set(`${w.checkId}\u0000${w.fieldId}`, w);
    }
    if (unresolved.length === 0 && warned.size === 0) return; // the common save: nothing to raise or close
    const covered = new Set<string>();
    for (const q of unresolved) {
      const k = `${q.check_id}\u0000${q.item_code}`;
      if (warned.has(k)) {
        covered.add(k);
        continue;
      }
      this.sql("UPDATE queries SET status = 'closed', updated_at = ? WHERE id = ?").run(at.utc, q.id);
      this.addMessage(q.id, 'auto_close', AUTO_CLOSE_TEXT, null, at);
      this.auditStep({ id: q.id, ...key, itemCode: q.item_code }, user, 'auto_close', q.status, 'closed', AUTO_CLOSE_TEXT, at, true);
    }
    const lastClosedByMonitor = this.sql(LAST_MONITOR_CLOSE_SQL);
    const lastItemChange = this.sql(LAST_ITEM_CHANGE_SQL);
    for (const [k, w] of warned) {
      if (covered.has(k)) continue;
      if (isVisitWindow(w.checkId) && this.sql(VISIT_WINDOW_HELD_SQL).get(key.subjectId, key.visitCode, key.repeatKey, key.formCode)) continue;
      const closedAt = lastClosedByMonitor.pluck().get(...formParams, w.fieldId, w.checkId) as number | null;
      if (closedAt !== null) {
        const changedAt = lastItemChange.pluck().get(...formParams, w.fieldId) as number | null;
        if (changedAt === null || changedAt < closedAt) continue;
      }
      const id = Number(
        this
          .sql(
            `INSERT INTO queries (subject_id, visit_code, form_code, repeat_key, item_code, origin, check_id, status, text_zh, text_en, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, 'auto', ?, 'open', ?, ?, ?, NULL, ?)`,
          )
          .run(...formParams, w.fieldId, w.checkId, w.message.zh, w.message.en, at.utc, at.utc).lastInsertRowid,
      );
      const text = `${w.message.zh} / ${w.message.en}`;
      this.addMessage(id, 'raise', text, null, at);
      this.auditStep({ id, ...key, itemCode: w.fieldId }, user, 'raise', null, 'open', text, at, true);
    }
  }

  raise(input: FormKey & { itemCode: string; text: string }, user: User): DataQuery {
    requireRole(user, ['monitor']);
    const text = input.text.trim();
    if (!text) fail('BAD_REQUEST', '请填写质疑内容', 'Please write the query text');
    if (isAllocationItem(input.formCode, input.itemCode)) {
      fail('FORBIDDEN', '不能对分组信息发起质疑（盲态保护）', 'Queries on the treatment allocation are not allowed (blinding)');
    }
    const def = FORMS[input.formCode];
    if (!def.fields.some((f) => f.id === input.itemCode) && !def.derived?.some((d) => d.id === input.itemCode)) {
      fail('BAD_REQUEST', `表单“${def.label.zh}”没有数据项 ${input.itemCode}`, `Form "${def.label.en}" has no item ${input.itemCode}`);
    }
    const at = stamp();
    const id = this.db
      .transaction(() => {
        this.screeningNo(input.subjectId);
        const formExists = this.db
          .prepare('SELECT 1 FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?')
          .get(input.subjectId, input.visitCode, input.formCode, input.repeatKey);
        if (!formExists) fail('NOT_FOUND', '该表单尚未保存，不能发起质疑', 'This form has not been saved yet; nothing to query');
        const newId = Number(
          this.db
            .prepare(
              `INSERT INTO queries (subject_id, visit_code, form_code, repeat_key, item_code, origin, check_id, status, text_zh, text_en, created_at, created_by, updated_at)
               VALUES (?, ?, ?, ?, ?, 'manual', NULL, 'open', ?, ?, ?, ?, ?)`,
            )
            .run(input.subjectId, input.visitCode, input.formCode, input.repeatKey, input.itemCode, text, text, at.utc, user.id, at.utc).lastInsertRowid,
        );
        this.addMessage(newId, 'raise', text, user, at);
        this.auditStep({ id: newId, ...input }, user, 'raise', null, 'open', text, at);
        return newId;
      })
      .immediate();
    return this.byId(id);
  }

  private transition(id: number, user: User, kind: QueryMessageKind, from: readonly QueryStatus[], to: QueryStatus, text: string): DataQuery {
    const at = stamp();
    this.db
      .transaction(() => {
        const q = this.byId(id);
        if (!from.includes(q.status)) {
          fail(
            'CONFLICT',
            `质疑 #${id} 当前状态为“${STATUS_LABEL[q.status].zh}”，不能${STEP_ZH[kind]}`,
            `Query #${id} is ${STATUS_LABEL[q.status].en}; it cannot be ${STEP_EN[kind]} now`,
          );
        }
        try {
          this.db.prepare('UPDATE queries SET status = ?, updated_at = ? WHERE id = ?').run(to, at.utc, id);
        } catch (error) {
          if (error instanceof Error && /UNIQUE/.test(error.message)) {
            fail('CONFLICT', '同一核查项已有未关闭的自动质疑，请在那条质疑中处理', 'An unresolved automatic query for the same check already exists; use that one');
          }
          throw error;
        }
        this.addMessage(id, kind, text, user, at);
        this.auditStep(q, user, kind, q.status, to, text, at);
      })
      .immediate();
    return this.byId(id);
  }

  answer(id: number, text: string, user: User): DataQuery {
    requireRole(user, ['data_entry', 'investigator']);
    return this.transition(id, user, 'answer', ['open'], 'answered', requireText(text));
  }

  close(id: number, text: string | undefined, user: User): DataQuery {
    requireRole(user, ['monitor']);
    return this.transition(id, user, 'close', ['open', 'answered'], 'closed', text?.trim() ?? '');
  }

  reopen(id: number, text: string, user: User): DataQuery {
    requireRole(user, ['monitor']);
    return this.transition(id, user, 'reopen', ['answered', 'closed'], 'open', requireText(text));
  }
}

function requireText(text: string): string {
  const trimmed = text.trim();
  return trimmed || fail('BAD_REQUEST', '请填写内容', 'Please write a text');
}

const STEP_ZH: Record<QueryMessageKind, string> = { raise: '发起', answer: '回复', close: '关闭', reopen: '重新打开', auto_close: '自动关闭' };
const STEP_EN: Record<QueryMessageKind, string> = { raise: 'raised', answer: 'answered', close: 'closed', reopen: 're-opened', auto_close: 'closed' };
