// A worked subject for tests of the clinical panels: the shared eligible subject (GOOD_FORMS) moved to 2026 with the
// few values the hand-worked numbers below depend on, plus her Month 1 and Month 6 labs.
import { GOOD_FORMS } from '../../../../shared/protocol/testing/fixtures';
import type { FormCode, FormData, VisitCode } from '../../../../shared/protocol/types';

export interface SeedForm {
  visitCode: VisitCode;
  formCode: FormCode;
  data: FormData;
}

const SCREENING_DAY = '2026-03-03';

/** GOOD_FORMS[code] at screening with some values replaced. */
const good = (formCode: FormCode, changes: FormData): SeedForm => ({ visitCode: 'SCR', formCode, data: { ...GOOD_FORMS[formCode].data, ...changes } });

/**
 * Screening (in save order, CONSENT first): female, born 1991-06-15, consent 2026-03-02 → 34 years; creatinine 88 µmol/L,
 * WBC 5.2, urine RBC 25 /HPF, 24-h protein 3.6 g (nephrotic baseline); height 160 cm, weight 55 kg;
 * SLEDAI-2K 16 (casts 4 + haematuria 4 + proteinuria 4 + low complement 2 + DNA binding 2).
 */
export const WORKED_SCREENING: SeedForm[] = [
  good('CONSENT', { consentDate: '2026-03-02' }),
  good('DEMOG', { dateOfBirth: '1991-06-15' }),
  good('MEDHX', { sleDiagnosisDate: '2025-11-20' }),
  good('BIOPSY', { biopsyDate: '2026-02-20' }),
  good('SLEDAI', { assessmentDate: SCREENING_DAY, rash: false, urinaryCasts: true }),
  good('BILAG', { assessmentDate: SCREENING_DAY }),
  good('VITALS', { assessmentDate: SCREENING_DAY, systolicBp: 132, diastolicBp: 84 }),
  good('LAB', { collectionDate: SCREENING_DAY, creatinine: 88, urineProtein24h: 3.6 }),
  good('PREG', { testDate: SCREENING_DAY }),
];

/** Month 1 and Month 6 labs: M6 creatinine 95 (ratio 1.08), urine RBC 4, protein 1.2 g → partial remission. */
export const WORKED_FOLLOW_UP: SeedForm[] = [
  { visitCode: 'M1', formCode: 'LAB', data: { collectionDate: '2026-04-16', wbc: 4.8, creatinine: 92, urineRbc: 12, urineProtein24h: 2.4 } },
  { visitCode: 'M6', formCode: 'LAB', data: { collectionDate: '2026-09-14', wbc: 5.5, creatinine: 95, urineRbc: 4, urineProtein24h: 1.2 } },
];
