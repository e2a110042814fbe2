// Primary endpoint: renal response at Month 6 against the screening baseline (PROTOCOL.md "Primary endpoint").
import type { Bilingual } from '../protocol/types';
import { allOf, asMeasured, formatMeasured, isAtMostTimes, isAbove, isBelow, type Measured } from './measured';

/** A value as a number, or as a reported limit ('<0.1', field full as '>100'; amendment 1, rule 11). */
export type RenalValue = number | Measured | null;

export interface RenalValues {
  creatinineUmolL?: RenalValue;
  urineRbcPerHpf?: RenalValue;
  proteinGPer24h?: RenalValue;
}

export type RenalResponseCategory = 'complete' | 'partial' | 'none' | 'not_evaluable';

export interface RenalRuleStep {
  /** Rule number in PROTOCOL.md (1, 2, 3) or 'complete' for the complete-remission test. */
  rule: 1 | 2 | 3 | 'complete';
  label: Bilingual;
  /** The inputs: numbers, or a reported limit as the laboratory wrote it ('<0.1', '>100'). */
  inputs: Record<string, number | string | null>;
  /** The limit the M6 value was compared with (already multiplied out, e.g. 1.25 × baseline). */
  threshold: number | null;
  comparison: '≤' | '<' | '< and ≤';
  /** true/false, or null when an input is missing or a reported limit cannot decide. */
  pass: boolean | null;
}

export interface RenalResponseResult {
  category: RenalResponseCategory;
  steps: {
    renalFunction: RenalRuleStep;
    urineRbc: RenalRuleStep;
    proteinuria: RenalRuleStep & { branch: 'nephrotic' | 'subnephrotic' | null };
    complete: RenalRuleStep;
  };
  /** Missing or invalid inputs, e.g. 'month6.urineRbcPerHpf'. Baseline urine RBC is not used by the rules. */
  missing: string[];
  /** Inputs reported as a limit that cannot decide a step the category needs (e.g. M6 RBC '<20' against '< 10'). */
  undecided: string[];
}

/** Endpoint thresholds (PROTOCOL.md). */
export const RENAL_RESPONSE_RULES = {
  creatinineMaxRatio: 1.25,
  urineRbcBelow: 10,
  nephroticBaselineAbove: 3.0,
  nephroticM6Below: 3.0,
  nephroticM6MaxFraction: 0.5,
  subnephroticM6Below: 1.0,
  completeProteinBelow: 0.5,
} as const;

export const RENAL_RESPONSE_LABELS: Record<RenalResponseCategory, Bilingual> = {
  complete: { zh: '完全缓解', en: 'Complete remission' },
  partial: { zh: '部分缓解', en: 'Partial remission' },
  none: { zh: '未缓解', en: 'No remission' },
  not_evaluable: { zh: '无法评估', en: 'Not evaluable' },
};

export const RENAL_INPUT_LABELS: Record<string, Bilingual> = {
  'baseline.creatinineUmolL': { zh: '基线血肌酐', en: 'Baseline serum creatinine' },
  'baseline.proteinGPer24h': { zh: '基线 24 小时尿蛋白', en: 'Baseline 24-h urine protein' },
  'month6.creatinineUmolL': { zh: '第 6 个月血肌酐', en: 'Month 6 serum creatinine' },
  'month6.urineRbcPerHpf': { zh: '第 6 个月尿红细胞', en: 'Month 6 urine RBC' },
  'month6.proteinGPer24h': { zh: '第 6 个月 24 小时尿蛋白', en: 'Month 6 24-h urine protein' },
};

/** Remission as the registry counts it: complete + partial. */
export function isRemission(category: RenalResponseCategory): boolean {
  return category === 'complete' || category === 'partial';
}

/** A usable input: a finite, non-negative number or limit; anything else counts as missing. */
function value(v: unknown): Measured | null {
  const m = asMeasured(v);
  return m && m.value >= 0 ? m : null;
}

/** How a step shows an input: the number, or the limit as reported. */
const shown = (m: Measured | null): number | string | null => (m === null ? null : m.op === '=' ? m.value : formatMeasured(m));
const exact = (m: Measured | null): number | null => (m && m.op === '=' ? m.value : null);

/**
 * Classify the renal response at M6:
 * 1. M6 creatinine ≤ 1.25 × baseline; 2. M6 urine RBC < 10 /HPF;
 * 3. baseline protein > 3.0 g/24 h: M6 < 3.0 and M6 ≤ 0.5 × baseline; otherwise M6 < 1.0.
 * Complete: 1, 2 and M6 protein < 0.5. Partial: 1, 2, 3, not complete. None: any of 1-3 fails.
 * Not evaluable: any input missing (listed in `missing`); a missing input is never counted as no remission.
 * A value reported as a limit ('<0.1', RBC field full) is used where it decides (field full fails "< 10"; '<0.1'
 * passes "< 0.5"); where it cannot, the result is not evaluable and the input is listed in `undecided`.
 * Negative or non-finite inputs count as missing. Never throws.
 */
