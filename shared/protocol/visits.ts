// The visit schedule as data: visit codes, target study days, windows and the forms of each visit (PROTOCOL.md "Visit schedule").
import type { VisitCode, VisitDef } from './types';

/** Day 0 = randomisation and first infusion. Months are counted as 30 days (Month n = day 30 × n). */
export const VISITS: readonly VisitDef[] = [
  {
    code: 'SCR',
    label: { zh: '筛选期', en: 'Screening' },
    targetDay: null,
    windowDays: null,
    dayRange: { from: -28, to: -1 },
    forms: ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'],
  },
  // PREG repeats before each cyclophosphamide pulse (amendment 1, rule 2); PHARM is the pharmacy's preparation and
  // release of the bag the ward infuses (rule 4).
  { code: 'D0', label: { zh: '第 0 天', en: 'Day 0' }, targetDay: 0, windowDays: 0, forms: ['RAND', 'VITALS', 'PREG', 'PHARM', 'INFUSION', 'CYC'] },
  { code: 'D7', label: { zh: '第 7 天', en: 'Day 7' }, targetDay: 7, windowDays: 2, forms: ['VITALS', 'PHARM', 'INFUSION'] },
  ...([1, 2, 3, 4, 5] as const).map(
    (n): VisitDef => ({
      code: `M${n}` as VisitCode,
      label: { zh: `第 ${n} 个月`, en: `Month ${n}` },
      targetDay: 30 * n,
      windowDays: 7,
      forms: ['VITALS', 'LAB', 'PREG', 'SLEDAI', 'CYC'],
    }),
  ),
  {
    code: 'M6',
    label: { zh: '第 6 个月', en: 'Month 6' },
    targetDay: 180,
    windowDays: 14,
    forms: ['VITALS', 'LAB', 'SLEDAI', 'BILAG', 'RESPONSE', 'EOS'],
  },
  {
    // Amendment 1, rule 12: any time after consent (a CYC-nadir blood count, a repeat test); never a baseline or a
    // Month 6 value for the endpoint.
    code: 'UNS',
    label: { zh: '非计划访视', en: 'Unscheduled visit' },
    targetDay: null,
    windowDays: null,
    repeating: true,
    forms: ['VITALS', 'LAB', 'PREG', 'SLEDAI'],
  },
  {
    code: 'LOG',
    label: { zh: '随时记录', en: 'Any time' },
    targetDay: null,
    windowDays: null,
    forms: ['AE', 'CONMED', 'UNBLIND', 'EOS'],
  },
];

export const VISIT_CODES: readonly VisitCode[] = VISITS.map((v) => v.code);

/** The visits of the schedule (screening to Month 6): not the unscheduled visit, not the any-time logs. */
export const SCHEDULE: readonly VisitDef[] = VISITS.filter((v) => v.code !== 'LOG' && !v.repeating);

export function visitDef(code: VisitCode): VisitDef | undefined {
  return VISITS.find((v) => v.code === code);
}

export function isVisitCode(value: unknown): value is VisitCode {
  return typeof value === 'string' && VISITS.some((v) => v.code === value);
}
