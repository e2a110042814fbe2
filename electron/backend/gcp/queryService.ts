// Data queries: raised automatically from warning-level edit checks on save and manually by monitors,
// answered by site staff, closed or re-opened by monitors; every step is a message in the thread and an audit row.
import type { User } from '../../../shared/api/calls/common';
import type { Bilingual, ValidationIssue } from '../../../shared/protocol/types';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { FormKey } from '../services/casebookRepository';
import type { FormService } from '../services/formService';
import { requireRole } from './roleGuard';

export type QueryStatus = 'open' | 'answered' | 'closed';
export type QueryMessageKind = 'raise' | 'answer' | 'close' | 'reopen' | 'auto_close';

export interface QueryMessage {
  kind: QueryMessageKind;
  text: string;
  username: string | null;
  atUtc: string;
}

export interface DataQuery extends FormKey {
  id: number;
  screeningNo: string;
  itemCode: string;
  origin: 'auto' | 'manual';
  checkId: string | null;
  status: QueryStatus;
  text: Bilingual;
  createdAt: string;
  updatedAt: string;
  messages: QueryMessage[];
}

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

const AUTO_CLOSE_TEXT = 'Value no longer triggers the check (closed automatically on save) / 数据修改后不再触发核查，系统自动关闭';

const SELECT = `SELECT q.*, s.screening_no FROM queries q JOIN subjects s ON s.id = q.subject_id`;