export function classifyRenalResponse(input: { baseline: RenalValues; month6: RenalValues }): RenalResponseResult {
  const safe = input && typeof input === 'object' ? input : ({} as { baseline: RenalValues; month6: RenalValues });
  const b = safe.baseline && typeof safe.baseline === 'object' ? safe.baseline : {};
  const m = safe.month6 && typeof safe.month6 === 'object' ? safe.month6 : {};
  const R = RENAL_RESPONSE_RULES;
  const bCr = value(b.creatinineUmolL);
  const bProt = value(b.proteinGPer24h);
  const mCr = value(m.creatinineUmolL);
  const mRbc = value(m.urineRbcPerHpf);
  const mProt = value(m.proteinGPer24h);

  const missing: string[] = [];
  if (bCr === null) missing.push('baseline.creatinineUmolL');
  if (bProt === null) missing.push('baseline.proteinGPer24h');
  if (mCr === null) missing.push('month6.creatinineUmolL');
  if (mRbc === null) missing.push('month6.urineRbcPerHpf');
  if (mProt === null) missing.push('month6.proteinGPer24h');

  const bCrExact = exact(bCr);
  const crThreshold = bCrExact === null ? null : R.creatinineMaxRatio * bCrExact;
  const renalFunction: RenalRuleStep = {
    rule: 1,
    label: { zh: '肾功能稳定或改善：第 6 个月血肌酐 ≤ 1.25 × 基线', en: 'Renal function stable or improved: M6 creatinine ≤ 1.25 × baseline' },
    inputs: { baselineCreatinineUmolL: shown(bCr), month6CreatinineUmolL: shown(mCr) },
    threshold: crThreshold,
    comparison: '≤',
    pass: bCr === null || mCr === null ? null : isAtMostTimes(mCr, R.creatinineMaxRatio, bCr),
  };
  const urineRbc: RenalRuleStep = {
    rule: 2,
    label: { zh: '第 6 个月尿红细胞 < 10 /HPF', en: 'M6 urine RBC < 10 /HPF' },
    inputs: { month6UrineRbcPerHpf: shown(mRbc) },
    threshold: R.urineRbcBelow,
    comparison: '<',
    pass: mRbc === null ? null : isBelow(mRbc, R.urineRbcBelow),
  };
  const nephrotic = bProt === null ? null : isAbove(bProt, R.nephroticBaselineAbove);
  const nephroticPass = mProt !== null && bProt !== null ? allOf(isBelow(mProt, R.nephroticM6Below), isAtMostTimes(mProt, R.nephroticM6MaxFraction, bProt)) : null;
  const subnephroticPass = mProt !== null ? isBelow(mProt, R.subnephroticM6Below) : null;
  const bProtExact = exact(bProt);
  let protPass: boolean | null = null;
  let protThreshold: number | null = null;
  if (nephrotic === true) {
    protThreshold = bProtExact === null ? null : R.nephroticM6MaxFraction * bProtExact;
    protPass = nephroticPass;
  } else if (nephrotic === false) {
    protThreshold = R.subnephroticM6Below;
    protPass = subnephroticPass;
  } else if (bProt !== null && nephroticPass !== null && nephroticPass === subnephroticPass) {
    protPass = nephroticPass; // the baseline's limit cannot pick the branch, but both branches agree
  }
  const proteinuria: RenalRuleStep & { branch: 'nephrotic' | 'subnephrotic' | null } = {
    rule: 3,
    branch: nephrotic === null ? null : nephrotic ? 'nephrotic' : 'subnephrotic',
    label:
      nephrotic === false
        ? { zh: '基线尿蛋白 ≤ 3.0 g/24 h：第 6 个月 < 1.0 g/24 h', en: 'Baseline ≤ 3.0 g/24 h: M6 protein < 1.0 g/24 h' }
        : { zh: '基线尿蛋白 > 3.0 g/24 h：第 6 个月 < 3.0 g/24 h 且 ≤ 0.5 × 基线', en: 'Baseline > 3.0 g/24 h: M6 protein < 3.0 g/24 h and ≤ 0.5 × baseline' },
    inputs: { baselineProteinGPer24h: shown(bProt), month6ProteinGPer24h: shown(mProt) },
    threshold: protThreshold,
    comparison: nephrotic === false ? '<' : '< and ≤',
    pass: protPass,
  };
  const completeProt = mProt === null ? null : isBelow(mProt, R.completeProteinBelow);
  const complete: RenalRuleStep = {
    rule: 'complete',
    label: { zh: '完全缓解：规则 1、2 成立且第 6 个月尿蛋白 < 0.5 g/24 h', en: 'Complete: rules 1 and 2 hold and M6 protein < 0.5 g/24 h' },
    inputs: { month6ProteinGPer24h: shown(mProt) },
    threshold: R.completeProteinBelow,
    comparison: '<',
    pass: allOf(renalFunction.pass, urineRbc.pass, completeProt),
  };

  const steps = [renalFunction, urineRbc, proteinuria];
  let category: RenalResponseCategory;
  if (missing.length > 0) category = 'not_evaluable';
  else if (steps.some((s) => s.pass === false)) category = 'none';
  else if (complete.pass === true) category = 'complete';
  else if (complete.pass === false && steps.every((s) => s.pass === true)) category = 'partial';
  else category = 'not_evaluable';

  // Which reported limits left the category open (only when nothing is missing and no step failed).
  const undecided: string[] = [];
  if (category === 'not_evaluable' && missing.length === 0) {
    const limited = (name: string, v: Measured | null) => v && v.op !== '=' && undecided.push(name);
    if (renalFunction.pass === null) {
      limited('baseline.creatinineUmolL', bCr);
      limited('month6.creatinineUmolL', mCr);
    }
    if (urineRbc.pass === null) limited('month6.urineRbcPerHpf', mRbc);
    if (proteinuria.pass === null || (complete.pass === null && completeProt === null)) {
      limited('baseline.proteinGPer24h', bProt);
      limited('month6.proteinGPer24h', mProt);
    }
  }
  return { category, steps: { renalFunction, urineRbc, proteinuria, complete }, missing, undecided };
}
