// IV cyclophosphamide pulse dose from BSA and target mg/m², with the protocol's caps, rounding and hold rules (PROTOCOL.md "CYC").
import type { Bilingual } from '../protocol/types';
import { bsaMosteller } from './bsa';

/** Protocol constants for the CYC pulse. */
export const CYC_RULES = {
  defaultTargetMgPerM2: 750,
  minTargetMgPerM2: 500,
  maxTargetMgPerM2: 1000,
  maxDoseMgPerPulse: 1500,
  roundToMg: 10,
  holdBelowWbc: 3.0,
  reduceBelowCrCl: 30,
  reducedTargetMgPerM2: 500,
  maxPulses: 6,
  /** Administered vs calculated difference above this fraction needs a reason. */
  maxUnexplainedDifference: 0.1,
} as const;

export type CycWarning = 'INVALID_INPUT' | 'WBC_HOLD' | 'CRCL_REDUCE' | 'CAPPED_MG_PER_M2' | 'CAPPED_1500' | 'TARGET_BELOW_500';

export const CYC_WARNING_MESSAGES: Record<CycWarning, Bilingual> = {
  INVALID_INPUT: { zh: '身高、体重或目标剂量缺失或无效，无法计算剂量', en: 'Height, weight or target dose missing or invalid: dose cannot be calculated' },
  WBC_HOLD: { zh: '给药日白细胞 <3.0×10⁹/L：暂缓本次环磷酰胺冲击（质疑）', en: 'WBC on dosing day <3.0×10⁹/L: hold this cyclophosphamide pulse (query)' },
  CRCL_REDUCE: { zh: '肌酐清除率 <30 mL/min：建议目标剂量减为 500 mg/m²', en: 'Creatinine clearance <30 mL/min: target dose of 500 mg/m² suggested' },
  CAPPED_MG_PER_M2: { zh: '目标剂量超过 1000 mg/m²，已按 1000 mg/m² 封顶', en: 'Target dose above 1000 mg/m²: capped at 1000 mg/m²' },
  CAPPED_1500: { zh: '计算剂量超过每次冲击 1500 mg 上限，已按 1500 mg 封顶', en: 'Calculated dose above the 1500 mg per-pulse limit: capped at 1500 mg' },
  TARGET_BELOW_500: { zh: '目标剂量低于方案允许范围 500–1000 mg/m²', en: 'Target dose below the protocol range of 500–1000 mg/m²' },
};

export interface CycDoseInput {
  heightCm: number;
  weightKg: number;
  targetMgPerM2: number;
  wbc?: number | null;
  creatinineClearance?: number | null;
}

export interface CycDoseResult {
  /** BSA by Mosteller, m² (unrounded). NaN when height/weight are invalid. */
  bsa: number;
  /** Dose in mg rounded to the nearest 10 mg (half up), after the caps. NaN when it cannot be calculated. */
  doseMg: number;
  /** Stable warning codes; see CYC_WARNING_MESSAGES. */
  warnings: CycWarning[];
  /** The mg/m² actually used after the 1000 mg/m² cap. */
  effectiveTargetMgPerM2: number;
  /** 500 when creatinine clearance < 30 mL/min suggests a reduction, else null. */
  suggestedTargetMgPerM2: number | null;
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Round to the nearest `step`, halves up; the toFixed guards against 1274.9999999 from binary fractions. */
export function roundToStep(x: number, step: number): number {
  return Math.round(Number((x / step).toFixed(6))) * step;
}

/**
 * Dose = BSA (Mosteller) × target mg/m², target capped at 1000 mg/m², rounded to 10 mg, capped at 1500 mg.
 * WBC < 3.0×10⁹/L adds WBC_HOLD (dose still shown, the pulse is queried); CrCl < 30 mL/min adds CRCL_REDUCE
 * and suggests 500 mg/m² (the dose is NOT changed automatically). Never throws; invalid input gives NaN + INVALID_INPUT.
 */
export function cyclophosphamideDose(input: CycDoseInput): CycDoseResult {
  const safe = input && typeof input === 'object' ? input : ({} as CycDoseInput);
  const warnings: CycWarning[] = [];
  const bsa = bsaMosteller({ heightCm: safe.heightCm, weightKg: safe.weightKg });
  let target = safe.targetMgPerM2;
  let suggested: number | null = null;

  if (finite(safe.wbc) && safe.wbc < CYC_RULES.holdBelowWbc) warnings.push('WBC_HOLD');
  if (finite(safe.creatinineClearance) && safe.creatinineClearance < CYC_RULES.reduceBelowCrCl) {
    suggested = CYC_RULES.reducedTargetMgPerM2;
    if (!finite(target) || target > CYC_RULES.reducedTargetMgPerM2) warnings.push('CRCL_REDUCE');
  }
  if (!finite(target) || target <= 0 || !Number.isFinite(bsa)) {
    warnings.unshift('INVALID_INPUT');
    return { bsa, doseMg: NaN, warnings, effectiveTargetMgPerM2: NaN, suggestedTargetMgPerM2: suggested };
  }
  if (target > CYC_RULES.maxTargetMgPerM2) {
    target = CYC_RULES.maxTargetMgPerM2;
    warnings.push('CAPPED_MG_PER_M2');
  } else if (target < CYC_RULES.minTargetMgPerM2) {
    warnings.push('TARGET_BELOW_500');
  }
  let doseMg = roundToStep(bsa * target, CYC_RULES.roundToMg);
  if (doseMg > CYC_RULES.maxDoseMgPerPulse) {
    doseMg = CYC_RULES.maxDoseMgPerPulse;
    warnings.push('CAPPED_1500');
  }
  return { bsa, doseMg, warnings, effectiveTargetMgPerM2: target, suggestedTargetMgPerM2: suggested };
}

/** Relative difference |administered − calculated| / calculated; NaN when not computable. */
export function doseDifferenceFraction(administeredMg: number, calculatedMg: number): number {
  if (!finite(administeredMg) || !finite(calculatedMg) || calculatedMg <= 0) return NaN;
  return Math.abs(administeredMg - calculatedMg) / calculatedMg;
}
