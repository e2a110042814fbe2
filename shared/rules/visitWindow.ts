// Visit windows: target date, allowed bounds and days off target for a visit, from Day 0 (PROTOCOL.md "Visit schedule").
import type { VisitCode } from '../protocol/types';
import { visitDef } from '../protocol/visits';
import { addDays, daysBetween, isIsoDate } from './dates';

export type VisitWindowStatus = 'in_window' | 'early' | 'late' | 'no_window' | 'invalid';

export interface VisitWindowResult {
  visitId: VisitCode | string;
  /** Target date (Day 0 + target day); null for screening, logs and invalid input. */
  targetDate: string | null;
  /** First and last allowed dates (screening: Day −28 and Day −1); null when the visit has no window. */
  earliestDate: string | null;
  latestDate: string | null;
  /** Study day of the visit date (Day 0 = 0, no day zero skipping); null on invalid dates. */
  studyDay: number | null;
  /** visitDate − targetDate in days (screening: days outside the range, 0 inside); null when not applicable. */
  daysOff: number | null;
  /** true/false when the visit has a window; null when it has none (LOG) or input is invalid. */
  inWindow: boolean | null;
  status: VisitWindowStatus;
}

/**
 * Where a visit date falls against its window. D0 has a zero-day window (the visit is Day 0 by definition);
 * D7 ±2, M1-M5 ±7, M6 ±14; screening must fall on Day −28 … −1. Out of window raises a query only.
 * Never throws: unknown visits or invalid dates give status 'invalid' with nulls.
 */
export function visitWindow(visitId: VisitCode, day0Date: string, visitDate: string): VisitWindowResult {
  const def = visitDef(visitId);
  const invalid: VisitWindowResult = {
    visitId,
    targetDate: null,
    earliestDate: null,
    latestDate: null,
    studyDay: null,
    daysOff: null,
    inWindow: null,
    status: 'invalid',
  };
  if (!def || !isIsoDate(day0Date)) return invalid;
  const studyDay = isIsoDate(visitDate) ? daysBetween(day0Date, visitDate) : null;

  if (def.dayRange) {
    const earliestDate = addDays(day0Date, def.dayRange.from);
    const latestDate = addDays(day0Date, def.dayRange.to);
    if (studyDay === null) return { ...invalid, earliestDate, latestDate };
    const early = studyDay < def.dayRange.from;
    const late = studyDay > def.dayRange.to;
    return {
      visitId,
      targetDate: null,
      earliestDate,
      latestDate,
      studyDay,
      daysOff: early ? studyDay - def.dayRange.from : late ? studyDay - def.dayRange.to : 0,
      inWindow: !early && !late,
      status: early ? 'early' : late ? 'late' : 'in_window',
    };
  }
  if (def.targetDay === null) {
    return { ...invalid, studyDay, status: studyDay === null ? 'invalid' : 'no_window' };
  }
  const window = def.windowDays ?? 0;
  const targetDate = addDays(day0Date, def.targetDay);
  const earliestDate = addDays(day0Date, def.targetDay - window);
  const latestDate = addDays(day0Date, def.targetDay + window);
  if (studyDay === null) return { ...invalid, targetDate, earliestDate, latestDate };
  const daysOff = studyDay - def.targetDay;
  const inWindow = Math.abs(daysOff) <= window;
  return {
    visitId,
    targetDate,
    earliestDate,
    latestDate,
    studyDay,
    daysOff,
    inWindow,
    status: inWindow ? 'in_window' : daysOff < 0 ? 'early' : 'late',
  };
}
