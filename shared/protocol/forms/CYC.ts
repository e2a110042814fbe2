// CYC form: IV cyclophosphamide pulse: BSA, target mg/m², calculated vs administered dose, WBC and CrCl checks (PROTOCOL.md "CYC").
import type { FormContext, FormData, FormDef } from '../types';
import { bsaMosteller } from '../../rules/bsa';
import { CYC_RULES, cyclophosphamideDose, doseDifferenceFraction } from '../../rules/cyclophosphamideDose';
import { CYC_MIN_INTERVAL_DAYS, latestLabBefore, previousPulse, type LabSource } from '../crossFormData';
import { dateValue, numberValue } from '../formValues';
import { bi, field, inSection } from './fieldKit';

/**
 * The LAB the renal rule takes creatinine clearance from (amendment 1, rule 3): the latest collected within 14 days
 * before the dosing date, with Cockcroft-Gault from its visit's weight (else this form's weight). Null without a
 * dosing date or such a LAB (or when its creatinine is not an exact value): then the clearance is typed.
 */
export function cycLabSource(d: FormData, ctx: FormContext): LabSource | null {
  const date = dateValue(d, 'doseDate');
  if (!date) return null;
  const lab = latestLabBefore(ctx?.casebook ?? [], ctx?.subject ?? {}, date, numberValue(d, 'weightKg'));
  return lab && lab.creatinineClearance !== null ? lab : null;
}

/** The creatinine clearance the dose rules use: from the LAB when there is one, else the typed value. */
export function cycCreatinineClearance(d: FormData, ctx: FormContext): number | null {
  return cycLabSource(d, ctx)?.creatinineClearance ?? numberValue(d, 'creatinineClearance');
}

/** CrCl < 30 mL/min with a target above 500 mg/m²: a reason is required (rule 3). */
export function cycNeedsReducedTargetReason(d: FormData, ctx: FormContext): boolean {
  const crcl = cycCreatinineClearance(d, ctx);
  const target = numberValue(d, 'targetMgPerM2');
  return d.doseGiven !== false && crcl !== null && crcl < CYC_RULES.reduceBelowCrCl && target !== null && target > CYC_RULES.reducedTargetMgPerM2;
}

/** Days since the previous pulse given, when fewer than 21 (a reason is then required); null otherwise. */
export function cycShortInterval(d: FormData, ctx: FormContext): number | null {
  const date = dateValue(d, 'doseDate');
  if (!date || d.doseGiven === false) return null;
  const prev = previousPulse(ctx?.casebook ?? [], date);
  return prev && prev.days < CYC_MIN_INTERVAL_DAYS ? prev.days : null;
}

const belowProtocolTarget = (d: FormData) => {
  const t = numberValue(d, 'targetMgPerM2');
  return t !== null && t < CYC_RULES.minTargetMgPerM2;
};
const heldPulseGivenLater = (_d: FormData, ctx: FormContext) => (ctx?.repeatKey ?? 0) > 0;

/** The calculated dose (mg) from the form's own height, weight and target; null when it cannot be computed. */
export function cycCalculatedDose(d: FormData): number | null {
  const h = numberValue(d, 'heightCm');
  const w = numberValue(d, 'weightKg');
  const t = numberValue(d, 'targetMgPerM2');
  if (h === null || w === null || t === null) return null;
  const r = cyclophosphamideDose({ heightCm: h, weightKg: w, targetMgPerM2: t });
  return Number.isFinite(r.doseMg) ? r.doseMg : null;
}

/** True when administered differs from calculated by more than 10 % (a reason is then required). */
export function cycDoseDiffersTooMuch(d: FormData): boolean {
  const calc = cycCalculatedDose(d);
  const given = numberValue(d, 'administeredDoseMg');
  if (calc === null || given === null || d.doseGiven === false) return false;
  return doseDifferenceFraction(given, calc) > CYC_RULES.maxUnexplainedDifference + 1e-12;
}