export class QueryService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  /** Subscribes to form saves: raises one query per warning (check + item), closes those that no longer warn. */
  attach(forms: FormService): void {
    forms.onSave(({ key, user, warnings }) => this.syncAutomatic(key, user, warnings));
  }

  private messages(queryIds: number[]): Map<number, QueryMessage[]> {
    const map = new Map<number, QueryMessage[]>();
    if (queryIds.length === 0) return map;
    const rows = this.db
      .prepare(`SELECT query_id, kind, text, username, at_utc FROM query_messages WHERE query_id IN (${queryIds.map(() => '?').join(',')}) ORDER BY id`)
      .all(...queryIds) as { query_id: number; kind: QueryMessageKind; text: string; username: string | null; at_utc: string }[];
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
    return this.toQueries(row ? [row] : [])[0] ?? fail('NOT_FOUND', `质疑 ${id} 不存在`, `Query ${id} not found`);
  }

  list(filter: { status?: QueryStatus | 'unresolved' | undefined; subjectId?: number | undefined }): DataQuery[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status === 'unresolved') where.push("q.status <> 'closed'");
    else if (filter.status) {
      where.push('q.status = ?');
      params.push(filter.status);
    }
    if (filter.subjectId) {
      where.push('q.subject_id = ?');
      params.push(filter.subjectId);
    }
    const rows = this.db
      .prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.status = 'closed', q.updated_at DESC, q.id DESC LIMIT 2000`)
      .all(...params) as QueryRow[];
    return this.toQueries(rows);
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

  private addMessage(queryId: number, kind: QueryMessageKind, text: string, user: User | null, at: string): void {
    this.db
      .prepare('INSERT INTO query_messages (query_id, kind, text, user_id, username, at_utc) VALUES (?, ?, ?, ?, ?, ?)')
      .run(queryId, kind, text, user?.id ?? null, user?.username ?? null, at);
  }

  private auditQuery(q: Pick<DataQuery, 'id' | 'subjectId' | 'visitCode' | 'formCode' | 'repeatKey' | 'itemCode'>, user: User, kind: QueryMessageKind, from: QueryStatus | null, to: QueryStatus, text: string, at = stamp()) {
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
        reason: text,
        details: { queryId: q.id, step: kind },
      },
      at,
    );
  }

  /** Runs inside the form save transaction. */
  syncAutomatic(key: FormKey, user: User, warnings: ValidationIssue[]): void {
    const at = stamp();
    const open = this.db
      .prepare(
        `SELECT id, item_code, check_id, status FROM queries WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?
          AND origin = 'auto' AND status <> 'closed'`,
      )
      .all(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as { id: number; item_code: string; check_id: string; status: QueryStatus }[];
    const current = new Set(warnings.map((w) => `${w.checkId}\u0000${w.fieldId}`));
    const existing = new Set(open.map((q) => `${q.check_id}\u0000${q.item_code}`));
    for (const q of open) {
      if (current.has(`${q.check_id}\u0000${q.item_code}`)) continue;
      this.db.prepare("UPDATE queries SET status = 'closed', updated_at = ? WHERE id = ?").run(at.utc, q.id);
      this.addMessage(q.id, 'auto_close', AUTO_CLOSE_TEXT, user, at.utc);
      this.auditQuery({ id: q.id, ...key, itemCode: q.item_code }, user, 'auto_close', q.status, 'closed', AUTO_CLOSE_TEXT, at);
    }
    for (const w of warnings) {
      const k = `${w.checkId}\u0000${w.fieldId}`;
      if (existing.has(k)) continue;
      existing.add(k);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO queries (subject_id, visit_code, form_code, repeat_key, item_code, origin, check_id, status, text_zh, text_en, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, 'auto', ?, 'open', ?, ?, ?, NULL, ?)`,
          )
          .run(key.subjectId, key.visitCode, key.formCode, key.repeatKey, w.fieldId, w.checkId, w.message.zh, w.message.en, at.utc, at.utc).lastInsertRowid,
      );
      const text = `${w.message.zh} / ${w.message.en}`;
      this.addMessage(id, 'raise', text, null, at.utc);
      this.auditQuery({ id, ...key, itemCode: w.fieldId }, user, 'raise', null, 'open', text, at);
    }
  }

  raise(key: FormKey & { itemCode: string; text: string }, user: User): DataQuery {
    requireRole(user, ['monitor']);
    const at = stamp();
    const id = this.db.transaction(() => {
      this.screeningNo(key.subjectId);
      const newId = Number(
        this.db
          .prepare(
            `INSERT INTO queries (subject_id, visit_code, form_code, repeat_key, item_code, origin, check_id, status, text_zh, text_en, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, 'manual', NULL, 'open', ?, ?, ?, ?, ?)`,
          )
          .run(key.subjectId, key.visitCode, key.formCode, key.repeatKey, key.itemCode, key.text, key.text, at.utc, user.id, at.utc).lastInsertRowid,
      );
      this.addMessage(newId, 'raise', key.text, user, at.utc);
      this.auditQuery({ id: newId, ...key }, user, 'raise', null, 'open', key.text, at);
      return newId;
    }).immediate();
    return this.byId(id);
  }

  private transition(id: number, user: User, kind: QueryMessageKind, from: readonly QueryStatus[], to: QueryStatus, text: string): DataQuery {
    const at = stamp();
    this.db.transaction(() => {
      const q = this.byId(id);
      if (!from.includes(q.status)) {
        fail(
          'CONFLICT',
          `质疑 #${id} 当前状态为“${STATUS_ZH[q.status]}”，不能执行此操作`,
          `Query #${id} is ${q.status}; this step is not possible now`,
        );
      }
      try {
        this.db.prepare('UPDATE queries SET status = ?, updated_at = ? WHERE id = ?').run(to, at.utc, id);
      } catch (error) {
        if (error instanceof Error && /UNIQUE/.test(error.message)) {
          fail('CONFLICT', '同一核查项已有未关闭的自动质疑', 'An unresolved automatic query for the same check already exists');
        }
        throw error;
      }
      this.addMessage(id, kind, text, user, at.utc);
      this.auditQuery(q, user, kind, q.status, to, text, at);
    }).immediate();
    return this.byId(id);
  }

  answer(id: number, text: string, user: User): DataQuery {
    requireRole(user, ['data_entry', 'investigator']);
    return this.transition(id, user, 'answer', ['open'], 'answered', text);
  }

  close(id: number, text: string, user: User): DataQuery {
    requireRole(user, ['monitor']);
    return this.transition(id, user, 'close', ['open', 'answered'], 'closed', text);
  }

  reopen(id: number, text: string, user: User): DataQuery {
    requireRole(user, ['monitor']);
    return this.transition(id, user, 'reopen', ['answered', 'closed'], 'open', text);
  }
}

const STATUS_ZH: Record<QueryStatus, string> = { open: '待回复', answered: '已回复', closed: '已关闭' };
