// The serious adverse events of the study and their 24-hour reporting clocks, for the investigator's SAE list.
import type { SaeRow } from '../../../shared/api/calls/safety';
import { saeClock } from '../../../shared/protocol/saeReporting';
import { dateValue, stringValue } from '../../../shared/protocol/formValues';
import type { FormData } from '../../../shared/protocol/types';
import { now, stamp } from '../audit/clock';
import type { Db } from '../db/connection';

const ORDER: Record<SaeRow['sponsor'], number> = { overdue: 0, due: 1, unknown: 2, reported_late: 3, reported: 4 };

export class SafetyService {
  constructor(private readonly db: Db) {}

  /** Serious AEs (serious = yes), overdue first, then due, then by awareness. */
  saes(): { now: string; rows: SaeRow[] } {
    const wardNow = stamp(now()).local.slice(0, 16);
    const rows = this.db
      .prepare(
        `SELECT f.subject_id AS subjectId, s.screening_no AS screeningNo, f.repeat_key AS repeatKey,
                (SELECT json_group_object(v.item_code, json(v.value)) FROM item_values v WHERE v.form_id = f.id) AS data
           FROM form_instances f JOIN subjects s ON s.id = f.subject_id
          WHERE f.form_code = 'AE'
            AND EXISTS (SELECT 1 FROM item_values v WHERE v.form_id = f.id AND v.item_code = 'serious' AND v.value = 'true')`,
      )
      .all() as { subjectId: number; screeningNo: string; repeatKey: number; data: string }[];
    const out = rows.map((r): SaeRow => {
      const d = JSON.parse(r.data) as FormData;
      const clock = saeClock(d, wardNow);
      return {
        subjectId: r.subjectId,
        screeningNo: r.screeningNo,
        repeatKey: r.repeatKey,
        term: stringValue(d, 'term'),
        grade: stringValue(d, 'grade'),
        onsetDate: dateValue(d, 'onsetDate'),
        awareAt: clock.awareAt,
        dueAt: clock.dueAt,
        reportedSponsorDate: dateValue(d, 'reportedSponsorDate'),
        reportedEcDate: dateValue(d, 'reportedEcDate'),
        sponsor: clock.sponsor,
        ethics: clock.ethics,
        expectedness: stringValue(d, 'expectedness'),
        susar: clock.susar,
      };
    });
    const rank = (r: SaeRow) => Math.min(ORDER[r.sponsor], ORDER[r.ethics]);
    out.sort((a, b) => rank(a) - rank(b) || (a.awareAt ?? '').localeCompare(b.awareAt ?? '') || a.subjectId - b.subjectId || a.repeatKey - b.repeatKey);
    return { now: wardNow, rows: out };
  }
}
