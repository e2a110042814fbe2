// What the CYC panel shows, computed from the form's live values with the shared dose rule: BSA, dose, warnings, difference.
import { CYC_RULES, CYC_WARNING_MESSAGES, cyclophosphamideDose, doseDifferenceFraction, type CycWarning } from '../../../shared/rules/cyclophosphamideDose';
import { numberValue } from '../../../shared/protocol/formValues';
import type { Bilingual, FormData } from '../../../shared/protocol/types';

export interface CycNotice {
  code: CycWarning | 'DIFF_REASON_REQUIRED';
  /** 'stop': hold the pulse; 'warn': check before giving; 'info': the dose was adjusted by a cap. */
  level: 'stop' | 'warn' | 'info';
  message: Bilingual;
}

export interface CycDoseView {
  heightCm: number | null;
  weightKg: number | null;
  targetMgPerM2: number | null;
  /** BSA by Mosteller, m² (unrounded); null when height or weight is missing. */
  bsa: number | null;
  /** BSA × effective target before rounding and the 1500 mg cap, e.g. 1262.2 mg. */
  unroundedMg: number | null;
  /** The protocol dose: rounded to 10 mg, capped. */
  calculatedMg: number | null;
  effectiveTargetMgPerM2: number | null;
  administeredMg: number | null;
  /** (administered − calculated) ÷ calculated × 100, signed. */
  differencePercent: number | null;
  reasonRequired: boolean;
  notices: CycNotice[];
}

const LEVEL: Record<CycWarning, CycNotice['level']> = {
  INVALID_INPUT: 'info',
  WBC_HOLD: 'stop',
  CRCL_REDUCE: 'warn',
  CAPPED_MG_PER_M2: 'info',
  CAPPED_1500: 'info',
  TARGET_BELOW_500: 'warn',
};

/** The view of the live values; `creatinineClearance` is the one the rules use (from a LAB), else the typed value. */
export function cycDoseView(values: FormData, creatinineClearance?: number | null): CycDoseView {
  const heightCm = numberValue(values, 'heightCm');
  const weightKg = numberValue(values, 'weightKg');
  const targetMgPerM2 = numberValue(values, 'targetMgPerM2');
  const administeredMg = values.doseGiven === false ? null : numberValue(values, 'administeredDoseMg');
  const r = cyclophosphamideDose({
    heightCm: heightCm ?? NaN,
    weightKg: weightKg ?? NaN,
    targetMgPerM2: targetMgPerM2 ?? NaN,
    wbc: numberValue(values, 'wbc'),
    creatinineClearance: creatinineClearance === undefined ? numberValue(values, 'creatinineClearance') : creatinineClearance,
  });
  const bsa = Number.isFinite(r.bsa) ? r.bsa : null;
  const calculatedMg = Number.isFinite(r.doseMg) ? r.doseMg : null;
  const effective = Number.isFinite(r.effectiveTargetMgPerM2) ? r.effectiveTargetMgPerM2 : null;
  const unroundedMg = bsa !== null && effective !== null ? bsa * effective : null;
  const fraction = administeredMg !== null && calculatedMg !== null ? doseDifferenceFraction(administeredMg, calculatedMg) : NaN;
  const differencePercent = Number.isFinite(fraction) && calculatedMg ? ((administeredMg! - calculatedMg) / calculatedMg) * 100 : null;
  const reasonRequired = Number.isFinite(fraction) && fraction > CYC_RULES.maxUnexplainedDifference + 1e-12;
  const notices: CycNotice[] = r.warnings
    .filter((w) => w !== 'INVALID_INPUT' || heightCm !== null || weightKg !== null)
    .map((w) => ({ code: w, level: LEVEL[w], message: CYC_WARNING_MESSAGES[w] }));
  if (reasonRequired) {
    notices.push({
      code: 'DIFF_REASON_REQUIRED',
      level: 'warn',
      message: { zh: '实际剂量与计算剂量相差超过 10%：必须填写原因', en: 'Administered dose differs from the calculated dose by more than 10 %: a reason is required' },
    });
  }
  return { heightCm, weightKg, targetMgPerM2, bsa, unroundedMg, calculatedMg, effectiveTargetMgPerM2: effective, administeredMg, differencePercent, reasonRequired, notices };
}
