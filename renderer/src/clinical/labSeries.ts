// Per-visit kidney series for the lab chart: creatinine, eGFR (CKD-EPI 2021 at the age on the collection date) and 24-h urine protein.
import { formData, subjectFacts } from '../../../shared/protocol/casebook';
import { dateValue, numberValue } from '../../../shared/protocol/formValues';
import { ageYears } from '../../../shared/rules/age';
import { egfrCkdEpi2021 } from '../../../shared/rules/kidneyFunction';
import type { CasebookForm, VisitCode } from '../../../shared/protocol/types';

export const LAB_SERIES_VISITS = ['SCR', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6'] as const satisfies readonly VisitCode[];

export interface LabPoint {
  visitCode: (typeof LAB_SERIES_VISITS)[number];
  date: string | null;
  creatinineUmolL: number | null;
  /** mL/min/1.73 m², rounded to 1 decimal; null when creatinine, sex or age is missing. */
  egfr: number | null;
  proteinGPer24h: number | null;
}

/** One point per visit of the schedule (SCR, M1…M6), null where a value was not entered. */
export function labSeries(casebook: CasebookForm[]): LabPoint[] {
  const facts = subjectFacts(casebook);
  return LAB_SERIES_VISITS.map((visitCode) => {
    const lab = formData(casebook, 'LAB', visitCode);
    const date = dateValue(lab, 'collectionDate');
    const creatinineUmolL = numberValue(lab, 'creatinine');
    const age = facts.dateOfBirth && date ? ageYears(facts.dateOfBirth, date) : NaN;
    const e = creatinineUmolL !== null && facts.sex && Number.isFinite(age) ? egfrCkdEpi2021({ creatinineUmolL, ageYears: age, sex: facts.sex }) : NaN;
    return { visitCode, date, creatinineUmolL, egfr: Number.isFinite(e) ? Math.round(e * 10) / 10 : null, proteinGPer24h: numberValue(lab, 'urineProtein24h') };
  });
}

/** True when at least one visit has a value to plot. */
export function hasLabData(points: LabPoint[]): boolean {
  return points.some((p) => p.creatinineUmolL !== null || p.proteinGPer24h !== null);
}
