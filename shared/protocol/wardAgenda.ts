// The ward's day from the subject list: which subject's next visit is overdue, can be done today (its window is
// open) or opens this week; and the list's filters and sort orders. Pure, from the compact list rows and today.
import { addDays, daysBetween } from '../rules/dates';
import { listRowNextVisit } from './subjectListCodec';
import type { SubjectStatus } from './subjectStatus';
import type { DueVisit } from './visitStatus';

export type DueBucket = 'overdue' | 'now' | 'week';

export interface AgendaRow {
  id: number;
  screeningNo: string;
  randNo: string | null;
  status: SubjectStatus;
  visits: string;
  day0: string | null;
}

export interface AgendaEntry<R extends AgendaRow = AgendaRow> {
  row: R;
  visit: DueVisit;
  bucket: DueBucket;
  /** overdue: days past the window's end; now: days until it closes; week: days until it opens. */
  days: number;
}

/** Where a subject's next visit stands today; null when none is due this week (or the subject left the study). */
export function agendaEntry<R extends AgendaRow>(row: R, today: string): AgendaEntry<R> | null {
  const visit = listRowNextVisit(row, today);
  if (!visit) return null;
  if (today > visit.to) return { row, visit, bucket: 'overdue', days: daysBetween(visit.to, today) };
  if (today >= visit.from) return { row, visit, bucket: 'now', days: daysBetween(today, visit.to) };
  const opensIn = daysBetween(today, visit.from);
  return opensIn <= 6 ? { row, visit, bucket: 'week', days: opensIn } : null;
}

/** The day's lists: overdue (longest overdue first), open today (closing soonest first), opening this week. */
export function wardAgenda<R extends AgendaRow>(rows: readonly R[], today: string): Record<DueBucket, AgendaEntry<R>[]> {
  const out: Record<DueBucket, AgendaEntry<R>[]> = { overdue: [], now: [], week: [] };
  for (const row of rows) {
    const e = agendaEntry(row, today);
    if (e) out[e.bucket].push(e);
  }
  out.overdue.sort((a, b) => b.days - a.days || a.row.screeningNo.localeCompare(b.row.screeningNo));
  out.now.sort((a, b) => a.days - b.days || a.row.screeningNo.localeCompare(b.row.screeningNo));
  out.week.sort((a, b) => a.days - b.days || a.row.screeningNo.localeCompare(b.row.screeningNo));
  return out;
}

export type StatusFilter = 'active' | SubjectStatus;
export type DueFilter = 'all' | DueBucket;
export type SortKey = 'screeningNo' | 'nextVisit' | 'status';

export interface ListView {
  status: StatusFilter;
  due: DueFilter;
  sort: SortKey;
  search: string;
}

export const DEFAULT_VIEW: ListView = { status: 'active', due: 'all', sort: 'screeningNo', search: '' };

/** The statuses in the order the list sorts them: the ones the ward works on first. */
const STATUS_ORDER: Record<SubjectStatus, number> = { randomised: 0, screening: 1, completed: 2, withdrawn: 3, screen_failed: 4, created_in_error: 5 };

/** The rows the list shows for a view: 'active' hides numbers created in error only. */
export function viewRows<R extends AgendaRow>(rows: readonly R[], view: ListView, today: string): R[] {
  const q = view.search.trim().toUpperCase();
  const entries = view.due !== 'all' || view.sort === 'nextVisit' ? new Map(rows.map((r) => [r.id, agendaEntry(r, today)])) : null;
  const out = rows.filter(
    (r) =>
      (view.status === 'active' ? r.status !== 'created_in_error' : r.status === view.status) &&
      (!q || r.screeningNo.toUpperCase().includes(q) || (r.randNo ?? '').toUpperCase().includes(q)) &&
      (view.due === 'all' || entries!.get(r.id)?.bucket === view.due),
  );
  if (view.sort === 'status') return out.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.screeningNo.localeCompare(b.screeningNo));
  if (view.sort === 'nextVisit') {
    // By the next visit's target date; subjects with none (screening, left the study) last.
    const key = (r: R) => listRowNextVisit(r, today)?.targetDate ?? '9999-12-31';
    return out.sort((a, b) => key(a).localeCompare(key(b)) || a.screeningNo.localeCompare(b.screeningNo));
  }
  return out.sort((a, b) => a.screeningNo.localeCompare(b.screeningNo));
}

/** The last day of "this week" as the home counts it: today and the next six days. */
export const weekEnd = (today: string): string => addDays(today, 6)!;
