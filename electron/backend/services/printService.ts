// The casebook of one subject as the paper trail prints it: every saved form with its values, status, version and
// SDV, the signatures, and the subject's audit trail; always the blinded view (the investigator site file is
// blinded whoever prints it): the export's withheld forms and items are left out and their audit rows redacted.
import type { CasebookPrint } from '../../../shared/api/calls/print';
import type { FormCode, ItemValue, VisitCode } from '../../../shared/protocol/types';
import type { FormStatus } from '../../../shared/protocol/visitStatus';
import type { SubjectStatus } from '../../../shared/protocol/subjectStatus';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import { isWithheldForm, withheldItems } from '../export/studyDefinition';
import { CasebookRepository } from './casebookRepository';

/** Audit actions whose values may carry the allocation (as in the sponsor's audit trail). */
const REDACTED_ACTIONS = new Set(['randomisation', 'unblinding']);

export class PrintService {
  private readonly repo: CasebookRepository;

  constructor(private readonly db: Db) {
    this.repo = new CasebookRepository(db);
  }

  /** Subject ids in screening-number order (the whole-study casebook), without numbers voided as created in error. */
  subjectIds(): number[] {
    return this.db.prepare("SELECT id FROM subjects WHERE status <> 'created_in_error' ORDER BY screening_no").pluck().all() as number[];
  }

  subjectIdOf(screeningNo: string): number {
    const id = this.db.prepare('SELECT id FROM subjects WHERE screening_no = ?').pluck().get(screeningNo) as number | undefined;
    return id ?? fail('NOT_FOUND', `受试者 ${screeningNo} 不存在`, `Subject ${screeningNo} not found`);
  }

  casebook(subjectId: number, generatedBy: string): CasebookPrint {
    const s = this.db.prepare('SELECT * FROM subjects WHERE id = ?').get(subjectId) as
      | { id: number; screening_no: string; rand_no: string | null; kit_no: string | null; status: SubjectStatus; status_date: string | null; status_reason: string | null; status_note: string | null; created_at: string }
      | undefined;
    if (!s) fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
    const hidden = withheldItems();
    const formRows = this.db
      .prepare(
        `SELECT f.id, f.visit_code, f.form_code, f.repeat_key, f.status, f.version, f.updated_at, u.username, u.display_name,
                (SELECT COUNT(*) FROM queries q WHERE q.subject_id = f.subject_id AND q.visit_code = f.visit_code AND q.form_code = f.form_code
                    AND q.repeat_key = f.repeat_key AND q.status <> 'closed') AS open_queries
           FROM form_instances f JOIN users u ON u.id = f.updated_by WHERE f.subject_id = ? ORDER BY f.id`,
      )
      .all(subjectId) as {
      id: number;
      visit_code: VisitCode;
      form_code: FormCode;
      repeat_key: number;
      status: FormStatus;
      version: number;
      updated_at: string;
      username: string;
      display_name: string;
      open_queries: number;
    }[];
    const sdv = this.db.prepare('SELECT item_code FROM sdv_items WHERE form_id = ? ORDER BY item_code').pluck();
    const forms = formRows.map((f) => {
      const all = this.repo.values(f.id);
      const withheld = hidden.get(f.form_code) ?? new Set<string>();
      const data: Record<string, ItemValue> = {};
      if (!isWithheldForm(f.form_code)) for (const [k, v] of Object.entries(all)) if (!withheld.has(k)) data[k] = v;
      return {
        visitCode: f.visit_code,
        formCode: f.form_code,
        repeatKey: f.repeat_key,
        status: f.status,
        version: f.version,
        updatedAtLocal: stamp(new Date(f.updated_at)).local.slice(0, 16),
        updatedBy: f.display_name && f.display_name !== f.username ? `${f.display_name} (${f.username})` : f.username,
        data,
        verifiedItems: (sdv.all(f.id) as string[]).filter((i) => !withheld.has(i)),
        openQueries: f.open_queries,
      };
    });
    const signatures = (
      this.db.prepare('SELECT * FROM signatures WHERE subject_id = ? ORDER BY id').all(subjectId) as {
        scope: 'form' | 'visit' | 'casebook';
        visit_code: VisitCode | null;
        form_code: FormCode | null;
        repeat_key: number | null;
        form_version: number | null;
        username: string;
        display_name: string;
        meaning_zh: string;
        meaning_en: string;
        signed_at_local: string;
      }[]
    ).map((r) => ({
      scope: r.scope,
      visitCode: r.visit_code,
      formCode: r.form_code,
      repeatKey: r.repeat_key,
      formVersion: r.form_version,
      username: r.username,
      displayName: r.display_name,
      meaningZh: r.meaning_zh,
      meaningEn: r.meaning_en,
      signedAtLocal: r.signed_at_local,
    }));
    let redacted = 0;
    const audit = (
      this.db
        .prepare('SELECT at_local, username, action, visit_code, form_code, repeat_key, item_code, old_value, new_value, reason FROM audit_log WHERE subject_id = ? ORDER BY seq')
        .all(subjectId) as {
        at_local: string;
        username: string | null;
        action: string;
        visit_code: string | null;
        form_code: string | null;
        repeat_key: number | null;
        item_code: string | null;
        old_value: string | null;
        new_value: string | null;
        reason: string | null;
      }[]
    ).map((r) => {
      const hide =
        REDACTED_ACTIONS.has(r.action) ||
        (r.form_code !== null && (isWithheldForm(r.form_code) || (r.item_code !== null && (hidden.get(r.form_code)?.has(r.item_code) ?? false))));
      if (hide) redacted++;
      return {
        atLocal: r.at_local,
        username: r.username,
        action: r.action,
        visitCode: r.visit_code,
        formCode: r.form_code,
        repeatKey: r.repeat_key,
        itemCode: r.item_code,
        oldValue: hide ? null : r.old_value,
        newValue: hide ? null : r.new_value,
        reason: r.reason,
      };
    });
    return {
      generatedAtLocal: stamp().local.slice(0, 16),
      generatedBy,
      subject: {
        id: s!.id,
        screeningNo: s!.screening_no,
        randNo: s!.rand_no,
        kitNo: s!.kit_no,
        status: s!.status,
        statusDate: s!.status_date,
        statusReason: s!.status_reason,
        statusNote: s!.status_note,
        createdAtUtc: s!.created_at,
      },
      forms,
      signatures,
      audit,
      withheld: redacted,
    };
  }
}
