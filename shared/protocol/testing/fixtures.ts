// Test fixtures: one complete, eligible subject (female, 33 at consent) and a valid instance of every form.
import type { CasebookForm, FormCode, FormData, VisitCode } from '../types';
import { FORMS } from '../study';
import { SLEDAI_ITEMS } from '../../rules/sledai';

/** Every SLEDAI-2K descriptor answered absent (false): a saved SLEDAI answers each one (issue 14). */
export const SLEDAI_ALL_ABSENT: FormData = Object.fromEntries(SLEDAI_ITEMS.map((id) => [id, false]));

export const CONSENT_DATE = '2024-01-02';
export const DAY0 = '2024-01-20';

export const GOOD_FORMS: Record<FormCode, { visit: VisitCode; data: FormData }> = {
  CONSENT: { visit: 'SCR', data: { consentDate: CONSENT_DATE, consentVersion: 'V2.0', signedBy: 'patient', copyGiven: true } },
  DEMOG: {
    visit: 'SCR',
    data: { sex: 'F', dateOfBirth: '1990-05-20', ethnicity: 'han', childbearingPotential: true, contraception: true, breastfeeding: false },
  },
  MEDHX: {
    visit: 'SCR',
    data: {
      sleDiagnosisDate: '2023-06-01',
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
  BIOPSY: { visit: 'SCR', data: { biopsyDate: '2023-12-20', isnClass: 'IV', activityChronicity: 'A', classIvSegmental: 'G', classVCoexisting: false } },
  // 4 (haematuria) + 4 (proteinuria) + 2 (rash) + 2 (low complement) + 2 (DNA binding) = 14; every other descriptor absent.
  SLEDAI: { visit: 'SCR', data: { assessmentDate: '2024-01-05', ...SLEDAI_ALL_ABSENT, haematuria: true, proteinuria: true, rash: true, lowComplement: true, increasedDnaBinding: true } },
  BILAG: { visit: 'SCR', data: { assessmentDate: '2024-01-05', renalGrade: 'A' } },
  VITALS: { visit: 'SCR', data: { assessmentDate: '2024-01-05', heightCm: 160, weightKg: 55, temperatureC: 36.6, heartRate: 78, systolicBp: 128, diastolicBp: 82, spo2: 98 } },
  LAB: {
    visit: 'SCR',
    data: { collectionDate: '2024-01-05', wbc: 5.2, neutrophils: 3.1, haemoglobin: 118, platelets: 210, creatinine: 80, albumin: 30, urineRbc: 25, urineProtein24h: 3.5, c3: 0.6, c4: 0.08, antiDsDna: 250, anaTitre: '1:320' },
  },
  // Within 7 days before Day 0, so it also covers randomisation and the first pulse (amendment 1, rule 2).
  PREG: { visit: 'SCR', data: { testDate: '2024-01-15', testType: 'serum', result: 'negative' } },
  ELIG: { visit: 'SCR', data: { confirmed: true, confirmedDate: '2024-01-18' } },
  RAND: { visit: 'D0', data: { randDate: DAY0, randNo: 'R001', kitNo: 'K0007' } },
  PHARM: {
    visit: 'D0',
    data: {
      kitNo: 'K0007',
      preparedDate: DAY0,
      productType: 'MSC',
      productLot: 'L2401',
      cellsInBag: 100,
      viabilityPercent: 92.5,
      releaseDecision: 'released',
      releasedOutOfSpec: false,
      releaseNote: '符合放行标准',
    },
  },
  INFUSION: {
    visit: 'D0',
    data: {
      infusionDate: DAY0,
      kitNo: 'K0007',
      volumeMl: 100,
      premedication: false,
      startTime: '09:00',
      stopTime: '09:45',
      interrupted: false,
      preSbp: 120, preDbp: 80, preHr: 76, preTempC: 36.5,
      post1hSbp: 118, post1hDbp: 78, post1hHr: 80, post1hTempC: 36.7,
      reaction: false,
    },
  },
  // BSA √(160 × 55 / 3600) = √2.4444 = 1.5635 m²; × 750 = 1172.6 → 1170 mg.
  CYC: {
    visit: 'D0',
    data: { doseDate: DAY0, pulseNumber: 1, heightCm: 160, weightKg: 55, targetMgPerM2: 750, wbc: 5.0, creatinineClearance: 80, doseGiven: true, administeredDoseMg: 1170, hydrationGiven: true, mesnaGiven: true },
  },
  RESPONSE: { visit: 'M6', data: { assessmentDate: '2024-07-18', confirmed: true } },
  EOS: { visit: 'M6', data: { status: 'completed', eosDate: '2024-07-18' } },
  AE: {
    visit: 'LOG',
    data: { term: '上呼吸道感染', onsetDate: '2024-02-01', ongoing: false, endDate: '2024-02-08', grade: '1', serious: false, relationInfusion: 'unlikely', relationCyc: 'possible', actionTaken: 'none', outcome: 'recovered' },
  },
  CONMED: {
    visit: 'LOG',
    data: { drug: '泼尼松', dose: 40, doseUnit: 'mg', route: 'po', frequency: 'qd', startDate: '2023-12-21', ongoing: true, indication: '狼疮性肾炎' },
  },
  UNBLIND: { visit: 'LOG', data: { unblindDate: '2024-03-01', unblindTime: '14:30', reason: '严重不良事件需明确用药', sponsorNotified: true } },
};

/** A casebook holding the given forms (default: the whole screening + Day 0 set). */
export function casebookOf(codes: FormCode[] = ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG', 'RAND']): CasebookForm[] {
  return codes.map((code) => ({ visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: { ...GOOD_FORMS[code].data } }));
}

/** Replace or add one form in a casebook. */
export function withForm(casebook: CasebookForm[], formCode: FormCode, visitCode: VisitCode, data: FormData): CasebookForm[] {
  return [...casebook.filter((f) => !(f.formCode === formCode && f.visitCode === visitCode)), { formCode, visitCode, repeatKey: 0, data }];
}

/**
 * Who enters a form in the tests, as on the ward: the pharmacist's PHARM, the investigator's judgements and
 * confirmations (any form with an investigator-only item: BILAG, ELIG, RESPONSE), the nurse everything else.
 */
export function enteredBy(code: FormCode): 'data_entry' | 'investigator' | 'pharmacist' {
  const form = FORMS[code];
  if (form.editRoles?.includes('pharmacist')) return 'pharmacist';
  return form.fields.some((f) => f.editRoles?.includes('investigator')) ? 'investigator' : 'data_entry';
}