export const CYC: FormDef = {
  code: 'CYC',
  label: { zh: '环磷酰胺冲击治疗', en: 'Cyclophosphamide pulse' },
  fields: [
    ...inSection(bi('剂量计算', 'Dose calculation'), [
      field('doseDate', 'date', '给药日期', 'Dosing date', { required: true, visitDate: true }),
      // A held pulse given later is a second CYC form of the visit (repeat key 1, 2, …): it names the held pulse's date.
      field('heldOn', 'date', '原定（暂缓）给药日期', 'Date the pulse was held', {
        visibleWhen: heldPulseGivenLater,
        required: heldPulseGivenLater,
        help: bi('本次为补给：此前暂缓的冲击，现予补给', 'A held pulse, given later'),
      }),
      field('pulseNumber', 'integer', '冲击次数（第几次）', 'Pulse number', { required: true, plausible: { min: 1, max: CYC_RULES.maxPulses } }),
      field('heightCm', 'number', '身高', 'Height', { unit: 'cm', decimals: 1, required: true, plausible: { min: 100, max: 230 }, help: bi('默认取筛选期身高', 'Defaults to the screening height') }),
      field('weightKg', 'number', '体重', 'Weight', { unit: 'kg', decimals: 1, required: true, plausible: { min: 20, max: 250 } }),
      // Protocol 500-1000 mg/m², default 750; below 500 may be recorded with a reason (a deviation), above 1000 never.
      field('targetMgPerM2', 'number', '目标剂量', 'Target dose', {
        unit: 'mg/m²',
        decimals: 0,
        required: true,
        plausible: { min: 100, max: CYC_RULES.maxTargetMgPerM2 },
        defaultValue: CYC_RULES.defaultTargetMgPerM2,
        help: bi('方案默认 750 mg/m²，允许 500–1000 mg/m²', 'Protocol default 750 mg/m², allowed 500-1000 mg/m²'),
      }),
      field('targetBelowRangeReason', 'text', '目标剂量低于 500 mg/m² 的原因', 'Reason for a target below 500 mg/m²', {
        visibleWhen: belowProtocolTarget,
        required: belowProtocolTarget,
        maxLength: 200,
      }),
      field('wbc', 'number', '给药日白细胞计数', 'WBC on dosing day', { qualified: {}, unit: '×10⁹/L', decimals: 2, required: true, plausible: { min: 0.01, max: 200 }, normal: { min: 3.5, max: 9.5 } }),
      // Typed only when no LAB was collected in the 14 days before dosing (then queried); otherwise derived from that LAB.
      field('creatinineClearance', 'number', '肌酐清除率（无近 14 天化验时手工录入）', 'Creatinine clearance (typed only without a LAB in the last 14 days)', {
        unit: 'mL/min',
        decimals: 0,
        plausible: { min: 1, max: 300 },
        visibleWhen: (d, ctx) => cycLabSource(d, ctx) === null,
        required: (d, ctx) => dateValue(d, 'doseDate') !== null && cycLabSource(d, ctx) === null,
      }),
      field('reducedTargetReason', 'text', '肌酐清除率 <30 mL/min 仍用 >500 mg/m² 的原因', 'Reason for a target above 500 mg/m² with creatinine clearance < 30 mL/min', {
        visibleWhen: cycNeedsReducedTargetReason,
        required: cycNeedsReducedTargetReason,
        maxLength: 200,
      }),
    ]),
    ...inSection(bi('给药', 'Administration'), [
      field('doseGiven', 'boolean', '本次已给药', 'Dose given', { required: true }),
      field('holdReason', 'text', '未给药原因', 'Reason dose held', {
        visibleWhen: (d) => d.doseGiven === false,
        required: (d) => d.doseGiven === false,
        maxLength: 200,
      }),
      field('administeredDoseMg', 'number', '实际给药剂量', 'Administered dose', {
        unit: 'mg',
        decimals: 0,
        visibleWhen: (d) => d.doseGiven !== false,
        required: (d) => d.doseGiven === true,
        plausible: { min: 0, max: CYC_RULES.maxDoseMgPerPulse },
      }),
      field('intervalReason', 'text', '距上次冲击不足 21 天的原因', 'Reason for less than 21 days since the previous pulse', {
        visibleWhen: (d, ctx) => cycShortInterval(d, ctx) !== null,
        required: (d, ctx) => cycShortInterval(d, ctx) !== null,
        maxLength: 200,
      }),
      field('doseDifferenceReason', 'text', '实际剂量与计算剂量相差 >10% 的原因', 'Reason administered differs from calculated by >10 %', {
        visibleWhen: (d) => cycDoseDiffersTooMuch(d),
        required: (d) => cycDoseDiffersTooMuch(d),
        maxLength: 200,
      }),
      field('hydrationGiven', 'boolean', '已予水化', 'Hydration given', { visibleWhen: (d) => d.doseGiven !== false, required: (d) => d.doseGiven === true }),
      field('mesnaGiven', 'boolean', '已予美司钠', 'Mesna given', { visibleWhen: (d) => d.doseGiven !== false, required: (d) => d.doseGiven === true }),
    ]),
  ],
  derived: [
    {
      id: 'bsa',
      label: { zh: '体表面积（Mosteller）', en: 'Body surface area (Mosteller)' },
      unit: 'm²',
      formula: { zh: 'BSA = √（身高 cm × 体重 kg ÷ 3600）', en: 'BSA = √(height cm × weight kg / 3600)' },
      decimals: 2,
      compute: (d) => {
        const h = numberValue(d, 'heightCm');
        const w = numberValue(d, 'weightKg');
        if (h === null || w === null) return null;
        const b = bsaMosteller({ heightCm: h, weightKg: w });
        return Number.isFinite(b) ? b : null;
      },
    },
    {
      id: 'creatinineClearanceLab',
      label: { zh: '肌酐清除率（取自近 14 天实验室检查）', en: 'Creatinine clearance (from the LAB of the last 14 days)' },
      unit: 'mL/min',
      formula: {
        zh: '给药日前 14 天内最近一次实验室检查的 Cockcroft-Gault：（140 − 年龄）× 体重 kg ÷（72 × Scr mg/dL）× 0.85（女）',
        en: 'Cockcroft-Gault of the latest LAB collected within 14 days before dosing: (140 − age) × weight kg / (72 × Scr mg/dL) × 0.85 if female',
      },
      decimals: 0,
      compute: (d, ctx) => cycLabSource(d, ctx)?.creatinineClearance ?? null,
    },
    {
      id: 'calculatedDoseMg',
      label: { zh: '计算剂量', en: 'Calculated dose' },
      unit: 'mg',
      formula: {
        zh: 'BSA × 目标剂量（≤1000 mg/m²），四舍五入至 10 mg，每次最多 1500 mg',
        en: 'BSA × target (≤1000 mg/m²), rounded to 10 mg, at most 1500 mg per pulse',
      },
      decimals: 0,
      compute: (d) => cycCalculatedDose(d),
    },
    {
      id: 'doseDifferencePercent',
      label: { zh: '实际与计算剂量差异', en: 'Administered vs calculated' },
      unit: '%',
      formula: { zh: '（实际 − 计算）÷ 计算 × 100', en: '(administered − calculated) ÷ calculated × 100' },
      decimals: 1,
      compute: (d) => {
        const calc = cycCalculatedDose(d);
        const given = numberValue(d, 'administeredDoseMg');
        return calc === null || given === null || calc <= 0 ? null : ((given - calc) / calc) * 100;
      },
    },
  ],
  // The CrCl of the latest LAB of 14 days: its creatinine, age and sex (DEMOG), the weight of its visit (VITALS).
  derivedReads: ['LAB', 'DEMOG', 'VITALS'],
};
