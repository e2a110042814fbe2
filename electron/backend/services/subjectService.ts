// Subjects: creation with the next screening number, the subject list with per-visit status, one subject.
import type { User } from '../../../shared/api/calls/common';
import type { SubjectList, SubjectListRow, SubjectListVersion, SubjectSummary } from '../../../shared/api/calls/subjects';
import { SCHEDULED_VISIT_CODES, encodeVisitStatuses } from '../../../shared/protocol/subjectListCodec';
import { STUDY, formsForVisit } from '../../../shared/protocol/study';
import type { VisitCode } from '../../../shared/protocol/types';
import { nextDueVisit, visitStatusFromForms, type FormStatus, type VisitStatus } from '../../../shared/protocol/visitStatus';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import { demogBySubject } from './subjectDemog';
import { CasebookRepository } from './casebookRepository';
import { roleNames } from './formService';
import { findForms, subjectFacts } from '../../../shared/protocol/casebook';
import { isIsoDate } from '../../../shared/rules/dates';
import { STATUS_REASONS, TRANSITIONS, isOffSchedule, noteRequired, type StatusChange, type SubjectStatus } from '../../../shared/protocol/subjectStatus';

export interface StatusChangeInput {
  subjectId: number;
  to: StatusChange;
  date: string;
  reason: string;
  note?: string | undefined;
}

/** A status as the error messages name it. */
const STATUS_NAMES: Record<SubjectStatus, { zh: string; en: string }> = {
  screening: { zh: '筛选中', en: 'in screening' },
  screen_failed: { zh: '筛选失败', en: 'a screen failure' },
  randomised: { zh: '已随机', en: 'randomised' },
  completed: { zh: '已完成', en: 'completed' },
  withdrawn: { zh: '已退出', en: 'withdrawn' },
  created_in_error: { zh: '误建作废', en: 'void (created in error)' },
};

interface SubjectRow {
  id: number;
  screening_no: string;
  rand_no: string | null;
  kit_no: string | null;
  status: SubjectSummary['status'];
  created_at: string;
  status_date: string | null;
  status_reason: string | null;
  status_note: string | null;
}

/** What the list and the summary are made of: the subject row, its visit statuses and its Day 0 date (no today in it). */
interface SubjectFacts {
  row: SubjectRow;
  visits: VisitStatus[];
  day0: string | null;
  /** An UNBLIND form exists (emergency unblinding; the form is written only by the unblinding service). */
  unblinded: boolean;
}

/** The scheduled visits (not the any-time log) with the form codes each expects. */
const SCHEDULED = SCHEDULED_VISIT_CODES.map((code) => ({ code, expected: formsForVisit(code).map((f) => f.code) }));

export function screeningNumber(site: string, n: number): string {
  return `${site}-S${String(n).padStart(3, '0')}`;
}

/** The whole-study list as last built, and the audit head it reflects; sorted is dropped whenever rows change. */
interface ListCache {
  head: number;
  headHash: string | null;
  rows: Map<number, SubjectListRow>;
  sorted: SubjectListRow[] | null;
}

/** Above this many changed subjects the list is rebuilt in one pass rather than subject by subject. */
const MAX_INCREMENTAL = 500;

export class SubjectService {
  private listCache: ListCache | null = null;

