// Subjects: creation with the next screening number, the subject list with per-visit status, one subject.
import type { User } from '../../../shared/api/calls/common';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { STUDY, VISITS, formsForVisit } from '../../../shared/protocol/study';
import type { VisitCode } from '../../../shared/protocol/types';
import { nextDueVisit, visitStatusFromForms, type FormStatus } from '../../../shared/protocol/visitStatus';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';

interface SubjectRow {
  id: number;
  screening_no: string;
  rand_no: string | null;
  kit_no: string | null;
  status: SubjectSummary['status'];
  created_at: string;
}

/** The scheduled visits (not the any-time log) with the form codes each expects. */
const SCHEDULED = VISITS.filter((v) => v.code !== 'LOG').map((v) => ({ code: v.code, expected: formsForVisit(v.code).map((f) => f.code) }));

export function screeningNumber(site: string, n: number): string {
  return `${site}-S${String(n).padStart(3, '0')}`;
}

/** The whole-study list as last built, and the audit head it reflects. */
interface ListCache {
  head: number;
  headHash: string | null;
  today: string;
  rows: Map<number, SubjectSummary>;
}

/** Above this many changed subjects the list is rebuilt in one pass rather than subject by subject. */
const MAX_INCREMENTAL = 500;

export class SubjectService {
  private listCache: ListCache | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly today: () => string = () => stamp().local.slice(0, 10),
  ) {}

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
    return this.summaries({ ids: [id] })[0]!;
  }

  /** Changes the subject's study status (screen failure, completed, withdrawn), audited with a reason. */
  setStatus(subjectId: number, status: SubjectSummary['status'], user: User, reason: string): void {
    const at = stamp();
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT screening_no, status FROM subjects WHERE id = ?').get(subjectId) as
        | { screening_no: string; status: string }
        | undefined;
      if (!row) fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
      if (row!.status === status) return;
      this.db.prepare('UPDATE subjects SET status = ? WHERE id = ?').run(status, subjectId);
      this.audit.append(
        { userId: user.id, username: user.username, action: 'subject.update', subjectId, screeningNo: row!.screening_no, itemCode: 'status', oldValue: row!.status, newValue: status, reason },
        at,
      );
    }).immediate();
  }

  list(search?: string): SubjectSummary[] {
    return search?.trim() ? this.summaries({ search }) : this.wholeList();
  }

  /**
   * The unfiltered list (10,000 rows take seconds to build): rebuilt only for the subjects that have audit rows
   * since the last call. Every change that shows in a list row (subject, forms and their status, D0 date, queries)
   * is audited with its subject id, from this or any other connection. A different head row (restore), a new day
   * or a row count that does not match rebuilds everything.
   */
  private wholeList(): SubjectSummary[] {
    const head = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const today = this.today();
    const c = this.listCache;
    const sameHistory =
      c !== null && c.today === today && (head?.seq ?? 0) >= c.head &&
      (this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(c.head) ?? null) === c.headHash;
    if (c && sameHistory && (head?.seq ?? 0) > c.head) {
      const changed = this.db
        .prepare('SELECT DISTINCT subject_id FROM audit_log WHERE seq > ? AND subject_id IS NOT NULL')
        .pluck()
        .all(c.head) as number[];
      if (changed.length <= MAX_INCREMENTAL) {
        for (const row of this.summaries({ ids: changed })) c.rows.set(row.id, row);
        c.head = head!.seq;
        c.headHash = head!.hash;
      }
    }
    const count = this.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number;
    if (!c || !sameHistory || c.head !== (head?.seq ?? 0) || c.rows.size !== count) {
      const rows = this.summaries({});
      this.listCache = { head: head?.seq ?? 0, headHash: head?.hash ?? null, today, rows: new Map(rows.map((r) => [r.id, r])) };
      return rows;
    }
    return [...c.rows.values()].sort((a, b) => a.id - b.id);
  }

  get(subjectId: number): SubjectSummary {
    return this.summaries({ ids: [subjectId] })[0] ?? fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
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

  /** Builds list rows with two queries, however many subjects there are. */
  private summaries(filter: { ids?: number[]; search?: string | undefined }): SubjectSummary[] {
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
      .prepare(`SELECT id, screening_no, rand_no, kit_no, status, created_at FROM subjects ${clause} ORDER BY id`)
      .all(...params) as SubjectRow[];
    if (subjects.length === 0) return [];
    // One pass over the form rows, grouped by subject and visit (the list must stay fast at 10,000 subjects);
    // a form is queried while it has an open or answered query (an index probe on queries_form per form row).
    const formsByVisit = new Map<string, { formCode: string; status: FormStatus; queried: boolean }[]>();
    const day0BySubject = new Map<number, string>();
    const formRows = this.db
      .prepare(
        `SELECT f.subject_id, f.visit_code, f.form_code, f.status,
                EXISTS (SELECT 1 FROM queries q WHERE q.subject_id = f.subject_id AND q.visit_code = f.visit_code
                           AND q.form_code = f.form_code AND q.repeat_key = f.repeat_key AND q.status <> 'closed') AS queried
           FROM form_instances f
          WHERE f.visit_code <> 'LOG' ${filter.ids || search ? `AND f.subject_id IN (${subjects.map(() => '?').join(',')})` : ''}`,
      )
      .raw()
      .iterate(...(filter.ids || search ? subjects.map((s) => s.id) : [])) as IterableIterator<[number, VisitCode, string, FormStatus, number]>;
    for (const [subjectId, visitCode, formCode, status, queried] of formRows) {
      const key = `${subjectId}|${visitCode}`;
      let list = formsByVisit.get(key);
      if (!list) formsByVisit.set(key, (list = []));
      list.push({ formCode, status, queried: queried > 0 });
    }
    for (const row of this.db.prepare("SELECT subject_id, visit_date FROM visits WHERE visit_code = 'D0' AND visit_date IS NOT NULL").all() as {
      subject_id: number;
      visit_date: string;
    }[]) {
      day0BySubject.set(row.subject_id, row.visit_date);
    }
    const today = this.today();
    return subjects.map((s) => {
      const visits = SCHEDULED.map(({ code, expected }) => ({
        visitCode: code,
        status: visitStatusFromForms(expected, formsByVisit.get(`${s.id}|${code}`) ?? []),
      }));
      const day0 = day0BySubject.get(s.id) ?? null;
      return {
        id: s.id,
        screeningNo: s.screening_no,
        randNo: s.rand_no,
        kitNo: s.kit_no,
        status: s.status,
        createdAt: s.created_at,
        visits,
        nextVisit: day0 ? nextDueVisit(visits, day0, today) : null,
      };
    });
  }
}
