// Compact subject-list rows: a subject's visit statuses as one letter per scheduled visit, decoded for the rows on screen.
import type { VisitCode } from './types';
import { SCHEDULE } from './visits';
import { nextDueVisit, type DueVisit, type VisitStatus } from './visitStatus';
import { isOffSchedule, type SubjectStatus } from './subjectStatus';

/** The visits a list row shows, in order (the any-time log has no status of its own). */
export const SCHEDULED_VISIT_CODES: readonly VisitCode[] = SCHEDULE.map((v) => v.code);

/** One letter per visit status: N not started, P in progress, C complete, Q queried, V verified, S signed, L locked. */
export const VISIT_STATUS_LETTER = {
  not_started: 'N',
  in_progress: 'P',
  complete: 'C',
  queried: 'Q',
  verified: 'V',
  signed: 'S',
  locked: 'L',
} as const satisfies Record<VisitStatus, string>;

const STATUS_OF_LETTER = new Map<string, VisitStatus>(Object.entries(VISIT_STATUS_LETTER).map(([status, letter]) => [letter, status as VisitStatus]));

/** A valid status string: exactly one known letter per scheduled visit. */
export const VISIT_STATUS_STRING = new RegExp(`^[${Object.values(VISIT_STATUS_LETTER).join('')}]{${SCHEDULED_VISIT_CODES.length}}$`);

/** Statuses in SCHEDULED_VISIT_CODES order → "CCPNNNNNN". */
export function encodeVisitStatuses(statuses: readonly VisitStatus[]): string {
  if (statuses.length !== SCHEDULED_VISIT_CODES.length) {
    throw new Error(`expected ${SCHEDULED_VISIT_CODES.length} visit statuses, got ${statuses.length}`);
  }
  return statuses.map((s) => VISIT_STATUS_LETTER[s]).join('');
}

/** "CCPNNNNNN" → [{ visitCode: 'SCR', status: 'complete' }, ...]; throws on a string that is not one letter per visit. */
export function decodeVisitStatuses(code: string): { visitCode: VisitCode; status: VisitStatus }[] {
  if (!VISIT_STATUS_STRING.test(code)) throw new Error(`not a visit status string: ${JSON.stringify(code)}`);
  return SCHEDULED_VISIT_CODES.map((visitCode, i) => ({ visitCode, status: STATUS_OF_LETTER.get(code[i]!)! }));
}

/**
 * The next due visit of a list row (its Day 0 date and status string), as of the server's today; none for a subject
 * who left the study (withdrawn, completed, …): their visits are not overdue.
 */
export function listRowNextVisit(row: { visits: string; day0: string | null; status?: SubjectStatus }, today: string): DueVisit | null {
  if (row.status && isOffSchedule(row.status)) return null;
  return row.day0 ? nextDueVisit(decodeVisitStatuses(row.visits), row.day0, today) : null;
}

/** A whole list (sorted by id) with changed rows replaced or, for new subjects, added in id order; base is not modified. */
export function mergeListRows<T extends { id: number }>(base: readonly T[], changed: readonly T[]): T[] {
  const out = base.slice();
  const added: T[] = [];
  for (const row of changed) {
    let lo = 0;
    let hi = out.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid]!.id < row.id) lo = mid + 1;
      else hi = mid - 1;
    }
    if (out[lo]?.id === row.id) out[lo] = row;
    else added.push(row);
  }
  return added.length ? [...out, ...added].sort((a, b) => a.id - b.id) : out;
}
