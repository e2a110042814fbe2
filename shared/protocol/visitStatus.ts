// Rolls form statuses up into a visit status for the subject list, and finds the next due visit.
import { visitWindow } from '../rules/visitWindow';
import { VISITS } from './study';
import type { FormCode, VisitCode } from './types';

export type FormStatus = 'in_progress' | 'complete' | 'verified' | 'signed' | 'locked';
export type VisitStatus = 'not_started' | 'in_progress' | 'complete' | 'queried' | 'verified' | 'signed' | 'locked';

const RANK: Record<FormStatus, number> = { in_progress: 0, complete: 1, verified: 2, signed: 3, locked: 4 };

/** What DEMOG says about the subject, for the forms that depend on it. */
export interface SubjectDemog {
  sex?: string | null;
  childbearingPotential?: boolean | null;
}

/**
 * A scheduled form this subject does not need: PREG is required only for a woman of childbearing potential
 * (PROTOCOL.md "PREG"), so not for a man, nor once DEMOG says she is not of childbearing potential (the same
 * rule as the PREG "notRequired" edit check). While DEMOG does not say, the test is still expected.
 */
export function formNotApplicable(code: FormCode, demog?: SubjectDemog): boolean {
  return code === 'PREG' && (demog?.sex === 'M' || demog?.childbearingPotential === false);
}

/**
 * Whether a scheduled form must be filled in for the visit to be complete: not the derived ELIG (confirmed before
 * randomisation, which refuses without it), not the pharmacy's PHARM (the ward's visit does not wait on it; INFUSION
 * queries a bag given without a recorded release). RESPONSE is: Month 6 is not done until the endpoint is confirmed.
 */
export function formExpected(code: FormCode, demog?: SubjectDemog): boolean {
  return code !== 'ELIG' && code !== 'PHARM' && !formNotApplicable(code, demog);
}

/**
 * not_started: nothing saved; queried: any form has an open query; in_progress: some expected form is
 * missing or in progress; otherwise the lowest state all expected forms have reached.
 */
export function visitStatusFromForms(
  expected: readonly FormCode[],
  forms: readonly { formCode: string; status: FormStatus; queried?: boolean }[],
  demog?: SubjectDemog,
): VisitStatus {
  if (forms.length === 0) return 'not_started';
  if (forms.some((f) => f.queried)) return 'queried';
  let lowest: FormStatus = 'locked';
  for (const code of expected) {
    if (!formExpected(code, demog)) continue;
    const form = forms.find((f) => f.formCode === code);
    if (!form || form.status === 'in_progress') return 'in_progress';
    if (RANK[form.status] < RANK[lowest]) lowest = form.status;
  }
  return lowest;
}

export interface DueVisit {
  visitCode: VisitCode;
  targetDate: string;
  from: string;
  to: string;
  overdue: boolean;
}

/** The first scheduled visit after Day 0 that is not complete, with its target date and window. */
export function nextDueVisit(
  visits: readonly { visitCode: VisitCode; status: VisitStatus }[],
  day0Date: string,
  today: string,
): DueVisit | null {
  for (const visit of VISITS) {
    if (visit.targetDay === null || visit.targetDay <= 0) continue;
    const status = visits.find((v) => v.visitCode === visit.code)?.status ?? 'not_started';
    if (status !== 'not_started' && status !== 'in_progress') continue;
    const window = visitWindow(visit.code, day0Date, today);
    if (!window.targetDate || !window.earliestDate || !window.latestDate) return null;
    return { visitCode: visit.code, targetDate: window.targetDate, from: window.earliestDate, to: window.latestDate, overdue: today > window.latestDate };
  }
  return null;
}
