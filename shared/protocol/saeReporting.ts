// The 24-hour reporting clock of a serious adverse event (amendment 1, rule 6): due 24 h after the investigator became
// aware (ward time, Asia/Shanghai); reported on time, late, still due, or overdue, to the sponsor and to the ethics
// committee. Report dates are dates only: a report dated the awareness day or the next is within 24 h.
import type { FormData } from './types';
import { dateValue, stringValue } from './formValues';
import { susar } from './forms/AE';
import { addDays } from '../rules/dates';

export type ReportState = 'reported' | 'reported_late' | 'due' | 'overdue' | 'unknown';

export interface SaeClock {
  /** 'YYYY-MM-DD HH:MM' ward time, or null while the awareness date or time is missing. */
  awareAt: string | null;
  dueAt: string | null;
  sponsor: ReportState;
  ethics: ReportState;
  susar: number | null;
}

/** One report's state against the deadline; `now` is the ward's 'YYYY-MM-DD HH:MM'. */
function reportState(reported: string | null, awareDate: string | null, dueAt: string | null, now: string): ReportState {
  if (!awareDate || !dueAt) return 'unknown';
  if (reported) return reported <= (addDays(awareDate, 1) ?? awareDate) ? 'reported' : 'reported_late';
  return now > dueAt ? 'overdue' : 'due';
}

/** The SAE's clock at `now` (ward time 'YYYY-MM-DD HH:MM'). */
export function saeClock(ae: FormData, now: string): SaeClock {
  const date = dateValue(ae, 'awarenessDate');
  const time = stringValue(ae, 'awarenessTime');
  const awareAt = date && time ? `${date} ${time}` : null;
  const dueAt = date && time ? `${addDays(date, 1)} ${time}` : null;
  return {
    awareAt,
    dueAt,
    sponsor: reportState(dateValue(ae, 'reportedSponsorDate'), date, dueAt, now),
    ethics: reportState(dateValue(ae, 'reportedEcDate'), date, dueAt, now),
    susar: susar(ae),
  };
}
