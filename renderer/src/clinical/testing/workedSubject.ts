// A worked subject for tests of the clinical panels: the screening forms of an eligible woman of 34 and her Month 6 labs.
import type { FormCode, FormData, VisitCode } from '../../../../shared/protocol/types';

export interface SeedForm {
  visitCode: VisitCode;
  formCode: FormCode;
  data: FormData;
}

/**
 * Screening (in save order, CONSENT first): female, born 1991-06-15, consent 2026-03-02 → 34 years; creatinine 88 µmol/L,
 * WBC 5.2, urine RBC 25 /HPF, 24-h protein 3.6 g (nephrotic baseline); height 160 cm, weight 55 kg.
 */
export const WORKED_SCREENING: SeedForm[] = [
  { visitCode: 'SCR', formCode: 'CONSENT', data: { consentDate: '2026-03-02', consentVersion: 'V2.0', signedBy: 'patient', copyGiven: true } },
  {
    visitCode: 'SCR',
    formCode: 'DEMOG',
    data: { sex: 'F', dateOfBirth: '1991-06-15', ethnicity: 'han', childbearingPotential: true, contraception: true, breastfeeding: false },
  },
  {
    visitCode: 'SCR',
    formCode: 'MEDHX',
    data: {
      sleDiagnosisDate: '2025-11-20',
      acrCriteriaCount: 5,
      lnNewlyDiagnosed: true,
      activePepticUlcer: false,
      activeSystemicInfection: false,
      substanceAbuseHistory: false,
      malignancyWithin5Years: false,
      investigationalProductWithin30Days: false,
      involvedInStudyConduct: false,
      otherSeriousCondition: false,
    },
  },
  { visitCode: 'SCR', formCode: 'BIOPSY', data: { biopsyDate: '2026-02-20', isnClass: 'IV', activityChronicity: 'A', classIvSegmental: 'G', classVCoexisting: false } },
  {
    visitCode: 'SCR',
    formCode: 'SLEDAI',
    data: { assessmentDate: '2026-03-03', urinaryCasts: true, haematuria: true, proteinuria: true, lowComplement: true, increasedDnaBinding: true },
  },
  { visitCode: 'SCR', formCode: 'BILAG', data: { assessmentDate: '2026-03-03', renalGrade: 'A' } },
  {
    visitCode: 'SCR',
    formCode: 'VITALS',
    data: { assessmentDate: '2026-03-03', heightCm: 160, weightKg: 55, temperatureC: 36.6, heartRate: 78, systolicBp: 132, diastolicBp: 84 },
  },
  {
    visitCode: 'SCR',
    formCode: 'LAB',
    data: { collectionDate: '2026-03-03', wbc: 5.2, creatinine: 88, urineRbc: 25, urineProtein24h: 3.6 },
  },
  { visitCode: 'SCR', formCode: 'PREG', data: { testDate: '2026-03-03', testType: 'serum', result: 'negative' } },
];

/** Month 1 and Month 6 labs: M6 creatinine 95 (ratio 1.08), urine RBC 4, protein 1.2 g → partial remission. */
export const WORKED_FOLLOW_UP: SeedForm[] = [
  { visitCode: 'M1', formCode: 'LAB', data: { collectionDate: '2026-04-16', wbc: 4.8, creatinine: 92, urineRbc: 12, urineProtein24h: 2.4 } },
  { visitCode: 'M6', formCode: 'LAB', data: { collectionDate: '2026-09-14', wbc: 5.5, creatinine: 95, urineRbc: 4, urineProtein24h: 1.2 } },
];
