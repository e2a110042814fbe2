// CYC form: IV cyclophosphamide pulse: BSA, target mg/m², calculated vs administered dose, WBC and CrCl checks (PROTOCOL.md "CYC").
import type { FormData, FormDef } from '../types';
import { bsaMosteller } from '../../rules/bsa';
import { CYC_RULES, cyclophosphamideDose, doseDifferenceFraction } from '../../rules/cyclophosphamideDose';
import { numberValue } from '../formValues';
import { bi, field, inSection } from './fieldKit';

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
      field('pulseNumber', 'integer', '冲击次数（第几次）', 'Pulse number', { required: true, plausible: { min: 1, max: CYC_RULES.maxPulses } }),
      field('heightCm', 'number', '身高', 'Height', { unit: 'cm', decimals: 1, required: true, plausible: { min: 100, max: 230 }, help: bi('默认取筛选期身高', 'Defaults to the screening height') }),
      field('weightKg', 'number', '体重', 'Weight', { unit: 'kg', decimals: 1, required: true, plausible: { min: 20, max: 250 } }),
      // Hard range = protocol's allowed 500-1000 mg/m²; default 750.
      field('targetMgPerM2', 'number', '目标剂量', 'Target dose', {
        unit: 'mg/m²',
        decimals: 0,
        required: true,
        plausible: { min: CYC_RULES.minTargetMgPerM2, max: CYC_RULES.maxTargetMgPerM2 },
        defaultValue: CYC_RULES.defaultTargetMgPerM2,
        help: bi('方案默认 750 mg/m²，允许 500–1000 mg/m²', 'Protocol default 750 mg/m², allowed 500-1000 mg/m²'),
      }),
      field('wbc', 'number', '给药日白细胞计数', 'WBC on dosing day', { unit: '×10⁹/L', decimals: 2, required: true, plausible: { min: 0.1, max: 200 }, normal: { min: 3.5, max: 9.5 } }),
      field('creatinineClearance', 'number', '肌酐清除率', 'Creatinine clearance', { unit: 'mL/min', decimals: 0, plausible: { min: 1, max: 300 } }),
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
};