  private readonly casebooks: CasebookRepository;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly today: () => string = () => stamp().local.slice(0, 10),
  ) {
    this.casebooks = new CasebookRepository(db);
  }

  create(user: User): SubjectSummary {
    const at = stamp();
    const id = this.db.transaction(() => {
      const count = this.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number;
      const screeningNo = screeningNumber(STUDY.site, count + 1);
      const newId = Number(
        this.db
          .prepare('INSERT INTO subjects (screening_no, site, created_at, created_by) VALUES (?, ?, ?, ?)')
          .run(screeningNo, STUDY.site, at.utc, user.id).lastInsertRowid,
      );
      this.audit.append(
        { userId: user.id, username: user.username, action: 'subject.create', subjectId: newId, screeningNo, newValue: screeningNo },
        at,
      );
      return newId;
    }).immediate();
    return this.get(id);
  }

  /**
   * Records a change of study status (screen failure, withdrawal, completion, created in error) with its date, reason
   * and note, under the role and status rules of shared/protocol/subjectStatus.ts; audited in the same transaction.
   */
  changeStatus(input: StatusChangeInput, user: User): SubjectSummary {
    const rule = TRANSITIONS[input.to];
    const label = rule.label;
    if (!rule.roles.includes(user.role)) {
      const who = roleNames(rule.roles);
      fail('FORBIDDEN', `「${label.zh}」只能由${who.zh}记录`, `${label.en} may only be recorded by the ${who.en}`);
    }
    const reasons = STATUS_REASONS[input.to] as Record<string, { zh: string; en: string }>;
    const reason = reasons[input.reason];
    if (!reason) fail('BAD_REQUEST', `「${label.zh}」的原因不在列表中`, `That is not a reason for ${label.en.toLowerCase()}`);
    const note = input.note?.trim() ?? '';
    if (!note && noteRequired(input.to, input.reason)) fail('BAD_REQUEST', '请填写说明', 'Please write a note saying why');
    const day = this.today();
    if (!isIsoDate(input.date)) fail('BAD_REQUEST', `日期 ${input.date} 无效`, `${input.date} is not a valid date`);
    if (input.date > day) fail('BAD_REQUEST', `日期 ${input.date} 晚于今天 ${day}`, `The date ${input.date} is after today ${day}`);
    const at = stamp();
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT screening_no, status FROM subjects WHERE id = ?').get(input.subjectId) as { screening_no: string; status: SubjectStatus } | undefined;
      if (!row) fail('NOT_FOUND', `受试者 ${input.subjectId} 不存在`, `Subject ${input.subjectId} not found`);
      if (!rule.from.includes(row!.status)) {
        const now = STATUS_NAMES[row!.status];
        fail('CONFLICT', `受试者当前为「${now.zh}」，不能记录「${label.zh}」`, `The subject is ${now.en}; ${label.en.toLowerCase()} cannot be recorded`);
      }
      this.checkStatusFacts(input);
      this.db
        .prepare('UPDATE subjects SET status = ?, status_date = ?, status_reason = ?, status_note = ? WHERE id = ?')
        .run(input.to, input.date, input.reason, note || null, input.subjectId);
      this.audit.append(
        {
          userId: user.id,
          username: user.username,
          action: 'subject.update',
          subjectId: input.subjectId,
          screeningNo: row!.screening_no,
          itemCode: 'status',
          oldValue: row!.status,
          newValue: input.to,
          reason: `${reason!.zh} / ${reason!.en}${note ? `: ${note}` : ''}`,
          details: { date: input.date, reason: input.reason, note: note || null },
        },
        at,
      );
    }).immediate();
    return this.get(input.subjectId);
  }

  /** What the casebook must say before a change: consent before a screen failure, Day 0 before a withdrawal, … */
  private checkStatusFacts(input: StatusChangeInput): void {
    const casebook = this.casebooks.casebook(input.subjectId);
    const facts = subjectFacts(casebook);
    if (input.to === 'created_in_error') {
      const forms = this.db.prepare('SELECT COUNT(*) FROM form_instances WHERE subject_id = ?').pluck().get(input.subjectId) as number;
      if (forms > 0) {
        fail(
          'CONFLICT',
          `该受试者已有 ${forms} 份已保存的表单，不能作废；如未入组，请记录筛选失败`,
          `This subject has ${forms} saved form(s) and cannot be voided; record a screen failure if they were not enrolled`,
        );
      }
      return;
    }
    if (facts.consentDate && input.date < facts.consentDate) {
      fail('BAD_REQUEST', `日期 ${input.date} 早于知情同意日期 ${facts.consentDate}`, `The date ${input.date} is before the consent date ${facts.consentDate}`);
    }
    if ((input.to === 'withdrawn' || input.to === 'completed') && facts.day0Date && input.date < facts.day0Date) {
      fail('BAD_REQUEST', `日期 ${input.date} 早于第 0 天 ${facts.day0Date}`, `The date ${input.date} is before Day 0 ${facts.day0Date}`);
    }
    if (input.to === 'completed' && !findForms(casebook, 'EOS').some((f) => f.data.status === 'completed')) {
      fail('CONFLICT', '请先填写研究结束表（完成研究），再记录完成', 'Enter the end-of-study form (completed) before recording completion');
    }
  }

  /**
   * The list screen's rows (all, or those whose screening or randomisation number contains search) and today's date.
   * With since (the version of a whole list the caller holds, same audit history): only the subjects with audit rows
   * after it, unless that is more than MAX_INCREMENTAL of them.
   */
  list(search?: string, since?: SubjectListVersion): SubjectList {
    const today = this.today();
    if (search?.trim()) {
      const rows = this.facts({ search }).map(listRow);
      return { today, version: null, complete: true, count: rows.length, rows };
    }
    const rows = this.wholeList();
    const c = this.listCache!;
    const version = { seq: c.head, hash: c.headHash };
    if (since && since.seq <= c.head && (this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(since.seq) ?? null) === since.hash) {
      const changed = this.db
        .prepare('SELECT DISTINCT subject_id FROM audit_log WHERE seq > ? AND seq <= ? AND subject_id IS NOT NULL ORDER BY subject_id')
        .pluck()
        .all(since.seq, c.head) as number[];
      if (changed.length <= MAX_INCREMENTAL) {
        const delta = changed.map((id) => c.rows.get(id)).filter((r): r is SubjectListRow => r !== undefined);
        return { today, version, complete: false, count: rows.length, rows: delta };
      }
    }
    return { today, version, complete: true, count: rows.length, rows };
  }

  /**
   * The unfiltered list (10,000 rows take seconds to build): rebuilt only for the subjects that have audit rows
   * since the last call. Every change that shows in a list row (subject, forms and their status, D0 date, queries)
   * is audited with its subject id, from this or any other connection. A different head row (restore) or a row
   * count that does not match rebuilds everything. Rows hold no date-dependent values, so a new day changes nothing.
   */
  private wholeList(): SubjectListRow[] {
    const head = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const c = this.listCache;
    const sameHistory =
      c !== null && (head?.seq ?? 0) >= c.head &&
      (this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(c.head) ?? null) === c.headHash;
    if (c && sameHistory && (head?.seq ?? 0) > c.head) {
      const changed = this.db
        .prepare('SELECT DISTINCT subject_id FROM audit_log WHERE seq > ? AND subject_id IS NOT NULL')
        .pluck()
        .all(c.head) as number[];
      if (changed.length <= MAX_INCREMENTAL) {
        for (const f of this.facts({ ids: changed })) c.rows.set(f.row.id, listRow(f));
        c.head = head!.seq;
        c.headHash = head!.hash;
        c.sorted = null;
      }
    }
    const count = this.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number;
    if (!c || !sameHistory || c.head !== (head?.seq ?? 0) || c.rows.size !== count) {
      const rows = this.facts({}).map(listRow);
      this.listCache = { head: head?.seq ?? 0, headHash: head?.hash ?? null, rows: new Map(rows.map((r) => [r.id, r])), sorted: rows };
      return rows;
    }
    return (c.sorted ??= [...c.rows.values()].sort((a, b) => a.id - b.id));
  }

  get(subjectId: number): SubjectSummary {
    const f = this.facts({ ids: [subjectId] })[0] ?? fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
    const visits = SCHEDULED_VISIT_CODES.map((visitCode, i) => ({ visitCode, status: f.visits[i]! }));
    return {
      id: f.row.id,
      screeningNo: f.row.screening_no,
      randNo: f.row.rand_no,
      kitNo: f.row.kit_no,
      status: f.row.status,
      createdAt: f.row.created_at,
      visits,
      unblinded: f.unblinded,
      statusChange: f.row.status_date ? { date: f.row.status_date, reason: f.row.status_reason ?? '', note: f.row.status_note } : null,
      nextVisit: f.day0 && !isOffSchedule(f.row.status) ? nextDueVisit(visits, f.day0, this.today()) : null,
    };
  }

  visitDates(subjectId: number): { visitCode: VisitCode; visitDate: string | null }[] {
    return this.db
      .prepare('SELECT visit_code AS visitCode, visit_date AS visitDate FROM visits WHERE subject_id = ? ORDER BY visit_code')
      .all(subjectId) as { visitCode: VisitCode; visitDate: string | null }[];
  }

  formSummaries(subjectId: number) {
    return this.db
      .prepare(
        `SELECT visit_code AS visitCode, form_code AS formCode, repeat_key AS repeatKey, status, version, updated_at AS updatedAt
           FROM form_instances WHERE subject_id = ? ORDER BY id`,
      )
      .all(subjectId) as { visitCode: VisitCode; formCode: string; repeatKey: number; status: FormStatus; version: number; updatedAt: string }[];
  }

  /** Gathers subject facts with three queries, however many subjects there are. */
  private facts(filter: { ids?: number[]; search?: string | undefined }): SubjectFacts[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.ids) {
      where.push(`id IN (${filter.ids.map(() => '?').join(',')})`);
      params.push(...filter.ids);
    }
    const search = filter.search?.trim();
    if (search) {
      where.push('(screening_no LIKE ? OR rand_no LIKE ?)');
      params.push(`%${search}%`, `%${search}%`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const subjects = this.db
      .prepare(`SELECT id, screening_no, rand_no, kit_no, status, created_at, status_date, status_reason, status_note FROM subjects ${clause} ORDER BY id`)
      .all(...params) as SubjectRow[];
    if (subjects.length === 0) return [];
    // One pass over the form rows, grouped by subject and visit (the list must stay fast at 10,000 subjects);
    // a form is queried while it has an open or answered query (an index probe on queries_form per form row).
    const formsByVisit = new Map<string, { formCode: string; status: FormStatus; queried: boolean }[]>();
    const day0BySubject = new Map<number, string>();
    const some = filter.ids || search ? ` AND subject_id IN (${subjects.map(() => '?').join(',')})` : '';
    const someIds = filter.ids || search ? subjects.map((s) => s.id) : [];
    const formRows = this.db
      .prepare(
        `SELECT f.subject_id, f.visit_code, f.form_code, f.status,
                EXISTS (SELECT 1 FROM queries q WHERE q.subject_id = f.subject_id AND q.visit_code = f.visit_code
                           AND q.form_code = f.form_code AND q.repeat_key = f.repeat_key AND q.status <> 'closed') AS queried
           FROM form_instances f
          WHERE f.visit_code <> 'LOG'${some.replace('subject_id', 'f.subject_id')}`,
      )
      .raw()
      .iterate(...someIds) as IterableIterator<[number, VisitCode, string, FormStatus, number]>;
    for (const [subjectId, visitCode, formCode, status, queried] of formRows) {
      const key = `${subjectId}|${visitCode}`;
      let list = formsByVisit.get(key);
      if (!list) formsByVisit.set(key, (list = []));
      list.push({ formCode, status, queried: queried > 0 });
    }
    for (const row of this.db.prepare(`SELECT subject_id, visit_date FROM visits WHERE visit_code = 'D0' AND visit_date IS NOT NULL${some}`).all(...someIds) as {
      subject_id: number;
      visit_date: string;
    }[]) {
      day0BySubject.set(row.subject_id, row.visit_date);
    }
    // Day 0 is the RAND form's date, as the casebook reads it (subjectFacts): a RAND saved without the list's
    // randomisation (before a list exists) has no D0 visit row, and its visits are due all the same.
    for (const row of this.db
      .prepare(
        `SELECT f.subject_id, json_extract(v.value, '$') AS d FROM form_instances f JOIN item_values v ON v.form_id = f.id
          WHERE f.form_code = 'RAND' AND f.visit_code = 'D0' AND v.item_code = 'randDate'${some.replace('subject_id', 'f.subject_id')}`,
      )
      .all(...someIds) as { subject_id: number; d: unknown }[]) {
      if (typeof row.d === 'string' && !day0BySubject.has(row.subject_id)) day0BySubject.set(row.subject_id, row.d);
    }
    // A pregnancy test is expected at screening only for a woman of childbearing potential.
    const demog = demogBySubject(this.db, filter.ids || search ? someIds : undefined);
    const unblinded = new Set(
      this.db
        .prepare(`SELECT subject_id FROM form_instances WHERE visit_code = 'LOG' AND form_code = 'UNBLIND'${some}`)
        .pluck()
        .all(...someIds) as number[],
    );
    return subjects.map((row) => ({
      row,
      visits: SCHEDULED.map(({ code, expected }) => visitStatusFromForms(expected, formsByVisit.get(`${row.id}|${code}`) ?? [], demog.get(row.id))),
      day0: day0BySubject.get(row.id) ?? null,
      unblinded: unblinded.has(row.id),
    }));
  }
}

function listRow(f: SubjectFacts): SubjectListRow {
  const row: SubjectListRow = { id: f.row.id, screeningNo: f.row.screening_no, randNo: f.row.rand_no, status: f.row.status, visits: encodeVisitStatuses(f.visits), day0: f.day0 };
  if (f.unblinded) row.unblinded = true;
  return row;
}
